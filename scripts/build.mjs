// Builds dist/, CommonJS bundles (they start ~15 ms faster than ESM on Node 20; README, Speed):
//   core.cjs      the shared modules: the token module, settings, errors, profiles... (no CLI code)
//   index.cjs     the library entry (`require('gardin-token')`): getToken, its types, the errors
//   start.cjs     what the bin loads: the default command, read by Node's own argument parser
//   cli.cjs       commander and every other command, loaded when the quick parser declines a call
//   refresh.cjs, http.cjs, spinner.cjs, profile-store.cjs, shared-cache.cjs, keychain.cjs
//                 loaded lazily, only when a token is fetched (refresh; http: undici, shared with
//                 `gardin-token api`), a spinner shown, a profile written, the shared cache on
//                 Redis asked (ioredis) or the OS keychain read
// Every module of src/ lives in exactly one bundle. Which one follows from the imports: core is
// what the library entry reaches, start what the default command reaches beyond core; the other
// bundles take those modules from core.cjs and start.cjs at run time (each module's exports under
// its own key), so every module, and so every error class, exists once. The build fails if a heavy
// package reaches the start-up bundles, or a module two.
import { build } from 'esbuild';
import { constants as http2Constants } from 'node:http2';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(root, 'src');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
/** Lazily imported modules, each its own bundle; the value is the bundle's name. */
const LAZY = {
  'token/refresh.ts': 'refresh',
  'http.ts': 'http',
  'spinner.ts': 'spinner',
  'profile-store.ts': 'profile-store',
  'token/shared-cache.ts': 'shared-cache',
  'keychain.ts': 'keychain',
  'cli.ts': 'cli',
};
/** Packages no start-up bundle may contain; the library's core may not contain the CLI's either. */
const HEAVY = ['undici', 'conf', 'ora', 'ajv', 'ioredis', '@napi-rs'];
const CLI_ONLY = ['commander', '@commander-js'];

/**
 * A build-time stand-in: `module` (a bare name; `node:` prefixed or not), imported from a package
 * whose path matches `importers`, is given `contents` (a function of the name imported) instead.
 */
function standIn(name, module, importers, contents) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(node:)?(${module})$`) }, (args) =>
        importers.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: name } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: name }, (args) => ({ contents: typeof contents === 'function' ? contents(args.path) : contents, loader: 'js' }));
    },
  };
}

/**
 * commander requires child_process at load time for executable subcommands, which this CLI
 * never uses; a stub that loads it on first use keeps ~8 ms off every start.
 */
const lazyChildProcess = standIn(
  'lazy-child-process',
  'child_process',
  /node_modules\/commander\//,
  "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
);

/**
 * ioredis logs through `debug`, which probes the terminal when loaded (~5 ms) and, with DEBUG=ioredis:*
 * in the environment, would write the commands it sends (AUTH among them) straight to stderr, past
 * our scrubbing. A `debug` that is always off replaces it.
 */
const debugOff = standIn(
  'debug-off',
  'debug',
  /node_modules\/ioredis\//,
  "const off = () => Object.assign(() => undefined, { enabled: false, namespace: '', log: () => undefined, destroy: () => undefined });\nmodule.exports = off;\nmodule.exports.default = off;",
);

/**
 * undici's HTTP/2 client reads node:http2's constants when it is loaded, which loads http2 (~8 ms
 * of every first call), although HTTP/2 is used only with `allowH2`, which this tool never sets.
 * The constants are taken here, at build time (they are HTTP/2's own); anything else of http2
 * loads it on first use.
 */
const lazyHttp2 = standIn(
  'lazy-http2',
  'http2',
  /node_modules\/undici\//,
  `const constants = ${JSON.stringify(http2Constants)};
module.exports = new Proxy({ constants }, { get: (t, key) => (key === 'constants' ? t.constants : require('node:http2')[key]) });`,
);

/**
 * undici requires node:assert in most of its modules (~1.5 ms of a first call), and only ever
 * calls it as assert(value): an internal check that holds. redis-errors (under ioredis) does the
 * same, plus assert.strictEqual, when it builds a parser error (~2.5 ms of every call that asks
 * the shared cache). The stand-in loads node:assert only when a check fails (or strictEqual is
 * called), and lets it throw its AssertionError.
 */
const lazyAssert = standIn(
  'lazy-assert',
  'assert',
  /node_modules\/(undici|redis-errors)\//,
  `function assert(value, message) { if (!value) require('node:assert')(value, message); }
