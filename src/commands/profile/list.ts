import { noProfilesStored } from '../messages.js';
import { readProfileStore, storePath } from '../../config/profiles.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { JSON_OPTION } from '../options.js';
import { describe } from './fields.js';

/** `profile list`: one profile a line, the default marked with `*` (as `git branch` does). */
function listProfiles(opts: { json?: boolean }, { deps, reporter }: CommandContext): number {
  const store = readProfileStore(deps.dirs.config);
  const names = Object.keys(store.profiles).sort();
  if (names.length === 0) reporter.info(noProfilesStored());
  if (opts.json) {
    const list = names.map((n) => ({ name: n, default: n === store.default, ...describe(store.profiles[n]!, n, storePath(deps.dirs.config)) }));
    deps.io.stdout.write(JSON.stringify(list) + '\n');
  } else {
    deps.io.stdout.write(names.map((n) => `${n === store.default ? '*' : ' '} ${n}\n`).join(''));
  }
  return 0;
}

export const profileListCommand: CommandSpec = {
  name: 'list',
  summary: 'list profiles; * marks the default',
  options: [JSON_OPTION],
  examples: `
Examples:
  gardin-token profile list                      # * marks the default
  gardin-token profile list --json | jq -r '.[].name'
`,
  run: (_args, opts, ctx) => listProfiles(opts, ctx),
};
