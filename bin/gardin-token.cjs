#!/usr/bin/env node
'use strict';
// CommonJS on purpose: a CJS bundle starts ~15 ms faster than ESM on Node 20 (README, Speed).
if (process.argv.includes('-v') || process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const { join } = require('node:path');
// The other bundles are loaded through it, compiled from the V8 code cache where it holds them.
const codeCache = require('../dist/boot.cjs').useCodeCache(join(__dirname, '..', 'dist'), process.env);
const { main, systemDeps } = codeCache.load('start.cjs');
codeCache.startupLoaded();
const deps = systemDeps();
// Baseline-compiled WebAssembly only, on Node 20: there V8's optimising compile of undici's HTTP
// parser delays the exit of a fetching run by ~100 ms (a first fetch took 0.52-0.56x as long with
// the flag, Node 20.20). On Node 22.23 and 24.22 the flag made the same run 1.18-1.26x slower, so
// it is left off there (15 paired whole-process runs each, 2026-11).
if (Number(process.versions.node.split('.')[0]) < 22) {
  deps.beforeNetwork = () => {
    require('node:v8').setFlagsFromString('--liftoff-only');
    // The fetch chunks, compiled from here on, are cached under this flag; the start-up ones are not.
    codeCache.flagsChanged();
  };
}
main(process.argv, deps).then((code) => {
  codeCache.write(code === 0);
  // Everything is written (output goes out through writeSync): exit now rather than wait for the
  // event loop to drain and Node to take the environment down, which costs a cached call ~1.5 ms;
  // nor can a stray socket or timer hold the shell.
  process.exit(code);
});
