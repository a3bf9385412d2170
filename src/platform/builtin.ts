/**
 * Loads a Node built-in on first use rather than at start-up. A static `import` of node:tty, for
 * one, pulls in net and the stream modules on every run, even one that never asks about a terminal.
 * The shipped bundle is CommonJS and has `require`; the ESM sources (tests) use
 * process.getBuiltinModule (Node 20.16+).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's own require, see above
export const builtin = <T>(id: string): T => (typeof require === 'function' ? require(id) : process.getBuiltinModule(id)) as T;
