import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// src/http.ts imports three undici modules by path (lib/api/api-connect, lib/dispatcher/dispatcher,
// lib/dispatcher/env-http-proxy-agent) to skip undici's index (~100 ms). Those paths are undici's
// internals, not its API: package.json pins the exact version, and this test fails on purpose
// when it changes, so whoever upgrades re-checks the paths and the README's speed figures.
const require = createRequire(import.meta.url);

describe('undici, imported by path', () => {
  it('is the version the by-path imports were written against', () => {
    const { version } = require('undici/package.json') as { version: string };
    expect(version, 'undici was upgraded: check the by-path imports in src/http.ts, then update this pin').toBe('7.30.2');
    expect(require('../../package.json').devDependencies.undici).toBe('7.30.2');
  });

  // scripts/build.mjs gives undici a node:assert that loads the real one only when a check fails:
  // that holds only while undici calls it as assert(value) and never uses a member of it.
  it('calls node:assert only as assert(value), which the build\'s stand-in covers', () => {
    const lib = join(dirname(require.resolve('undici/package.json')), 'lib');
    const files = readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const users = files.filter((f) => /require\('(node:)?assert'\)/.test(readFileSync(join(lib, f), 'utf8')));
    expect(users.length).toBeGreaterThan(10);
    for (const f of users) {
      const text = readFileSync(join(lib, f), 'utf8');
      expect(text, f).toMatch(/^const assert = require\('(node:)?assert'\)$/m);
      expect(text.match(/\bassert\.\w+/g) ?? [], f).toEqual([]);
    }
  });

  // redis-errors (under ioredis) gets the same node:assert stand-in, which also has strictEqual.
  it('redis-errors calls node:assert only as assert(value) and assert.strictEqual', () => {
    const lib = join(dirname(require.resolve('redis-errors/package.json')), 'lib');
    const users = readdirSync(lib).filter((n) => n.endsWith('.js') && /require\('(node:)?assert'\)/.test(readFileSync(join(lib, n), 'utf8')));
    expect(users.length).toBeGreaterThan(0);
    for (const f of users) {
      for (const member of readFileSync(join(lib, f), 'utf8').match(/\bassert\.\w+/g) ?? []) expect(member, f).toBe('assert.strictEqual');
    }
  });

  // The build's node:http stand-in has only IncomingMessage (never matched) and maxHeaderSize.
  it('reads node:http only for IncomingMessage and maxHeaderSize, which the build\'s stand-in covers', () => {
    const lib = join(dirname(require.resolve('undici/package.json')), 'lib');
    const uses = (f: string) => readFileSync(join(lib, f), 'utf8');
    expect(uses('core/util.js')).toMatch(/^const \{ IncomingMessage \} = require\('node:http'\)$/m);
    expect(uses('core/util.js').match(/\bIncomingMessage\b/g)).toHaveLength(2);
    expect(uses('dispatcher/client.js')).toMatch(/^const http = require\('node:http'\)$/m);
    expect(uses('dispatcher/client.js').match(/\bhttp\.\w+/g)?.every((m) => m === 'http.maxHeaderSize')).toBe(true);
    // The other users of node:http (fetch, the mocks) must stay out of the bundle, where they would get the stand-in.
    const bundled = readFileSync(join(dirname(require.resolve('../../package.json')), 'dist/http.cjs'), 'utf8');
    expect(bundled).not.toContain('// node_modules/undici/lib/web/fetch/index.js');
    expect(bundled).not.toContain('// node_modules/undici/lib/mock/');
    expect(bundled).not.toMatch(/require\("node:http"\)/);
  });

  it('still has those modules where http.ts takes them', () => {
    for (const path of ['undici/lib/api/api-connect.js', 'undici/lib/dispatcher/dispatcher.js', 'undici/lib/dispatcher/env-http-proxy-agent.js']) {
      expect(() => require.resolve(path), path).not.toThrow();
    }
  });
});