assert.strictEqual = (...args) => require('node:assert').strictEqual(...args);
module.exports = assert;`,
);

/**
 * undici reads two things of node:http when it is loaded (~1.5 ms of every first call to load
 * it): IncomingMessage, to recognise a request body that is an incoming message when it destroys
 * one (ours are strings and Buffers), and maxHeaderSize, its default limit on the size of a
 * response's headers. The stand-in gives Node's default for that (16 KiB; a token endpoint's
 * answer has a handful of headers), so NODE_OPTIONS=--max-http-header-size does not change it.
 */
const lazyHttp = standIn(
  'lazy-http',
  'http',
  /node_modules\/undici\//,
  'module.exports = { IncomingMessage: class IncomingMessage {}, maxHeaderSize: 16 * 1024 };',
);

/**
 * undici builds a search tree of ~100 well-known header names when it is loaded (~2.5 ms of every
 * first call), a shortcut for turning a response's header names into lower-case strings. Its only
 * user, core/util.js, falls back to lower-casing the name itself when a lookup finds nothing,
 * which gives the same string: the stand-in's lookup finds nothing.
 */
const noHeaderTree = standIn(
  'no-header-tree',
  '\\./tree',
  /node_modules\/undici\/lib\/core\/util\.js$/,
  'module.exports = { tree: { lookup: () => null } };',
);
{
  const util = readFileSync(createRequire(import.meta.url).resolve('undici/lib/core/util.js'), 'utf8');
  const uses = util.match(/\btree\.\w+\([^)]*\)[^\n]*/g) ?? [];
  if (uses.length === 0 || uses.some((u) => !u.startsWith("tree.lookup(value) ?? value.toString('latin1').toLowerCase()"))) {
    throw new Error("undici's core/util.js uses its header tree differently now: check the no-header-tree step of the build");
  }
}

/**
 * ioredis loads node:tls (used only to connect to rediss://) and, through its Cluster options,
 * node:dns (used only by Cluster) when it is loaded: both become stand-ins that load the module
 * on first use, so a redis:// call pays for neither. Members are read at load (dns.lookup into
 * Cluster's defaults): each is a function that loads the module when called.
 */
const lazyRedisBuiltins = standIn(
  'lazy-redis-builtins',
  'tls|dns',
  /node_modules\/ioredis\//,
  (module) => `module.exports = new Proxy({}, { get: (_, key) => (...args) => require(${JSON.stringify(`node:${module}`)})[key](...args) });`,
);

/**
 * ioredis adds a method per Redis command (~600) to its Commander class's prototype when it is
 * loaded, which V8 does in quadratic time while the prototype keeps fast properties: ~11 ms of
 * every call that asks the shared cache. Two lines make the prototype a dictionary first (0.5 ms
 * for the same methods); V8 makes it fast again once it is used. The build fails if the line it
 * goes before changes.
 */
const ioredisPrototype = {
  name: 'ioredis-prototype',
  setup(b) {
    b.onLoad({ filter: /node_modules\/ioredis\/built\/utils\/Commander\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const at = 'commands.forEach(function (commandName) {';
      if (text.split(at).length !== 2) throw new Error(`${args.path} changed: check the ioredis-prototype step of the build`);
      const before = 'Commander.prototype.__a = 0; Commander.prototype.__b = 0; delete Commander.prototype.__a; delete Commander.prototype.__b;\n';
      return { contents: text.replace(at, before + at), loader: 'js' };
    });
  },
};

const srcFile = (importer, path) => {
  if (!importer.startsWith(src)) return undefined;
  const file = relative(src, resolve(dirname(importer), path)).replace(/\.js$/, '.ts');
  return file.endsWith('.ts') && !file.startsWith('..') ? file : undefined;
};

/**
 * Resolves imports between modules of src/ for the bundle whose own modules are `own`: its own
 * are bundled, a lazy module is required from its chunk, a shared one (core, start) from the
 * bundle that holds it (`shared`: module -> bundle name).
 */
function linker(own, shared) {
  return {
    name: 'linker',
    setup(b) {
      b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = srcFile(args.importer, args.path);
        if (!file || own.has(file)) return undefined;
        if (LAZY[file]) return { path: `./${LAZY[file]}.cjs`, external: true };
        if (shared.has(file)) return { path: file, namespace: 'shared-link' };
        return undefined;
      });
      // ESM bindings rather than `module.exports = ...`: esbuild would wrap a CommonJS module in
      // __toESM, which copies every export of every linked module at start-up.
      b.onLoad({ filter: /.*/, namespace: 'shared-link' }, (args) => ({
        contents: `export const { ${exportNames.get(args.path).join(', ')} } = require('./${shared.get(args.path)}.cjs')[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

// dynamic-import off: esbuild then loads lazy chunks with require(), not through the ESM loader
// (which would also run cjs-module-lexer over each chunk: ~50 ms for the refresh chunk).
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  supported: { 'dynamic-import': false },
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  define: { __GARDIN_TOKEN_VERSION__: JSON.stringify(version) },
  // A native module with a prebuilt binary per platform (an optional dependency): loaded from
  // node_modules at run time, and only for a profile whose secret is in the OS keychain.
  external: ['@napi-rs/keyring'],
};

