/**
 * Loads a Node built-in on first use rather than at start-up. A static `import` of node:tty, for
 * one, pulls in net and the stream modules on every run, even one that never asks about a terminal.
 * process.getBuiltinModule exists from Node 20.16 (see "engines").
 */
export const builtin = <T>(id: string): T => process.getBuiltinModule(id) as T;
