import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { cacheClear } from './commands/cache.js';
import { completionScript, completionSpec, SHELLS } from './commands/completion.js';
import { execCommand } from './commands/exec.js';
import { inspectCommand } from './commands/inspect.js';
import { statusCommand } from './commands/status.js';
import { profileAdd, profileList, profileRemove, profileShow, profileUse } from './commands/profile.js';
import { reporterFor, tokenCommand, type UiOptions } from './commands/token.js';
import type { Deps } from './deps.js';
import { toReport } from './errors.js';
import { OUTPUT_FORMATS } from './format.js';
import { Reporter } from './reporter.js';

export const VERSION = '1.0.0';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The options of every command that fetches a token (the default command, exec, status). */
function tokenOptions<C extends Command<[], {}, {}>>(cmd: C) {
  return cmd
    .option('--client-id <id>', 'client ID ("Username" in Gardin\'s docs) [env: GARDIN_CLIENT_ID]')
    .option('--client-secret <secret>', 'client secret; visible to other local users in `ps`: prefer the env var or stdin [env: GARDIN_CLIENT_SECRET]')
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('--client-secret-file <path>', 'read the client secret from a file (Docker/Kubernetes secrets) [env: GARDIN_CLIENT_SECRET_FILE]')
    .option('--token-url <url>', 'token endpoint [env: GARDIN_TOKEN_URL] (default: https://login.gardin.ag/oauth2/token)')
    .option('--scope <scope>', 'scope to request; repeatable or space-separated [env: GARDIN_SCOPE]', collect)
    .addOption(new Option('--auth-method <method>', 'client authentication: HTTP Basic or form body').choices(['basic', 'post'] as const))
    .option('-p, --profile <name>', 'stored profile to use [env: GARDIN_PROFILE]')
    .option('--timeout <seconds>', 'bound on the whole fetch, retries included (default: 30)')
    .option('--retries <n>', 'retries on connection errors, 429 and 5xx (default: 2)')
    .option('--ca-file <pem>', 'extra trusted CA certificates for the token endpoint [env: GARDIN_CA_FILE]')
    .option('--no-cache', 'neither read nor write the token cache')
    .option('--force-refresh', 'fetch a new token even if a cached one is fresh')
    .option('--min-ttl <seconds>', 'reuse a cached token only while this many seconds remain (default: 60)')
    .option('-v, --verbose', 'a redacted trace on stderr')
    .option('-q, --quiet', 'nothing on stderr but errors');
}

/** Secrets known before parsing: a --client-secret value and GARDIN_CLIENT_SECRET. */
function secretsInArgs(argv: readonly string[], env: Deps['env']): string[] {
  const found = argv.flatMap((arg, i) =>
    arg === '--client-secret' ? [argv[i + 1] ?? ''] : arg.startsWith('--client-secret=') ? [arg.slice('--client-secret='.length)] : [],
  );
  return [...found, env.GARDIN_CLIENT_SECRET ?? ''].filter((s) => s.length >= 4);
}

/**
 * Runs one command with its own reporter, mapping whatever it throws to a message on stderr and
 * the documented exit code.
 */
async function guarded(deps: Deps, ui: UiOptions, action: (reporter: Reporter) => number | Promise<number>): Promise<number> {
  const reporter = reporterFor(ui, deps);
  try {
    return await action(reporter);
  } catch (err) {
    const report = toReport(err);
    reporter.error(report.error);
    return report.exitCode;
  }
}

