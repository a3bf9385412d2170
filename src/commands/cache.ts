import type { Deps } from '../platform/deps.js';
import { cacheCleared, noSharedCache, optionNeedsShared, sharedCacheCleared } from './messages.js';
import { readProfileStore } from '../config/profiles.js';
import type { Reporter } from '../platform/reporter.js';
import { checkTokenUrl, DEFAULT_TOKEN_URL, selectProfile, type TokenInputs } from '../config/settings.js';
import { clearCache } from '../cache/file.js';
import { clearShared } from '../token/obtain.js';
import type { CommandSpec } from './command.js';
import { settingsFrom } from './fetch.js';
import { IDENTITY_OPTIONS } from './options.js';

/** The identity options that only `cache clear --shared` reads (-p works either way). */
const SHARED_ONLY: Array<[keyof TokenInputs, string]> = [
  ['clientId', '--client-id'],
  ['clientSecret', '--client-secret'],
  ['clientSecretStdin', '--client-secret-stdin'],
  ['clientSecretFile', '--client-secret-file'],
  ['tokenUrl', '--token-url'],
  ['scope', '--scope'],
  ['authMethod', '--auth-method'],
  ['cacheUrl', '--cache-url'],
];

/**
 * `cache clear`: removes every cached token or, with --profile, those of that profile's client
 * at its token URL. Lock folders and damaged files go too when clearing everything. With
 * --shared: the entry of the current settings on the shared cache, and the local one.
 */
async function clearTokens(opts: TokenInputs & { shared?: boolean }, deps: Deps, reporter: Reporter): Promise<number> {
  if (opts.shared) return clearSharedEntry(opts, deps, reporter);
  const given = SHARED_ONLY.find(([key]) => opts[key] !== undefined);
  if (given) throw optionNeedsShared(given[1]);
  const dir = deps.dirs.cache;
  let which: Parameters<typeof clearCache>[1];
  if (opts.profile !== undefined) {
    const { clientId, tokenUrl } = selectProfile({ profile: opts.profile }, {}, readProfileStore(deps.dirs.config))!.profile;
    const url = checkTokenUrl(tokenUrl ?? DEFAULT_TOKEN_URL, { kind: 'profile', name: opts.profile });
    which = (e) => e.clientId === clientId && e.tokenUrl === url;
  }
  const removed = clearCache(dir, which);
  reporter.info(cacheCleared(removed, opts.profile, dir));
  return 0;
}

async function clearSharedEntry(opts: TokenInputs, deps: Deps, reporter: Reporter): Promise<number> {
  const settings = settingsFrom(opts, deps);
  if (!settings.sharedCache) throw noSharedCache();
  const { local, shared, url } = await clearShared(settings, deps, reporter);
  reporter.info(sharedCacheCleared(local, shared, url));
  // Redis out of reach has already been warned about; the exit code says the entry may remain.
  return shared === undefined ? 4 : 0;
}

export const cacheCommand: CommandSpec = {
  name: 'cache',
  summary: 'manage the token cache',
  subcommands: [
    {
      name: 'clear',
      summary: "forget cached tokens (all, or those of one profile); with --shared, the current settings' token, here and on Redis",
      // With --shared it acts on one identity, resolved as a token call resolves it.
      options: [
        ...IDENTITY_OPTIONS,
        { flags: '--shared', description: 'delete the shared (Redis) entry of the current settings, and the local one' },
        { flags: '--cache-url <url>', description: 'the shared cache on Redis [env: GARDIN_CACHE_URL]' },
      ],
      examples: `
Examples:
  gardin-token cache clear                       # forget every cached token
  gardin-token cache clear -p staging            # only those of one profile
  gardin-token cache clear --shared --cache-url redis://redis:6379   # this client's token, here and for the fleet
`,
      run: (_args, opts, { deps, reporter }) => clearTokens(opts, deps, reporter),
    },
  ],
};
