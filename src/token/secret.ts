import { readFileSync } from 'node:fs';
import type { Deps } from '../deps.js';
import { emptySecret, secretCommandFailed, secretFileUnreadable, stdinUnavailable } from '../errors.js';
import type { SecretSpec } from '../settings.js';

const dropNewline = (s: string): string => s.replace(/\r?\n$/, '');

/** Reads the client secret from wherever the settings said it is. */
export async function loadSecret(spec: SecretSpec, deps: Pick<Deps, 'io' | 'env' | 'runSecretCommand'>): Promise<string> {
  let secret: string;
  switch (spec.kind) {
    case 'value':
      return spec.value;
    case 'stdin':
      if (deps.io.stdinIsTTY) throw stdinUnavailable();
      secret = dropNewline(await deps.io.readStdin());
      break;
    case 'file':
      try {
        secret = dropNewline(readFileSync(spec.path, 'utf8'));
      } catch (err) {
        throw secretFileUnreadable(spec.path, spec.source, (err as NodeJS.ErrnoException).code ?? String(err));
      }
      break;
    case 'command': {
      const run = deps.runSecretCommand ?? runShellCommand;
      try {
        secret = dropNewline(await run(spec.command, deps.env));
      } catch (err) {
        throw secretCommandFailed(spec.source.name, err instanceof Error ? err.message : String(err));
      }
      break;
    }
  }
  if (secret === '') throw emptySecret(spec.source);
  return secret;
}

/** Runs a profile's secret command through the shell; its stderr and stdin stay the user's (for pinentry prompts). */
export async function runShellCommand(command: string, env: Record<string, string | undefined>): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, env, stdio: ['inherit', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err) => reject(new Error(err.message)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(signal ? `it was killed by ${signal}` : `it exited with code ${code}`));
    });
  });
}
