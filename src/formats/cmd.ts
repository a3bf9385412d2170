import { lines, type OutputFormat } from './format.js';

/** For `for /f "delims=" %i in ('gardin-token -o cmd') do @%i` (the token is a b64token: nothing to escape). */
export const cmd: OutputFormat = {
  name: 'cmd',
  render: (t, ctx) => ({ stdout: lines(t, ctx, (n, v) => `set "${n}=${v}"`) }),
};
