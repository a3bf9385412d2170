import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, expectPinned, packageDir } from './pin.js';

// Guard of ioredis.mjs. That DEBUG=ioredis:* prints nothing is also tried end to end, with a real
// redis-server (test/e2e/fleet).
const built = join(packageDir('ioredis'), 'built');

describe('ioredis, as the build takes it', () => {
  it('is written against ioredis 6.0.0', () => expectPinned('ioredis', '6.0.0'));

  it('logs through debug from one module only, which the stand-in replaces', () => {
    const users = readdirSync(built, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && /require\("debug"\)/.test(readFileSync(join(built, f), 'utf8')));
    expect(users).toEqual([join('utils', 'debug.js')]);
    expect(bundle('fleet-shared-cache.cjs')).toContain('// ioredis-debug-off:debug');
  });

  it('adds its command methods in the one loop the prototype stand-in goes before', () => {
    const text = readFileSync(join(built, 'utils', 'Commander.js'), 'utf8');
    expect(text.split('commands.forEach(function (commandName) {')).toHaveLength(2);
    expect(bundle('fleet-shared-cache.cjs')).toContain('delete Commander.prototype.__a;');
  });
});
