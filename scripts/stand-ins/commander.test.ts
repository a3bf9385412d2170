import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, expectPinned, packageDir } from './pin.js';

// Guard of commander.mjs: commander uses node:child_process only to run executable subcommands.
describe('the commander stand-in', () => {
  it('is written against commander 14.0.3', () => expectPinned('commander', '14.0.3'));

  it('commander calls child_process only in _executeSubCommand, which a CLI without executable subcommands never reaches', () => {
    const text = readFileSync(join(packageDir('commander'), 'lib', 'command.js'), 'utf8');
    const uses = [...text.matchAll(/childProcess\.\w+/g)].map((m) => m.index);
    const method = text.indexOf('  _executeSubCommand(subcommand, args) {');
    const next = text.indexOf('\n  }\n', method);
    expect(uses.length).toBeGreaterThan(0);
    for (const at of uses) expect(at > method && at < next, 'a use of child_process outside _executeSubCommand').toBe(true);
  });

  it('the built CLI chunk takes child_process through the stand-in', () => {
    const chunk = bundle('cli-program.cjs');
    expect(chunk).toContain('// commander-child-process:child_process');
    expect(chunk.match(/require\("node:child_process"\)/g)).toEqual(['require("node:child_process")']);
  });
});
