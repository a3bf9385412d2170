import { lines, shQuote, type OutputFormat } from './format.js';

/**
 * For `.env` files and `docker run --env-file`, which take values verbatim (quotes would become
 * part of the value): a value is bare unless `sh` would change it (b64token allows a leading `~`,
 * which `. ./file` would expand to a home folder); such a value is single-quoted.
 */
export const dotenv: OutputFormat = {
  name: 'dotenv',
  render: (t, ctx) => ({ stdout: lines(t, ctx, (n, v) => `${n}=${/^(?!~)[A-Za-z0-9._~+/=:-]*$/.test(v) ? v : shQuote(v)}`) }),
};
