import { lines, type OutputFormat } from './format.js';

const psQuote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** For `gardin-token -o powershell | Invoke-Expression`; a failure is a terminating error. */
export const powershell: OutputFormat = {
  name: 'powershell',
  render: (t, ctx) => ({ stdout: lines(t, ctx, (n, v) => `$Env:${n} = ${psQuote(v)}`) }),
  onFailure: "throw 'gardin-token failed; see its error above'\n",
};
