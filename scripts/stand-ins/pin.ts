import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');

/** The package's folder (found from its entry: not every package exports its package.json). */
export function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!dir.endsWith(join('node_modules', name))) dir = dirname(dir);
  return dir;
}

/** A package a stand-in patches is pinned to the version its guard was written against, and installed at it. */
export function expectPinned(name: string, version: string): void {
  const installed = (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
  const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies[name];
  const upgrade = `${name} was upgraded: re-check scripts/stand-ins and run npm run check-upgrade, then update this pin`;
  expect(declared, upgrade).toBe(version);
  expect(installed, upgrade).toBe(version);
}

/** A bundle of dist/ as text. */
export const bundle = (name: string): string => readFileSync(join(root, 'dist', name), 'utf8');
