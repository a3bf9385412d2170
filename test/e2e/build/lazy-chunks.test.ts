import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The build keeps heavy code off the start-up path: it refuses a static import of a lazy chunk
// (every bundle that loads the importer would load the chunk on every call) and a heavy package
// in a start-up bundle. Each case builds a copy of the sources with one line changed.
const root = resolve(import.meta.dirname, '../../..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gardin-token-build-'));
  for (const part of ['src', 'scripts', 'package.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const prepend = (file: string, line: string) => writeFileSync(join(dir, file), `${line}\n${readFileSync(join(dir, file), 'utf8')}`);
const build = () => execa('node', ['scripts/build.mjs'], { cwd: dir, reject: false });

describe('the build', () => {
  it('builds the sources as they are', async () => {
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('refuses a command that imports a lazy chunk statically (status would load undici on every call)', async () => {
    prepend('src/commands/status.ts', "import '../net/http.js';");
    const r = await build();
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('commands/status.ts imports net/http.ts statically, which is loaded lazily elsewhere');
  });

  it('refuses a heavy package in a start-up bundle', async () => {
    prepend('src/cli/main.ts', "import 'ioredis';");
    const r = await build();
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/must not contain .*ioredis/);
  });
});
