import type { Deps } from '../platform/deps.js';
import { NO_VALID_TOKEN, noValidCachedToken } from './messages.js';
import { describeSource } from '../config/source.js';
import { relativeTime } from '../platform/text.js';
import { isoTime } from '../formats/format.js';
import type { Reporter } from '../platform/reporter.js';
import type { TokenInputs } from '../config/settings.js';
import { lookupCache } from '../token/obtain.js';
import { expiresInSeconds } from '../cache/entry.js';
import type { CommandSpec } from './command.js';
import { settingsFrom } from './fetch.js';
import { IDENTITY_OPTIONS, JSON_OPTION } from './options.js';

/**
 * `status`: what the caches hold for the current settings. Never prints the token. Exit 0 only
 * when a token with at least --min-ttl left is cached (here or on the shared cache), else 6, so a
 * script can ask; with -q it prints nothing and answers by that code alone.
 */
async function reportStatus(opts: TokenInputs & { json?: boolean }, deps: Deps, reporter: Reporter): Promise<number> {
  const settings = settingsFrom(opts, deps);
  const lookup = await lookupCache(settings, deps, reporter);
  const now = deps.now();
  const e = lookup.entry;
  const sh = lookup.shared;
  // snake_case, as every JSON of the CLI.
  const report = {
    client_id: settings.clientId.value,
    client_id_source: describeSource(settings.clientId.source),
    token_url: settings.tokenUrl.value,
    token_url_source: describeSource(settings.tokenUrl.source),
    scopes: settings.scopes.value,
    profile: settings.profile?.value ?? null,
    cached: e !== undefined,
    fresh: lookup.fresh,
    expires_at: e ? isoTime(e.expiresAt) : null,
    expires_in: e ? expiresInSeconds(e.expiresAt, now) : null,
    cache_file: lookup.file,
    shared: sh
      ? {
          url: sh.url,
          reachable: sh.reachable,
          cached: sh.entry !== undefined,
          fresh: sh.fresh,
          expires_at: sh.entry ? isoTime(sh.entry.expiresAt) : null,
          expires_in: sh.entry ? expiresInSeconds(sh.entry.expiresAt, now) : null,
        }
      : null,
  };
  // A fresh shared entry counts: the next call takes it without a request.
  const code = lookup.fresh || sh?.fresh ? 0 : NO_VALID_TOKEN;
  if (opts.json) {
    deps.io.stdout.write(JSON.stringify(report) + '\n');
    return code;
  }
  if (reporter.quiet) return code;
  const until = (expiresAt: number) => `${isoTime(expiresAt)} (${expiresAt > now ? relativeTime(expiresAt - now) : `expired ${relativeTime(expiresAt - now)}`})`;
  const minTtl = `expiring within --min-ttl (${settings.minTtlS.value} s)`;
  const lines = [
    `client id:   ${report.client_id} (from ${report.client_id_source})`,
    `token url:   ${report.token_url} (from ${report.token_url_source})`,
    `scopes:      ${report.scopes.join(' ') || '(none)'}`,
  ];
  if (report.profile) lines.push(`profile:     ${report.profile}`);
  if (!e) lines.push(`cached:      no token cached here${sh?.fresh ? '' : '; the next call fetches one'}`);
  else lines.push(`cached:      yes, ${lookup.fresh ? 'fresh' : `${minTtl}: the next call fetches a new one`}`, `expires at:  ${until(e.expiresAt)}`);
  lines.push(`cache file:  ${lookup.file}`);
  if (sh) {
    const state = !sh.reachable
      ? 'not reachable (see the warning above)'
      : !sh.entry
        ? 'no token'
        : sh.fresh
          ? `a fresh token, expires at ${until(sh.entry.expiresAt)}`
          : `a token ${minTtl}`;
    lines.push(`shared:      ${sh.url}: ${state}`);
  }
  deps.io.stdout.write(lines.join('\n') + '\n');
  if (code !== 0) reporter.info(noValidCachedToken(settings.minTtlS.value));
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
