import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  // As scripts/build.mjs injects it into the bundles: package.json is the one place it is written.
  define: { __GARDIN_TOKEN_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts', 'scripts/stand-ins/*.test.ts'],
    // Bounds that catch a hang, not claims about speed: generous, so a busy machine never trips
    // them (speed is measured by `npm run bench`). Workers: vitest's default for the machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The JSON summary lets .ci/run print a closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
