import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, expectPinned, packageDir } from './pin.js';

// Guard of undici.mjs, and of the undici modules src/net/http.ts imports by path (undici's index
// also loads fetch, WebSocket, cookies and mocks: ~100 ms a fetching run does not need).
const require = createRequire(import.meta.url);
const lib = join(packageDir('undici'), 'lib');

describe('undici, as the build takes it', () => {
  it('is written against undici 7.30.2', () => expectPinned('undici', '7.30.2'));

  it('still has the modules http.ts imports by path', () => {
    for (const path of ['undici/lib/api/api-connect.js', 'undici/lib/dispatcher/dispatcher.js', 'undici/lib/dispatcher/env-http-proxy-agent.js']) {
      expect(() => require.resolve(path), path).not.toThrow();
    }
  });

  it('reads node:http2 at load for its constants only; the rest of it only inside the HTTP/2 client', () => {
    const files = readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && /require\('(node:)?http2'\)/.test(readFileSync(join(lib, f), 'utf8')));
    expect(files).toEqual([join('dispatcher', 'client-h2.js')]);
    const text = readFileSync(join(lib, files[0]!), 'utf8');
    expect(text).toMatch(/^const \{\n {2}constants: \{[^}]+\}\n\} = http2$/m);
    const connect = text.indexOf('function connectH2 (');
    const uses = [...text.matchAll(/\bhttp2\.\w+/g)];
    expect(uses.map((m) => m[0])).toEqual(['http2.connect']);
    expect(uses[0]!.index).toBeGreaterThan(connect);
  });

  it('the built HTTP chunk takes node:http2 through the stand-in', () => {
    const chunk = bundle('net-http.cjs');
    expect(chunk).toContain('// undici-lazy-http2:http2');
    expect(chunk.match(/require\("node:http2"\)/g)).toEqual(['require("node:http2")']);
  });
});
