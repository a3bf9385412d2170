import type { CommandSpec } from './command.js';
import { unknownHelpTopic } from './messages.js';

// Help beyond each command's own: the notes under the root's --help, and the topics of `help`.

/** Under `gardin-token --help`: the rules scripts depend on, in a few lines each. */
export const ROOT_NOTES = `
One identity per call (client ID, secret, token URL, scopes, auth method), from one place: a
profile named with -p (flags may change single fields of it, GARDIN_* variables never); else the
flags and GARDIN_* variables, when either gives a client ID (no profile lends them anything); else
GARDIN_PROFILE or the default profile, as with -p. Variables set aside are named on stderr.
Options written before a subcommand apply to it, or are refused (exit 2).

On failure stdout is empty, except for the eval formats (export, fish, powershell): they print one
statement that fails (false; in PowerShell a terminating error), so that
  set -e; eval "$(gardin-token --export)"
stops the script.

Trust: the config and cache folders must be yours (0700) and their files too (0600, no symlinks);
a profile store that another user owns or could write is refused. A loopback token URL never goes
through a proxy. A profile's client-secret command gets --timeout seconds of its own; the network
deadline starts after it. A token already expired on arrival is exit 5; lifetimes are capped at 24 h.

Exit codes: 0 success; 1 a bug; 2 usage or configuration; 3 the endpoint refused (OAuth error,
401/403); 4 no usable answer (network, TLS, timeout, proxy, 429/5xx); 5 a 2xx that is not a usable
token; 6 status/inspect: no valid token; 7 api: the API answered an HTTP error; 8 output could not
be written; exec returns its command's code.
More: gardin-token help environment, gardin-token help exit-codes, gardin-token help <command>.

`;

/** `gardin-token help exit-codes`: the contract's table. */
export const EXIT_CODES_HELP = `Exit codes of gardin-token

  0    success
  1    unexpected internal error (a bug: the message says so)
  2    usage or configuration: bad or empty flag or GARDIN_* variable, an option before a subcommand
       that does not take it, missing credentials, unknown profile, invalid URL (a shared-cache URL
       too), plain http:// to a non-loopback host, an unreadable, unsafe or unwritable profile store,
       a secret file or command failing, timing out or over 64 KiB, a malformed proxy variable, a CA
       file that is not PEM, a URL of another origin given to api, an api header, method or field
       that HTTP cannot carry, api input over 100 MiB
  3    the token endpoint refused: an OAuth error response (invalid_client, invalid_scope, ...) or 401/403
  4    no usable answer: connection refused, DNS, TLS, timeout, a refused redirect, a proxy that wants
       authentication (407), 429/5xx after retries
  5    a 2xx answer that is not a usable token: not JSON (an HTML page: the URL may not be a token
       endpoint), no access_token, not a b64token, a body over 1 MiB, a token already expired on arrival;
       api: answers past its bounds (100 MiB, --max-pages, a next link that loops)
  6    status, inspect: no valid token (none cached with --min-ttl left; the token has expired);
       what they found is still printed
  7    api: the Gardin API answered with an HTTP error (its body is still on stdout)
  8    output could not be written (a full disk, a closed terminal or pipe); one line on stderr says why
  129  SIGHUP, 130 interrupted (Ctrl-C, at a prompt too), 143 SIGTERM: a held lock is let go first

exec exits with its command's code: 128+n when the command is killed by signal n, 127 when it is
not found, 126 when it cannot be run.
`;

/** `gardin-token help environment`: every variable, with precedence. */
export const ENVIRONMENT_HELP = `Environment variables of gardin-token

The identity (each below its flag):
  GARDIN_CLIENT_ID           client ID, "Username" in Gardin's docs   (--client-id)
  GARDIN_CLIENT_SECRET       client secret, "Password"                 (--client-secret)
  GARDIN_CLIENT_SECRET_FILE  a file holding the client secret          (--client-secret-file)
  GARDIN_PRIVATE_KEY_FILE    the private key of private_key_jwt        (--private-key-file)
  GARDIN_TOKEN_URL           the token endpoint                        (--token-url)
  GARDIN_SCOPE               scopes, space-separated                   (--scope)
  GARDIN_PROFILE             the stored profile to use when no client ID is given (-p, --profile)

One identity per call: with -p, that profile's (flags may change single fields; these variables
change none); else, when a flag or GARDIN_CLIENT_ID gives a client ID, the flags' and these
variables' (no profile lends them anything); else GARDIN_PROFILE's or the default profile's. A
variable set aside is named on stderr.

Other settings:
  GARDIN_CA_FILE             extra trusted CAs for the token endpoint and the API (--ca-file)
  GARDIN_API_URL             the API base URL of api and proxy (--base-url; a -p profile's own
                             API URL beats it)
  GARDIN_CACHE_URL           a token cache shared by many hosts on Redis: redis://[user:password@]host:port[/db]
                             or rediss:// (--cache-url); above a profile's own

Set by gardin-token for the commands it runs:
  GARDIN_ACCESS_TOKEN, GARDIN_ACCESS_TOKEN_EXPIRES_AT   exec (--var-name renames them)
  GARDIN_ACCESS_TOKEN_FILE, BEARER_TOKEN_FILE            exec --refresh: a file kept fresh
  GARDIN_API_URL, GARDIN_PROXY_KEY                       proxy -- <command>

From the system:
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (either case)   proxies, as curl reads them; never
                             used for a loopback URL; a malformed one is exit 2
  NODE_EXTRA_CA_CERTS        extra CAs for any Node program
  NO_COLOR                   no colour on stderr (stdout never has any); TERM=dumb: no spinner
  XDG_CONFIG_HOME, XDG_CACHE_HOME   where profiles and cached tokens live (Linux)
  XDG_RUNTIME_DIR            where exec --refresh keeps its token file (else the temporary folder)
  GITHUB_ACTIONS, GITHUB_ENV  read by -o github

Precedence of the other settings, field by field: flag > variable > profile > built-in default.
`;

/** The topics of `gardin-token help` beyond the commands. */
export const HELP_TOPICS: Record<string, string> = { environment: ENVIRONMENT_HELP, 'exit-codes': EXIT_CODES_HELP };

export const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'help on a command, or on a topic: environment, exit-codes',
  args: [
    {
      name: '[topic...]',
      description: 'a command (exec, profile add, ...) or a topic',
      complete: (root) => [...(root.subcommands ?? []).map((c) => c.name).filter((n) => n !== 'help'), ...Object.keys(HELP_TOPICS)],
    },
  ],
  run: ([topic], _opts, { deps, root, helpOf }) => {
    const words = topic as string[];
    const name = words.join(' ');
    const text = Object.hasOwn(HELP_TOPICS, name) ? HELP_TOPICS[name] : words[0] === 'help' ? undefined : helpOf(words);
    if (text === undefined) throw unknownHelpTopic(name, [...(root.subcommands ?? []).map((c) => c.name).filter((n) => n !== 'help'), ...Object.keys(HELP_TOPICS)]);
    deps.io.stdout.write(text);
    return 0;
  },
};
