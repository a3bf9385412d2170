import { readProfileStore, storePath } from '../../config/profiles.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { JSON_OPTION } from '../options.js';
import { describe, known } from './fields.js';

function showProfile(name: string, opts: { json?: boolean }, { deps }: CommandContext): number {
  const store = readProfileStore(deps.dirs.config);
  const d = { name, default: store.default === name, ...describe(known(store, name), name, storePath(deps.dirs.config)) };
  if (opts.json) deps.io.stdout.write(JSON.stringify(d) + '\n');
  else {
    const marked = (key: (typeof d.defaults)[number], value: string) => (d.defaults.includes(key) ? `${value} (the default)` : value);
    const rows: Array<[string, string]> = [
      ['name', name + (d.default ? ' (the default profile)' : '')],
      ['client id', d.client_id],
      d.private_key_file === null ? ['client secret', d.client_secret] : ['private key', d.private_key_file],
      ['token url', marked('token_url', d.token_url)],
      ['api url', marked('api_url', d.api_url)],
      ['scope', d.scope || '(none)'],
      ['auth method', marked('auth_method', d.auth_method)],
    ];
    if (d.key_id !== null) rows.push(['key id', d.key_id]);
    if (d.cache_url) rows.push(['shared cache', d.cache_url]);
    deps.io.stdout.write(rows.map(([k, v]) => `${(k + ':').padEnd(15)}${v}\n`).join(''));
  }
  return 0;
}

export const profileShowCommand: CommandSpec = {
  name: 'show',
  summary: 'show a profile (never its secret)',
  args: [{ name: '<name>', complete: 'profile' }],
  options: [JSON_OPTION],
  examples: `
Examples:
  gardin-token profile show prod                 # never the secret: where it comes from
`,
  run: ([name], opts, ctx) => showProfile(name as string, opts, ctx),
};
