import { colorEnabled, type Deps } from '../platform/deps.js';
import type { Printable } from '../formats/format.js';
import { readProfileStore } from '../config/profiles.js';
import type { Reporter } from '../platform/reporter.js';
import { resolveSettings, type Settings, type TokenInputs } from '../config/settings.js';
import { obtainToken, type Obtained } from '../token/obtain.js';

// What every command that needs a token shares (the default command, exec, inspect, status):
// options -> settings -> token.

export function settingsFrom(opts: TokenInputs, deps: Deps): Settings {
  return resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
}

export const fetchForCommand = (opts: TokenInputs, deps: Deps, reporter: Reporter): Promise<Obtained> => tokenFor(settingsFrom(opts, deps), deps, reporter);

/**
 * The token for settings already resolved, with a spinner on a terminal while one is fetched:
 * not on a dumb one (it cannot redraw a line), and uncoloured under NO_COLOR.
 */
export function tokenFor(settings: Settings, deps: Deps, reporter: Reporter): Promise<Obtained> {
  // Asked only on a cache miss: probing the terminal loads node:tty.
  const spinner = () => (!reporter.quiet && !reporter.verbose && deps.io.stderrIsTTY && deps.env.TERM !== 'dumb' ? { color: colorEnabled(deps.io, deps.env) } : undefined);
  return obtainToken(settings, deps, reporter, { spinner });
}

export const printable = (t: Obtained): Printable => ({
  accessToken: t.accessToken,
  tokenType: t.tokenType,
  expiresAt: t.expiresAt,
  scope: t.scope,
  cached: t.fromCache,
});
