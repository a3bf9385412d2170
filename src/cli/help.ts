/** Help text beyond commander's option list: the rules scripts depend on, in a few lines each. */

export const ROOT_HELP_AFTER = `
Settings, field by field: a flag, then a GARDIN_* variable, then the profile, then the default.
A profile named with -p/--profile beats the GARDIN_* credential variables (flags still beat it);
those it sets aside are named on stderr. GARDIN_PROFILE and the default profile stay below them.
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

Examples:
  gardin-token                                   print a token (the default profile, or GARDIN_*)
  eval "$(gardin-token --export)"                set GARDIN_ACCESS_TOKEN in a shell script
  gardin-token -p prod exec -- ./sync.sh         run a command with prod's token in its environment
  gardin-token -o github                         in GitHub Actions: mask it, export it to later steps
  gardin-token api /devices --paginate           call the Gardin API with the token attached
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

Credentials and endpoint (each below its flag and above a profile; a profile named with -p/--profile
beats these five, and the ones it sets aside are named on stderr):
  GARDIN_CLIENT_ID           client ID                          (--client-id)
  GARDIN_CLIENT_SECRET       client secret                      (--client-secret)
  GARDIN_CLIENT_SECRET_FILE  a file holding the client secret   (--client-secret-file)
  GARDIN_TOKEN_URL           the token endpoint                 (--token-url)
  GARDIN_SCOPE               scopes, space-separated            (--scope)

Other settings:
  GARDIN_PROFILE             the stored profile to use, below the variables above (-p names one above them)
  GARDIN_CA_FILE             extra trusted CAs for the token endpoint and the API (--ca-file)
  GARDIN_API_URL             the API base URL of \`gardin-token api\` (--base-url; a -p profile's own
                             API URL beats it)
  GARDIN_CACHE_URL           a token cache shared by many hosts on Redis: redis://[user:password@]host:port[/db]
                             or rediss:// (--cache-url); above a profile's own

From the system:
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (either case)   proxies, as curl reads them; never
                             used for a loopback URL; a malformed one is exit 2
  NODE_EXTRA_CA_CERTS        extra CAs for any Node program
  NO_COLOR                   no colour on stderr (stdout never has any)
  XDG_CONFIG_HOME, XDG_CACHE_HOME   where profiles and cached tokens live (Linux)
  GITHUB_ACTIONS, GITHUB_ENV  read by -o github

Precedence, field by field: flag > variable > profile > built-in default, except as said above.
`;

/** A few real examples under each command's --help: a terminal, a script, CI. */
export const EXAMPLES: Record<string, string> = {
  exec: `
Examples:
  gardin-token exec -- ./sync-sensors.sh --since yesterday
  gardin-token -p prod exec -- curl -H 'Authorization: Bearer $GARDIN_ACCESS_TOKEN' ...   (single quotes: the child expands it)
  gardin-token exec --var-name API_TOKEN -- python fetch.py        # in CI: the token lives only in the child
`,
  inspect: `
Examples:
  gardin-token inspect                           # on a terminal: the current token's claims, scopes and expiry
  gardin-token -o header | gardin-token inspect  # a token (bare, Bearer, or a header line) on stdin
  gardin-token inspect "$TOKEN" --json | jq .claims.scope
  gardin-token inspect "$TOKEN" >/dev/null || echo expired   # exit 6 once it has expired
`,
  status: `
Examples:
  gardin-token status                            # is a token cached for these settings, until when, where
  gardin-token status --min-ttl 600 -q || gardin-token --force-refresh >/dev/null   # exit 6: renew it
  gardin-token -p prod status --json
  GARDIN_CACHE_URL=redis://redis:6379 gardin-token status   # the shared entry too
`,
  'profile add': `
Examples:
  gardin-token profile add prod                  # on a terminal: asks for what is missing, the secret hidden
  printf %s "$SECRET" | gardin-token profile add ci --client-id abc123 --client-secret-stdin --scope jobs:read
  gardin-token profile add dev --client-id d-1 --client-secret-command 'pass show gardin/dev' --default
  gardin-token profile add ci --secret-store file --cache-url redis://redis:6379   # a CI runner: no keychain, a shared cache
`,
  'profile set': `
Examples:
  gardin-token profile set prod --scope jobs:read --scope jobs:write   # only the scopes change
  printf %s "$NEW_SECRET" | gardin-token profile set prod --client-secret-stdin
  gardin-token profile set prod --secret-store keychain    # move the stored secret into the OS keychain
`,
  'profile rename': `
Examples:
  gardin-token profile rename staging stage      # the default follows a renamed profile
`,
  'profile list': `
Examples:
  gardin-token profile list                      # * marks the default
  gardin-token profile list --json | jq -r '.[].name'
`,
  'profile show': `
Examples:
  gardin-token profile show prod                 # never the secret: where it comes from
`,
  'profile use': `
Examples:
  gardin-token profile use prod                  # calls without -p or GARDIN_PROFILE use it
`,
  'profile remove': `
Examples:
  gardin-token profile remove staging
`,
  'cache clear': `
Examples:
  gardin-token cache clear                       # forget every cached token
  gardin-token cache clear -p staging            # only those of one profile
  gardin-token cache clear --shared --cache-url redis://redis:6379   # this client's token, here and for the fleet
`,
  api: `
Examples:
  gardin-token api /devices
  gardin-token api devices --paginate | jq length
  gardin-token api jobs -f name=scan -F limit=50          # POST {"name":"scan","limit":50}
  gardin-token api -X PUT devices/dev-1 --input device.json
`,
  completion: `
Examples:
  source <(gardin-token completion bash)         # now; add the line to ~/.bashrc to keep it
  gardin-token completion zsh > "\${fpath[1]}/_gardin-token"   # zsh, for good (or source <(...) in ~/.zshrc)
  gardin-token completion fish > ~/.config/fish/completions/gardin-token.fish
`,
};

/** The topics of `gardin-token help` beyond the commands. */
export const HELP_TOPICS: Record<string, string> = { environment: ENVIRONMENT_HELP, 'exit-codes': EXIT_CODES_HELP };
