import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readPrivateFile, writePrivateFile } from '../../src/platform/private-files.js';

const dir = mkdtempSync(join(tmpdir(), 'gardin-token-pf-'));
afterEach(() => rmSync(join(dir, 'f'), { force: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPrivateFile and writePrivateFile', () => {
  it('read back what was written, whatever its size up to the cap', () => {
    for (const size of [0, 1, 4095, 4096, 4097, 100_000]) {
      const text = 'x'.repeat(size);
      writePrivateFile(join(dir, 'f'), text);
      expect(readPrivateFile(join(dir, 'f'), 100_000), String(size)).toBe(text);
    }
  });
  it('refuse a file over the cap, and a symlink', () => {
    writePrivateFile(join(dir, 'f'), 'x'.repeat(5000));
    expect(() => readPrivateFile(join(dir, 'f'), 4999)).toThrowError(/larger than 4999 bytes/);
    rmSync(join(dir, 'f'));
    writeFileSync(join(dir, 'target'), 'x');
    symlinkSync(join(dir, 'target'), join(dir, 'f'));
    expect(() => readPrivateFile(join(dir, 'f'), 100)).toThrowError(/symbolic link/);
  });
  it('a missing file is undefined', () => {
    expect(readPrivateFile(join(dir, 'none'), 100)).toBeUndefined();
  });
});
