import { lines, type OutputFormat } from './format.js';

const fishQuote = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** For `gardin-token -o fish | source`. */
export const fish: OutputFormat = {
  name: 'fish',
  render: (t, ctx) => ({ stdout: lines(t, ctx, (n, v) => `set -gx ${n} ${fishQuote(v)}`) }),
  onFailure: 'false\n',
};
