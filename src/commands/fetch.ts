import type { Deps } from '../deps.js';
import type { Printable } from '../format.js';
import { readProfileStore } from '../profiles.js';
import type { Reporter } from '../reporter.js';
import { resolveSettings, type Settings, type TokenInputs } from '../settings.js';
import { obtainToken, type Obtained } from '../token/index.js';

// What every command that needs a token shares (the default command, exec, inspect, status):
// options -> settings -> token.

export function settingsFrom(opts: TokenInputs, deps: Deps): Settings {
  return resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
}

export async function fetchForCommand(opts: TokenInputs, deps: Deps, reporter: Reporter): Promise<Obtained> {
  const settings = settingsFrom(opts, deps);
  // Asked only on a cache miss: probing the terminal loads node:tty.
  return obtainToken(settings, deps, reporter, { spinner: () => !reporter.quiet && !reporter.verbose && deps.io.stderrIsTTY });
}

export const printable = (t: Obtained): Printable => ({
  accessToken: t.accessToken,
  tokenType: t.tokenType,
  expiresAt: t.expiresAt,
  scope: t.scope,
  cached: t.fromCache,
});