/** The src/ modules a build of `entry` bundles (its inputs under src/). */
const modulesOf = (result) =>
  Object.keys(result.metafile.inputs)
    .filter((i) => i.startsWith('src/'))
    .map((i) => i.slice('src/'.length));

rmSync(resolve(root, 'dist'), { recursive: true, force: true, maxRetries: 3 });

/** The src/ modules that `entry` reaches, without entering lazy chunks or the modules in `stop`. */
async function reachAll(entry, stop) {
  const seen = new Set([entry]);
  const r = await build({
    ...common,
    entryPoints: [resolve(src, entry)],
    write: false,
    outfile: 'x.cjs',
    plugins: [
      {
        name: 'reach',
        setup(b) {
          b.onResolve({ filter: /\.cjs$/ }, (args) => ({ path: args.path, external: true }));
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const file = srcFile(args.importer, args.path);
            if (file && LAZY[file] && file !== entry) return { path: file, external: true };
            if (file && stop.has(file)) return { path: file, external: true };
            return undefined;
          });
        },
      },
    ],
  });
  for (const m of modulesOf(r)) seen.add(m);
  return [...seen];
}
// Pass 1, nothing written: what belongs where.
const coreFiles = (await reachAll('index.ts', new Set())).filter((m) => m !== 'index.ts').sort();
const coreSet = new Set(coreFiles);
const startFiles = (await reachAll('start.ts', coreSet)).filter((m) => !coreSet.has(m)).sort();
/** The modules other bundles take from core.cjs and start.cjs, and which of the two holds each. */
const shared = new Map([...coreFiles.map((f) => [f, 'core']), ...startFiles.map((f) => [f, 'start'])]);
const sharedSet = new Set(shared.keys());
/** Each shared module's export names, read off the bundle that holds it once that is built. */
const exportNames = new Map();
const requireBuilt = createRequire(import.meta.url);
function learnExports(name, files) {
  const built = requireBuilt(resolve(root, `dist/${name}.cjs`));
  for (const f of files) {
    const names = Object.keys(built[f]);
    const odd = names.find((n) => !/^[A-Za-z_$][\w$]*$/.test(n) || n === 'default');
    if (odd) throw new Error(`src/${f} exports ${odd}, which a link cannot bind`);
    exportNames.set(f, names);
  }
}
/** An entry that exports each of these modules under its own key. */
const namespaces = (files) => files.map((f) => `export * as ${JSON.stringify(f)} from './${f.replace(/\.ts$/, '.js')}';`).join('\n');

// Pass 2: the bundles.
const placed = new Map();
async function bundle(name, entryContents, own, plugins = []) {
  const result = await build({
    ...common,
    ...(typeof entryContents === 'string' ? { stdin: { contents: entryContents, resolveDir: src, sourcefile: `${name}-entry.js`, loader: 'js' } } : { entryPoints: [resolve(src, entryContents.entry)] }),
    outfile: resolve(root, `dist/${name}.cjs`),
    plugins: [linker(own, name === 'core' ? new Map() : shared), ...plugins],
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const m of modulesOf(result)) {
    if (placed.has(m)) throw new Error(`src/${m} would be in both ${placed.get(m)}.cjs and ${name}.cjs`);
    placed.set(m, name);
  }
  return inputs;
}

const coreInputs = await bundle('core', namespaces(coreFiles), coreSet);
learnExports('core', coreFiles);
// The bin calls main and systemDeps; the CLI and the chunks take the modules by key.
const startInputs = await bundle('start', `${namespaces(startFiles)}\nexport { main, systemDeps } from './start.js';`, new Set(startFiles));
learnExports('start', startFiles);
await bundle('index', { entry: 'index.ts' }, new Set(['index.ts']));
// The stand-ins each match one package's imports only, so every lazy chunk gets them all.
const lazyInputs = {};
for (const [file, name] of Object.entries(LAZY)) {
  const own = new Set((await reachAll(file, sharedSet)).filter((m) => !sharedSet.has(m)));
  lazyInputs[name] = await bundle(name, { entry: file }, own, [lazyChildProcess, debugOff, lazyHttp2, lazyHttp, noHeaderTree, lazyRedisBuiltins, lazyAssert, ioredisPrototype]);
}
const cliInputs = lazyInputs.cli;

const contains = (inputs, pkgs) => pkgs.filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)));
const leaked = [...contains(coreInputs, [...HEAVY, ...CLI_ONLY]), ...contains(startInputs, [...HEAVY, ...CLI_ONLY]), ...contains(cliInputs, HEAVY)];
if (leaked.length > 0) throw new Error(`the start-up bundles must not contain ${[...new Set(leaked)].join(', ')}`);
