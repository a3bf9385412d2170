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
token; exec returns its command's code.

Examples:
  gardin-token                                   print a token (the default profile, or GARDIN_*)
  eval "$(gardin-token --export)"                set GARDIN_ACCESS_TOKEN in a shell script
  gardin-token -p prod exec -- ./sync.sh         run a command with prod's token in its environment
  gardin-token -o github                         in GitHub Actions: mask it, export it to later steps
`;
