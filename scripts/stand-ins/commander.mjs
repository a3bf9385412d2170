import { standIn } from './stand-in.mjs';

/**
 * commander requires node:child_process at load time, for executable subcommands, which this CLI
 * never has: a stand-in loads it on first use (it never is). Serves every call that loads the
 * commander program (any subcommand, help, a usage error): `status` took 1.08x (Node 20 and 22)
 * and 1.05x (Node 24) as long without it (30 paired runs).
 */
export const commanderChildProcess = standIn(
  'commander-child-process',
  'child_process',
  /node_modules\/commander\//,
  "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
);
