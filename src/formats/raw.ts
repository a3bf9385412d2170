import type { OutputFormat } from './format.js';

export const raw: OutputFormat = {
  name: 'raw',
  render: (t) => ({ stdout: `${t.accessToken}\n` }),
};
