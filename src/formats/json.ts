import { expiresInSeconds } from '../cache/entry.js';
import { isoTime, type OutputFormat } from './format.js';

/** The token's JSON, in snake_case as OAuth's own token response. */
export const json: OutputFormat = {
  name: 'json',
  render: (t, { now }) => {
    const o: Record<string, unknown> = {
      access_token: t.accessToken,
      token_type: t.tokenType,
      expires_in: expiresInSeconds(t.expiresAt, now) ?? null,
      expires_at: t.expiresAt === undefined ? null : isoTime(t.expiresAt),
    };
    if (t.scope !== undefined) o.scope = t.scope;
    o.cached = t.cached;
    return { stdout: JSON.stringify(o) + '\n' };
  },
};
