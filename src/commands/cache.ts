import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import { securePrivateDir } from '../private-files.js';
import type { Reporter } from '../reporter.js';
import { DEFAULT_TOKEN_URL, selectProfile, checkTokenUrl } from '../settings.js';
import { readProfileStore } from '../profiles.js';
import { parseCacheEntry } from '../token/cache.js';

/**
 * `cache clear`: removes every cached token or, with --profile, those of that profile's client
 * at its token URL. Lock folders and damaged files go too when clearing everything.
 */
export function cacheClear(opts: { profile?: string }, deps: Deps, reporter: Reporter): number {
  const dir = deps.dirs.cache;
  let match: ((text: string) => boolean) | undefined;
  if (opts.profile !== undefined) {
    const selected = selectProfile({ profile: opts.profile }, {}, readProfileStore(deps.dirs.config))!;
    const { clientId, tokenUrl } = selected.profile;
    const url = checkTokenUrl(tokenUrl ?? DEFAULT_TOKEN_URL, { kind: 'profile', name: opts.profile });
    match = (text) => {
      const e = parseCacheEntry(text, undefined);
      return e !== undefined && e.clientId === clientId && e.tokenUrl === url;
    };
  }
  let names: string[] = [];
  // Never through a symlinked folder: clearing would delete files wherever it points.
  if (securePrivateDir(dir, { create: false, strict: false })) {
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
  }
  let removed = 0;
  for (const name of names) {
    const file = join(dir, name);
    if (match) {
      if (!name.endsWith('.json')) continue;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (!match(text)) continue;
    } else if (!/\.json$|\.lock$|\.json\.[\w.]+\.tmp$/.test(name)) continue;
    rmSync(file, { recursive: true, force: true });
    if (name.endsWith('.json')) removed++;
  }
  reporter.info(`Removed ${removed} cached token${removed === 1 ? '' : 's'}${opts.profile ? ` of profile "${opts.profile}"` : ''} from ${dir}.`);
  return 0;
}
