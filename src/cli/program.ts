import { Command, CommanderError, Option, type OptionValues } from '@commander-js/extra-typings';
import { apiCommand } from '../commands/api.js';
import { cacheClear } from '../commands/cache.js';
import { completionScript, completionSpec, SHELLS } from '../commands/completion/index.js';
import { execCommand } from '../commands/exec.js';
import { inspectCommand } from '../commands/inspect.js';
import { statusCommand } from '../commands/status.js';
import { profileAdd, profileList, profileRemove, profileRename, profileSet, profileShow, profileUse } from '../commands/profile.js';
import { tokenCommand } from '../commands/token.js';
import type { Deps } from '../platform/deps.js';
import { AUTH_METHODS } from '../config/settings.js';
import { guarded, secretsInArgs } from './run-command.js';
import { FETCH_OPTIONS, IDENTITY_OPTIONS, OUTPUT_OPTIONS, UI_OPTIONS } from '../commands/options.js';
import { optionGivenTwice, optionNotApplicable, parseErrorLine, unknownCommand } from './messages.js';
import { unknownHelpTopic } from '../commands/messages.js';
import { EXAMPLES, HELP_TOPICS, ROOT_HELP_AFTER } from './help.js';
import { Reporter } from '../platform/reporter.js';
import type { UiOptions } from './terminal.js';
import { VERSION } from '../platform/version.js';


const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The options that say whose token: every command that needs one, status included. */
function identityOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  const o = IDENTITY_OPTIONS;
  return cmd
    .option(o.clientId.flags, o.clientId.description)
    .option(o.clientSecret.flags, o.clientSecret.description)
    .option(o.clientSecretStdin.flags, o.clientSecretStdin.description)
    .option(o.clientSecretFile.flags, o.clientSecretFile.description)
    .option(o.tokenUrl.flags, o.tokenUrl.description)
    .option(o.scope.flags, o.scope.description, collect)
    .addOption(new Option(o.authMethod.flags, o.authMethod.description).choices(o.authMethod.choices))
    .option(o.profile.flags, o.profile.description);
}

/** The options of every command that fetches a token (the default command, exec, api). */
function tokenOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  const o = FETCH_OPTIONS;
  return identityOptions(cmd)
    .option(o.timeout.flags, o.timeout.description)
    .option(o.retries.flags, o.retries.description)
    .option(o.caFile.flags, o.caFile.description)
    .option(o.cache.flags, o.cache.description)
    .option(o.forceRefresh.flags, o.forceRefresh.description)
    .option(o.minTtl.flags, o.minTtl.description)
    .option(o.cacheUrl.flags, o.cacheUrl.description);
}

/** -v and -q, which every command takes. */
function uiOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return cmd.option(UI_OPTIONS.verbose.flags, UI_OPTIONS.verbose.description).option(UI_OPTIONS.quiet.flags, UI_OPTIONS.quiet.description);
}

type AnyCommand = Command<any, any, any>;

/** The command a path of names leads to (`['profile', 'add']`), if there is one. */
const commandAt = (root: AnyCommand, words: readonly string[]): AnyCommand | undefined =>
  words.reduce<AnyCommand | undefined>((at, word) => at?.commands.find((c) => c.name() === word), root);

/** The candidate nearest to a mistyped word (edit distance at most 2, or a prefix), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const here = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = here;
      }
    }
    return row[b.length]!;
  };
  const scored = candidates.map((c) => ({ c, d: c.startsWith(word) ? 0 : distance(word.toLowerCase(), c) })).sort((x, y) => x.d - y.d);
  return scored[0] && scored[0].d <= 2 ? scored[0].c : undefined;
}

/**
 * The options written before a subcommand (at the root, or after a group such as `profile`),
 * merged into the subcommand's own: each one must be an option of the subcommand too (else exit
 * 2, naming it), and one given on both sides must agree (repeatable ones add up). Never silently
 * ignored.
 */
