#!/usr/bin/env node
'use strict';
// CommonJS on purpose: a CJS bundle starts ~15 ms faster than ESM on Node 20 (README, Speed).
// SIGUSR1 would open Node's inspector on 127.0.0.1:9229 to any local user, with the secret in
// memory; a listener of our own keeps that from happening.
process.on('SIGUSR1', () => undefined);
if (process.argv.includes('-v') || process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const { dirname, sep } = require('node:path');
const dist = dirname(__dirname) + sep + 'dist';
// boot.cjs loads the other bundles, compiled from the V8 code cache where it holds them. It is
// compiled here, with the arguments require() gives a module, rather than require()d: require()
// resolves its path (realpath, package scope lookups), and with that work node:path's helpers ran
// often enough for Node 24's V8 to compile them with Maglev, ~2 MiB of a cached call's peak memory.
const bootFile = dist + sep + 'boot.cjs';
const boot = { exports: {} };
require('node:vm')
  .compileFunction(require('node:fs').readFileSync(bootFile, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: bootFile })
  .call(boot.exports, boot.exports, require, boot, bootFile, dist);
const codeCache = boot.exports.useCodeCache(dist, process.env);
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
main(process.argv, deps).then(
  (code) => {
    codeCache.write(code === 0);
    // Everything is written (output goes out through writeSync): exit now rather than wait for the
    // event loop to drain and Node to take the environment down, which costs a cached call ~1.5 ms;
    // nor can a stray socket or timer hold the shell.
    process.exit(code);
  },
  // main reports every failure itself; this is a bug in that reporting, said in one line.
  (err) => {
    try {
      require('node:fs').writeSync(2, `error: Internal error (a bug in gardin-token): ${err && err.message}\n`);
    } finally {
      process.exit(1);
    }
  },
);
