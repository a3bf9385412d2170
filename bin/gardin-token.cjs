#!/usr/bin/env node
'use strict';
// The executable: the process set up, then the CLI (src/cli/main.ts runAsProcess).
// CommonJS, as the bundles: they start faster than ESM on Node 20 (docs/speed.md).
// SIGUSR1 would open Node's inspector on 127.0.0.1:9229 to any local user, with the secret in
// memory; a listener of our own keeps that from happening.
process.on('SIGUSR1', () => undefined);
// Before the bundles load: source maps apply only to code loaded after this.
if (process.argv.includes('-v') || process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
require('../dist/start.cjs').runAsProcess(process.argv);
