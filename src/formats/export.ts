import { lines, shQuote, type OutputFormat } from './format.js';

/** For `eval "$(gardin-token --export)"` in sh, bash and zsh. */
export const exportFormat: OutputFormat = {
  name: 'export',
  render: (t, ctx) => ({ stdout: lines(t, ctx, (n, v) => `export ${n}=${shQuote(v)}`) }),
  onFailure: 'false\n',
};
