import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's map of src/ (section Hacking) names every module, and only modules that exist.
const root = join(import.meta.dirname, '../..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(root, join(dir, e.name))] : [],
  );

describe("the README's map of src/", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const map = readme.slice(readme.indexOf('## Hacking'));
  const named = [...map.matchAll(/^(src\/\S+\.ts)\s/gm)].map((m) => m[1]!);

  it('names every module of src/', () => {
    expect(named.sort()).toEqual(sources(join(root, 'src')).sort());
  });
});
