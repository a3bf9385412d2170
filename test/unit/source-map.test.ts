import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// CONTRIBUTING.md's map of src/ names every module, and only modules that exist.
const root = join(import.meta.dirname, '../..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(root, join(dir, e.name))] : []));

describe("CONTRIBUTING.md's map of src/", () => {
  const guide = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
  const map = guide.slice(guide.indexOf('## Map of src/'));
  const named = [...map.matchAll(/^(src\/\S+\.ts)\s/gm)].map((m) => m[1]!);

  it('names every module of src/', () => {
    expect(named.sort()).toEqual(sources(join(root, 'src')).sort());
  });
});
