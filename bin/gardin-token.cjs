#!/usr/bin/env node
'use strict';
// CommonJS on purpose: a CJS bundle starts ~15 ms faster than ESM on Node 20 (README, Speed).
if (process.argv.includes('-v') || process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const { main, systemDeps } = require('../dist/cli.cjs');
const deps = systemDeps();
// Baseline-compiled WebAssembly only: otherwise V8's optimising compile of undici's HTTP parser
// delays the exit of a fetching run by ~200 ms, and a one-shot CLI never profits from it.
deps.beforeNetwork = () => require('node:v8').setFlagsFromString('--liftoff-only');
main(process.argv, deps).then((code) => {
  process.exitCode = code;
  // The answer is out; should a stray socket or timer linger, it must not hold the shell.
  setTimeout(() => process.exit(code), 2000).unref();
});
