import type { Deps } from '../platform/deps.js';
import { NO_VALID_TOKEN, noValidCachedToken } from './messages.js';
import { describeSource } from '../config/source.js';
import { isoTime } from '../formats/format.js';
import type { Reporter } from '../platform/reporter.js';
import type { TokenInputs } from '../config/settings.js';
import { lookupCache } from '../token/obtain.js';
import { expiresInSeconds } from '../cache/entry.js';
import type { CommandSpec } from './command.js';
import { settingsFrom } from './fetch.js';
import { IDENTITY_OPTIONS, JSON_OPTION } from './options.js';

/**
 * `status`: what the cache holds for the current settings. Never prints the token. Exit 0 only
 * when a token with at least --min-ttl left is cached, else 6, so a script can ask.
 */
async function reportStatus(opts: TokenInputs & { json?: boolean }, deps: Deps, reporter: Reporter): Promise<number> {
  const settings = settingsFrom(opts, deps);
  const lookup = await lookupCache(settings, deps, reporter);
  const now = deps.now();
  const e = lookup.entry;
  const report = {
    clientId: settings.clientId.value,
    tokenUrl: settings.tokenUrl.value,
    scopes: settings.scopes.value,
    profile: settings.profile?.value ?? null,
    cached: e !== undefined,
    fresh: lookup.fresh,
    expiresAt: e ? isoTime(e.expiresAt) : null,
    expiresIn: e ? expiresInSeconds(e.expiresAt, now) : null,
    cacheFile: lookup.file,
    shared: lookup.shared
      ? {
          url: lookup.shared.url,
          reachable: lookup.shared.reachable,
          cached: lookup.shared.entry !== undefined,
          fresh: lookup.shared.fresh,
          expiresAt: lookup.shared.entry ? isoTime(lookup.shared.entry.expiresAt) : null,
          expiresIn: lookup.shared.entry ? expiresInSeconds(lookup.shared.entry.expiresAt, now) : null,
        }
      : null,
  };
  // A fresh shared entry counts: the next call takes it without a request.
  const code = lookup.fresh || lookup.shared?.fresh ? 0 : NO_VALID_TOKEN;
  if (code !== 0) reporter.info(noValidCachedToken(settings.minTtlS.value));
  if (opts.json) {
    deps.io.stdout.write(JSON.stringify(report) + '\n');
    return code;
  }
  const lines = [
    `client id:   ${report.clientId} (from ${describeSource(settings.clientId.source)})`,
    `token url:   ${report.tokenUrl}`,
    `scopes:      ${report.scopes.join(' ') || '(none)'}`,
  ];
  if (report.profile) lines.push(`profile:     ${report.profile}`);
  if (!e) lines.push('cached:      no token cached; the next call fetches one');
  else {
    const mins = Math.floor((report.expiresIn ?? 0) / 60);
    lines.push(
      `cached:      yes, ${lookup.fresh ? 'fresh' : `expiring within --min-ttl (${settings.minTtlS.value} s): the next call fetches a new one`}`,
      `expires at:  ${report.expiresAt} (${report.expiresIn === 0 ? 'expired' : `in ${mins} min`})`,
    );
  }
  lines.push(`cache file:  ${lookup.file}`);
  const sh = report.shared;
  if (sh) {
    const state = !sh.reachable
      ? 'not reachable (see the warning above)'
      : !sh.cached
        ? 'no token'
        : sh.fresh
          ? `a fresh token, expires at ${sh.expiresAt} (in ${Math.floor((sh.expiresIn ?? 0) / 60)} min)`
          : `a token expiring within --min-ttl (${settings.minTtlS.value} s)`;
    lines.push(`shared:      ${sh.url}: ${state}`);
  }
  deps.io.stdout.write(lines.join('\n') + '\n');
  return code;
}

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'whether a cached token exists for the current settings, and until when; never the token',
  // It fetches nothing: whose token it asks about, and how much life counts as valid.
  options: [
    ...IDENTITY_OPTIONS,
    { flags: '--min-ttl <seconds>', description: 'a cached token counts only with this many seconds left (default: 60)' },
    { flags: '--cache-url <url>', description: 'also ask the shared cache on Redis [env: GARDIN_CACHE_URL]' },
    { flags: '--ca-file <pem>', description: 'extra trusted CA certificates (for rediss://) [env: GARDIN_CA_FILE]', complete: 'file' },
    JSON_OPTION,
  ],
  examples: `
Examples:
  gardin-token status                            # is a token cached for these settings, until when, where
  gardin-token status --min-ttl 600 -q || gardin-token --force-refresh >/dev/null   # exit 6: renew it
  gardin-token -p prod status --json
  GARDIN_CACHE_URL=redis://redis:6379 gardin-token status   # the shared entry too
`,
  run: (_args, opts, { deps, reporter }) => reportStatus(opts, deps, reporter),
};
