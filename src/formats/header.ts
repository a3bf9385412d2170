import type { OutputFormat } from './format.js';

export const header: OutputFormat = {
  name: 'header',
  render: (t) => ({ stdout: `Authorization: Bearer ${t.accessToken}\n` }),
};
