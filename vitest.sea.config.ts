import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The end-to-end suite against the single-file binary (npm run build:sea, then
// GARDIN_TOKEN_TEST_BIN=dist/sea/gardin-token vitest run -c vitest.sea.config.ts), as .ci/run does.
// Left out: what is not the CLI (the bundles, the package and its library: build/,
// jobs/create-fetch), the keychain (the binary cannot carry its native module:
// profiles/keychain-in-binary.test.ts checks that it says so) and the Action (it runs the npm
// package on the runner's Node).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['test/e2e/build/**', 'test/e2e/jobs/create-fetch.test.ts', 'test/e2e/profiles/keychain.test.ts', 'test/e2e/action/**'],
  },
});
