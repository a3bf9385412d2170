import { readFileSync } from 'node:fs';
import { standIn } from './stand-in.mjs';

/**
 * ioredis logs through `debug`, which with DEBUG=ioredis:* in the environment writes the commands
 * it sends (AUTH and the Redis password among them) straight to stderr, past our scrubbing. A
 * `debug` that is always off replaces it. Kept for that, not for speed.
 */
export const ioredisDebugOff = standIn(
  'ioredis-debug-off',
  'debug',
  /node_modules\/ioredis\//,
  "const off = () => Object.assign(() => undefined, { enabled: false, namespace: '', log: () => undefined, destroy: () => undefined });\nmodule.exports = off;\nmodule.exports.default = off;",
);

/**
 * ioredis adds a method per Redis command (~600) to its Commander class's prototype when it is
 * loaded, which V8 does in quadratic time while the prototype keeps fast properties. Two lines
 * make the prototype a dictionary first. Serves every call that asks the shared cache: `status`
 * with one took 1.23x (Node 20), 1.24x (22) and 1.31x (24) as long without it (30 paired runs).
 */
export const ioredisPrototype = {
  name: 'ioredis-prototype',
  setup(b) {
    b.onLoad({ filter: /node_modules\/ioredis\/built\/utils\/Commander\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const at = 'commands.forEach(function (commandName) {';
      if (text.split(at).length !== 2) throw new Error(`${args.path} changed: check scripts/stand-ins/ioredis.mjs`);
      const before = 'Commander.prototype.__a = 0; Commander.prototype.__b = 0; delete Commander.prototype.__a; delete Commander.prototype.__b;\n';
      return { contents: text.replace(at, before + at), loader: 'js' };
    });
  },
};
