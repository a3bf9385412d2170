import type { Deps } from '../deps.js';
import { readProfileStore } from '../profiles.js';
import type { Reporter } from '../reporter.js';
import { checkTokenUrl, DEFAULT_TOKEN_URL, selectProfile } from '../settings.js';
import { clearCache } from '../token/cache.js';

/**
 * `cache clear`: removes every cached token or, with --profile, those of that profile's client
 * at its token URL. Lock folders and damaged files go too when clearing everything.
 */
export function cacheClear(opts: { profile?: string }, deps: Deps, reporter: Reporter): number {
  const dir = deps.dirs.cache;
  let which: Parameters<typeof clearCache>[1];
  if (opts.profile !== undefined) {
    const { clientId, tokenUrl } = selectProfile({ profile: opts.profile }, {}, readProfileStore(deps.dirs.config))!.profile;
    const url = checkTokenUrl(tokenUrl ?? DEFAULT_TOKEN_URL, { kind: 'profile', name: opts.profile });
    which = (e) => e.clientId === clientId && e.tokenUrl === url;
  }
  const removed = clearCache(dir, which);
  reporter.info(`Removed ${removed} cached token${removed === 1 ? '' : 's'}${opts.profile ? ` of profile "${opts.profile}"` : ''} from ${dir}.`);
  return 0;
}
