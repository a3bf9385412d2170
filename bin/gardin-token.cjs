#!/usr/bin/env node
'use strict';
// The executable: the process set up, then main(argv, the real system) -> exit code.
// CommonJS, as the bundles: they start faster than ESM on Node 20 (docs/speed.md).
// SIGUSR1 would open Node's inspector on 127.0.0.1:9229 to any local user, with the secret in
// memory; a listener of our own keeps that from happening.
process.on('SIGUSR1', () => undefined);
if (process.argv.includes('-v') || process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const { main, systemDeps } = require('../dist/start.cjs');
main(process.argv, systemDeps()).then(
  // Everything is written (output goes out through writeSync): exit now rather than wait for the
  // event loop to drain; nor can a stray socket or timer hold the shell.
  (code) => process.exit(code),
  // main reports every failure itself; this is a bug in that reporting, said in one line.
  (err) => {
    process.stderr.write(`error: Internal error (a bug in gardin-token): ${err && err.message}\n`);
    process.exit(1);
  },
);
