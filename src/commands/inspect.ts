import type { Deps } from '../platform/deps.js';
import { NO_VALID_TOKEN, notAJwt, nothingToInspect, tokenExpiredNotice } from './messages.js';
import { inputTooLarge } from '../net/messages.js';
import { TooLarge } from '../platform/read-bounded.js';
import type { Reporter } from '../platform/reporter.js';
import type { TokenInputs } from '../config/settings.js';
import { relativeTime, safeJson, sanitize } from '../platform/text.js';
import { decodeJwtPart } from '../token/validate.js';
import type { CommandSpec } from './command.js';
import { fetchForCommand } from './fetch.js';
import { IDENTITY_OPTIONS, JSON_OPTION } from './options.js';

/** A token to inspect is a few KB: no more than this is read from standard input. */
const MAX_TOKEN_INPUT = 1024 * 1024;

const localTime = (seconds: number): string => {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const tz = `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${tz}`;
};

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const parts = token.split('.');
  if (parts.length !== 3) throw notAJwt(`it has ${parts.length} part${parts.length === 1 ? '' : 's'}, not 3 separated by dots`);
  const header = decodeJwtPart(token, 0);
  const claims = decodeJwtPart(token, 1);
  if (!header) throw notAJwt('its header is not base64url-encoded JSON');
  if (!claims) throw notAJwt('its payload is not base64url-encoded JSON');
  return { header, claims };
}

/** The human view of a decoded token: header, claims, scopes, times. */
export function describeJwt(jwt: ReturnType<typeof decodeJwt>, now: number): string {
  const { header, claims } = jwt;
  const lines: string[] = ['Header (signature not verified)'];
  for (const [k, v] of Object.entries(header)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  lines.push('Claims');
  for (const [k, v] of Object.entries(claims)) {
    if ((k === 'exp' || k === 'iat' || k === 'nbf') && typeof v === 'number') {
      lines.push(`  ${k}: ${v} (${localTime(v)}, ${relativeTime(v * 1000 - now)})`);
    } else lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : Array.isArray(claims.scp) ? claims.scp.map(String) : [];
  if (scope.length > 0) lines.push('Scopes', ...scope.map((s) => `  ${s}`));
  // Whoever minted the token chose every string in it: none may drive the terminal.
  lines.forEach((line, i) => (lines[i] = sanitize(line)));
  if (typeof claims.exp === 'number') {
    const left = claims.exp * 1000 - now;
    lines.push(left > 0 ? `Expires ${relativeTime(left)}` : `Expired ${relativeTime(left)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `inspect [token]`: the token from the argument, else standard input when it is not a terminal,
 * else the current token (from the cache, or fetched).
 */
async function inspectToken(token: string | undefined, opts: TokenInputs & { json?: boolean }, deps: Deps, reporter: Reporter): Promise<number> {
  let text = token;
  if (text === undefined && !deps.io.stdinIsTTY) {
    try {
      text = (await deps.io.readStdin(MAX_TOKEN_INPUT)).toString('utf8').trim();
    } catch (err) {
      if (err instanceof TooLarge) throw inputTooLarge('Standard input', MAX_TOKEN_INPUT);
      throw err;
    }
    if (text === '') throw nothingToInspect();
  }
  text ??= (await fetchForCommand(opts, deps, reporter)).accessToken;
  // A bare token, `Bearer <token>`, or the tool's own `-o header` line.
  const jwt = decodeJwt(
    text
      .trim()
      .replace(/^Authorization:\s*/i, '')
      .replace(/^Bearer\s+/i, ''),
  );
  deps.io.stdout.write(opts.json ? safeJson(jwt) + '\n' : describeJwt(jwt, deps.now()));
  // Exit 0 only for a token that has not expired (one without exp has not), so a script can ask.
  const exp = jwt.claims.exp;
  if (typeof exp === 'number' && exp * 1000 <= deps.now()) {
    reporter.info(tokenExpiredNotice());
    return NO_VALID_TOKEN;
  }
  return 0;
}

export const inspectCommand: CommandSpec = {
  name: 'inspect',
  summary: 'decode a JWT (argument, stdin, or the current token); does not verify signatures',
  args: [{ name: '[token]' }],
  // It fetches only when it decodes the current token: whose token, and how long to try.
  options: [
    ...IDENTITY_OPTIONS,
    { flags: '--timeout <seconds>', description: 'bound on fetching the current token (default: 30)' },
    { flags: '--ca-file <pem>', description: 'extra trusted CA certificates for the token endpoint [env: GARDIN_CA_FILE]', complete: 'file' },
    { ...JSON_OPTION, description: 'print {"header": ..., "claims": ...}' },
  ],
  examples: `
Examples:
  gardin-token inspect                           # on a terminal: the current token's claims, scopes and expiry
  gardin-token -o header | gardin-token inspect  # a token (bare, Bearer, or a header line) on stdin
  gardin-token inspect "$TOKEN" --json | jq .claims.scope
  gardin-token inspect "$TOKEN" >/dev/null || echo expired   # exit 6 once it has expired
`,
  run: ([token], opts, { deps, reporter }) => inspectToken(token as string | undefined, opts, deps, reporter),
};