/**
 * The CLI. Parses `argv` (as process.argv: node, script, args...), runs the command with `deps`
 * and returns the exit code; never calls process.exit, so tests can run it in-process.
 */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  let exitCode = 0;
  const done = (code: number) => {
    exitCode = code;
  };
  const io = deps.io;
  const parseErrors = new Reporter(io, { verbose: false, quiet: false, color: () => false });
  parseErrors.addSecrets(secretsInArgs(argv, deps.env));
  const program = new Command()
    .name('gardin-token')
    .description('Get an OAuth2 client-credentials access token for the Gardin API and print it.')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(parseErrors.scrub(s)),
      // Commander's message and its suggestion, on one line like every other error. Commander
      // echoes what was typed, and a mistyped --client-secrett=... carries the secret: option
      // values in its messages are masked, as is any secret given on the command line.
      outputError: (s, write) =>
        write(s.trim().replace(/\s*\n\s*/g, ' ').replace(/('-[\w-]+)=[^']*'/g, "$1=***'") + ' Run gardin-token --help for usage.\n'),
    });

  tokenOptions(program)
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS))
    .option('--json', 'shorthand for -o json')
    .option('--export', 'shorthand for -o export')
    .option('--var-name <NAME>', 'variable name for shell formats (default: GARDIN_ACCESS_TOKEN)')
    .action(async (opts) => done(await guarded(deps, opts, (r) => tokenCommand(opts, deps, r))));

  const profile = program.command('profile').description('manage stored profiles');
  profile
    .command('add')
    .description('store a profile (prompts for what is missing on a terminal)')
    .argument('<name>')
    .option('--client-id <id>', 'client ID')
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('--client-secret-command <command>', 'a shell command that prints the secret, run at fetch time (pass, op read, vault kv get)')
    .option('--token-url <url>', 'token endpoint')
    .option('--scope <scope>', 'scope to request; repeatable or space-separated', collect)
    .addOption(new Option('--auth-method <method>', 'client authentication').choices(['basic', 'post'] as const))
    .option('--default', 'make it the default profile')
    .action(async (name, opts) => done(await guarded(deps, {}, (r) => profileAdd(name, opts, deps, r))));
  profile
    .command('list')
    .description('list profiles; * marks the default')
    .option('--json', 'print JSON')
    .action(async (opts) => done(await guarded(deps, {}, () => profileList(opts, deps))));
  profile
    .command('show')
    .description('show a profile (never its secret)')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name, opts) => done(await guarded(deps, {}, () => profileShow(name, opts, deps))));
  profile
    .command('remove')
    .description('delete a profile')
    .argument('<name>')
    .action(async (name) => done(await guarded(deps, {}, (r) => profileRemove(name, deps, r))));
  profile
    .command('use')
    .description('make a profile the default')
    .argument('<name>')
    .action(async (name) => done(await guarded(deps, {}, (r) => profileUse(name, deps, r))));

  program
    .command('cache')
    .description('manage the token cache')
    .command('clear')
    .description('forget cached tokens (all, or those of one profile)')
    .option('-p, --profile <name>', 'only the tokens of this profile')
    .action(async (opts) => done(await guarded(deps, {}, (r) => cacheClear(opts, deps, r))));

  tokenOptions(
    program
      .command('exec')
      .description('run a command with GARDIN_ACCESS_TOKEN (and its expiry) in its environment')
      .usage('[options] -- <command> [args...]')
      .passThroughOptions(),
  )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--var-name <NAME>', 'variable name (default: GARDIN_ACCESS_TOKEN)')
    .action(async (command, opts) => done(await guarded(deps, opts, (r) => execCommand(command, opts, deps, r))));

  tokenOptions(
    program
      .command('inspect')
      .description('decode a JWT (argument, stdin, or the current token); does not verify signatures'),
  )
    .argument('[token]')
    .option('--json', 'print {"header": ..., "claims": ...}')
    .action(async (token, opts) => done(await guarded(deps, opts, (r) => inspectCommand(token, opts, deps, r))));

  tokenOptions(program.command('status').description('whether a cached token exists for the current settings, and until when; never the token'))
    .option('--json', 'print JSON')
    .action(async (opts) => done(await guarded(deps, opts, (r) => statusCommand(opts, deps, r))));

  program
    .command('completion')
    .description('print a completion script: bash, zsh or fish')
    .argument('<shell>', SHELLS.join(' | '))
    .action(async (shell) =>
      done(
        await guarded(deps, {}, () => {
          io.stdout.write(completionScript(shell, completionSpec(program, '')));
          return 0;
        }),
      ),
    );

  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    return guarded(deps, {}, () => {
      throw err;
    });
  }
  return exitCode;
}