function withGlobals<O extends object>(sub: AnyCommand, opts: O): O {
  const merged: Record<string, unknown> = { ...(opts as Record<string, unknown>) };
  const given = new Set(sub.options.map((o) => o.attributeName()).filter((k) => sub.getOptionValueSource(k) === 'cli'));
  const name = [sub.parent?.parent ? sub.parent.name() : '', sub.name()].filter(Boolean).join(' ');
  for (let outer = sub.parent; outer; outer = outer.parent) {
    for (const option of outer.options) {
      const key = option.attributeName();
      if (outer.getOptionValueSource(key) !== 'cli') continue;
      const flagName = option.long ?? option.flags;
      const value: unknown = outer.getOptionValue(key);
      if (!sub.options.some((o) => o.attributeName() === key)) throw optionNotApplicable(flagName, name);
      if (!given.has(key)) merged[key] = value;
      else if (Array.isArray(value)) merged[key] = [...value, ...(merged[key] as unknown[])];
      else if (merged[key] !== value) throw optionGivenTwice(flagName, name);
      given.add(key);
    }
  }
  return merged as O;
}

/**
 * The CLI as commander reads it: every command, help, and the messages for usage errors. main
 * (start.ts) sends here whatever its quick parser does not take; the exit code is returned.
 */
export async function cliMain(argv: readonly string[], deps: Deps): Promise<number> {
  let exitCode = 0;
  const done = (code: number) => {
    exitCode = code;
  };
  const io = deps.io;
  const secrets = secretsInArgs(argv, deps.env);
  const parseErrors = new Reporter(io, { verbose: false, quiet: false });
  parseErrors.addSecrets(secrets);
  const program = new Command()
    .name('gardin-token')
    .description('Get an OAuth2 client-credentials access token for the Gardin API and print it.')
    .version(VERSION, '-V, --version')
    .addHelpText('after', ROOT_HELP_AFTER)
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(parseErrors.scrub(s)),
      outputError: (s, write) => write(parseErrorLine(s)),
    });
  /** Runs a command's action with the options written before it merged in (or refused). */
  const act = <O extends UiOptions>(sub: AnyCommand, opts: O, action: (opts: O, reporter: Reporter) => number | Promise<number>) => {
    // Merged first, so that a -q or -v written before the command shapes its reporter too.
    let merged: O | undefined;
    let refused: unknown;
    try {
      merged = withGlobals(sub, opts);
    } catch (err) {
      refused = err;
    }
    return guarded(deps, merged ?? opts, secrets, (r) => {
      if (!merged) throw refused;
      return action(merged, r);
    });
  };

  uiOptions(tokenOptions(program))
    .addOption(new Option(OUTPUT_OPTIONS.output.flags, OUTPUT_OPTIONS.output.description).choices(OUTPUT_OPTIONS.output.choices))
    .option(OUTPUT_OPTIONS.json.flags, OUTPUT_OPTIONS.json.description)
    .option(OUTPUT_OPTIONS.export.flags, OUTPUT_OPTIONS.export.description)
    .option(OUTPUT_OPTIONS.varName.flags, OUTPUT_OPTIONS.varName.description)
    // A word where a command would stand is a mistyped command, not "too many arguments".
    .argument('[command]')
    .usage('[options] [command]')
    .action(async (word, opts) =>
      done(
        await guarded(deps, opts, secrets, (r) => {
          if (word !== undefined) throw unknownCommand(word, closest(word, program.commands.map((c) => c.name())));
          return tokenCommand(opts, deps, r);
        }),
      ),
    );

  // Groups take -v and -q too, so they work in any position (`profile -q add ...`).
  const profile = uiOptions(program.command('profile').description('manage stored profiles'));
  /** The fields of a profile, as profile add and profile set take them. */
  const profileFields = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) =>
    uiOptions(cmd)
      .option('--client-id <id>', 'client ID')
      .option('--client-secret-stdin', 'read the client secret from standard input (asked, hidden, on a terminal)')
      .option('--client-secret-command <command>', 'a shell command that prints the secret, run at fetch time (pass, op read, vault kv get)')
      .option('--token-url <url>', 'token endpoint')
      .option('--base-url <url>', 'the Gardin API base URL for `gardin-token api`')
      .option('--scope <scope>', 'scope to request; repeatable or space-separated', collect)
      .addOption(new Option('--auth-method <method>', 'client authentication (see gardin-token --help)').choices(AUTH_METHODS))
      .addOption(
        new Option('--secret-store <store>', 'where a stored secret lives: the OS keychain (default where one is reachable) or config.json').choices([
          'keychain',
          'file',
        ] as const),
      )
      .option('--cache-url <url>', 'a shared token cache on Redis for this profile (redis:// or rediss://)')
      .option('--default', 'make it the default profile');
  profileFields(profile.command('add'))
    .description('store a new profile (prompts for what is missing on a terminal)')
    .argument('<name>', 'letters, digits, ".", "_" and "-", up to 64, starting with a letter or digit')
    .option('--force', 'replace a profile of that name whole')
    .action(async (name, opts, cmd) => done(await act(cmd, opts, (o, r) => profileAdd(name, o, deps, r))));
  profileFields(profile.command('set'))
    .description('change some fields of a stored profile, leaving the others as they are')
    .argument('<name>')
    .action(async (name, opts, cmd) => done(await act(cmd, opts, (o, r) => profileSet(name, o, deps, r))));
  uiOptions(profile.command('rename'))
    .description('rename a profile (the default follows it)')
    .argument('<old>')
    .argument('<new>')
    .action(async (from, to, opts, cmd) => done(await act(cmd, opts, (_o, r) => profileRename(from, to, deps, r))));
  uiOptions(profile.command('list'))
    .description('list profiles; * marks the default')
    .option('--json', 'print JSON')
    .action(async (opts, cmd) => done(await act(cmd, opts, (o) => profileList(o, deps))));
  uiOptions(profile.command('show'))
    .description('show a profile (never its secret)')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name, opts, cmd) => done(await act(cmd, opts, (o) => profileShow(name, o, deps))));
  uiOptions(profile.command('remove'))
    .description('delete a profile')
    .argument('<name>')
    .action(async (name, opts, cmd) => done(await act(cmd, opts, (_o, r) => profileRemove(name, deps, r))));
  uiOptions(profile.command('use'))
    .description('make a profile the default')
    .argument('<name>')
    .action(async (name, opts, cmd) => done(await act(cmd, opts, (_o, r) => profileUse(name, deps, r))));

  // With --shared it acts on one identity, resolved as a token call resolves it.
  uiOptions(identityOptions(uiOptions(program.command('cache').description('manage the token cache')).command('clear')))
    .description('forget cached tokens (all, or those of one profile); with --shared, the current settings\' token, here and on Redis')
    .option('--shared', 'delete the shared (Redis) entry of the current settings, and the local one')
    .option('--cache-url <url>', 'the shared cache on Redis [env: GARDIN_CACHE_URL]')
    .action(async (opts, cmd) => done(await act(cmd, opts, (o, r) => cacheClear(o, deps, r))));

  uiOptions(
    tokenOptions(
      program
        .command('exec')
        .description('run a command with GARDIN_ACCESS_TOKEN (and its expiry) in its environment')
        .usage('[options] -- <command> [args...]')
        .passThroughOptions(),
    ),
  )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--var-name <NAME>', 'variable name (default: GARDIN_ACCESS_TOKEN)')
    .action(async (command, opts, cmd) => done(await act(cmd, opts, (o, r) => execCommand(command, o, deps, r))));

  // inspect fetches only when it decodes the current token: whose token, and how long to try.
  uiOptions(identityOptions(program.command('inspect').description('decode a JWT (argument, stdin, or the current token); does not verify signatures')))
    .option('--timeout <seconds>', 'bound on fetching the current token (default: 30)')
    .option('--ca-file <pem>', 'extra trusted CA certificates for the token endpoint [env: GARDIN_CA_FILE]')
    .argument('[token]')
    .option('--json', 'print {"header": ..., "claims": ...}')
    .action(async (token, opts, cmd) => done(await act(cmd, opts, (o, r) => inspectCommand(token, o, deps, r))));

  // status fetches nothing: whose token it asks about, and how much life counts as valid.
  uiOptions(identityOptions(program.command('status').description('whether a cached token exists for the current settings, and until when; never the token')))
    .option('--min-ttl <seconds>', 'a cached token counts only with this many seconds left (default: 60)')
    .option('--cache-url <url>', 'also ask the shared cache on Redis [env: GARDIN_CACHE_URL]')
    .option('--ca-file <pem>', 'extra trusted CA certificates (for rediss://) [env: GARDIN_CA_FILE]')
    .option('--json', 'print JSON')
    .action(async (opts, cmd) => done(await act(cmd, opts, (o, r) => statusCommand(o, deps, r))));

  uiOptions(tokenOptions(program.command('api').description('call the Gardin API with the token attached, as `gh api` does')))
    .argument('<path-or-url>', 'a path under the API base URL (/devices), or a URL of the same origin')
    .option('-X, --method <method>', 'HTTP method (default: GET, or POST with fields or --input)')
    .option('-H, --header <header>', "an HTTP header, 'Name: value'; repeatable", collect)
    .option('-f, --raw-field <key=value>', 'a string field; repeatable (a JSON body, or the query of a GET)', collect)
    .option('-F, --field <key=value>', 'a typed field: true, false, null and integers typed, @file or @- read; repeatable', collect)
    .option('--input <file>', 'the request body from a file, or - for standard input')
    .option('-i, --include', 'print the status line and the headers before the body')
    .option('--base-url <url>', 'the API base URL [env: GARDIN_API_URL] (default: https://api.gardin.ag/v1)')
    .option('--paginate', 'follow Link: rel="next" and print the pages (arrays joined into one)')
    .option('--max-pages <n>', 'with --paginate: stop with an error past this many pages (default: 1000)')
    .action(async (pathOrUrl, opts, cmd) => done(await act(cmd, opts, (o, r) => apiCommand(pathOrUrl, o, deps, r))));

  uiOptions(program.command('completion'))
    .description('print a completion script: bash, zsh or fish')
    .argument('<shell>', SHELLS.join(' | '))
    .action(async (shell, opts, cmd) =>
      done(
        await act(cmd, opts, () => {
          io.stdout.write(completionScript(shell, completionSpec(program, '')));
          return 0;
        }),
      ),
    );

  uiOptions(program.command('help'))
    .description('help on a command, or on a topic: environment, exit-codes')
    .argument('[topic...]', 'a command (exec, profile add, ...) or a topic')
    .action(async (topic, opts, cmd) =>
      done(
        await act(cmd, opts, () => {
          const name = topic.join(' ');
          if (Object.hasOwn(HELP_TOPICS, name)) io.stdout.write(HELP_TOPICS[name]!);
          else {
            const target = commandAt(program, topic);
            if (!target || target.name() === 'help') throw unknownHelpTopic(name, [...program.commands.map((c) => c.name()).filter((n) => n !== 'help'), ...Object.keys(HELP_TOPICS)]);
            target.outputHelp();
          }
          return 0;
        }),
      ),
    );

  uiOptions(program.command('version'))
    .description('print the version (as --version does)')
    .action(async (opts, cmd) =>
      done(
        await act(cmd, opts, () => {
          io.stdout.write(`${VERSION}\n`);
          return 0;
        }),
      ),
    );

  for (const [path, text] of Object.entries(EXAMPLES)) {
    commandAt(program, path.split(' '))?.addHelpText('after', text);
  }

  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    return guarded(deps, {}, secrets, () => {
      throw err;
    });
  }
  return exitCode;
}
