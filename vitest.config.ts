import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bounds that catch a hang, not claims about speed: generous, so a busy machine never trips
    // them (speed is measured by `npm run bench`). Workers: vitest's default for the machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The JSON summary lets .ci/run print a closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
