// Builds dist/: CommonJS bundles (they start faster than ESM on Node 20; docs/speed.md).
//   core.cjs   what the library entry reaches: the token module, settings, errors... (no CLI code)
//   index.cjs  the library entry (`require('gardin-token')`)
//   start.cjs  what the bin loads: main, the quick parser, the default command (beyond core)
//   <chunk>.cjs one per module that is imported with import() (a lazy chunk), named by its path:
//              cli-program.cjs (commander and the other commands), token-refresh.cjs,
//              net-http.cjs (undici), fleet-shared-cache.cjs (ioredis), ...
//   common.cjs the modules that two lazy chunks or more import (net/messages.ts...), loaded with
//              the first of them
// Which module goes where follows from the imports. Every module of src/ lives in exactly one
// bundle: the others take it from there at run time (each module's exports under its own key), so
// every module, and so every error class, exists once. The build fails if a heavy package reaches
// a start-up bundle, if a module would be in two bundles, or if any module imports a lazy chunk
// statically (every bundle that loaded the importer would then load the chunk at start-up).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAND_INS } from './stand-ins/index.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(root, 'src');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
/** Packages no start-up bundle may contain; the library's core may not contain the CLI's either. */
const HEAVY = ['undici', 'conf', 'ora', 'ajv', 'ioredis', '@napi-rs', 'jose'];
const CLI_ONLY = ['commander', '@commander-js'];
/** GARDIN_BUILD_WITHOUT=name,name builds without those stand-ins (to measure one: npm run check-upgrade). */
const without = new Set((process.env.GARDIN_BUILD_WITHOUT ?? '').split(',').filter(Boolean));
const standIns = STAND_INS.filter((p) => !without.has(p.name));

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

/** The src/ module (`token/refresh.ts`) an import names, if it names one. */
const srcFile = (importer, path) => {
  if (!importer.startsWith(src)) return undefined;
  const file = relative(src, resolve(dirname(importer), path)).replace(/\.js$/, '.ts');
  return file.endsWith('.ts') && !file.startsWith('..') ? file : undefined;
};
const chunkName = (file) => file.replace(/\.ts$/, '').replaceAll('/', '-');

/**
 * Pass 1, nothing written: from `entry`, the src/ modules it reaches statically (not entering
 * `stop`), the modules it imports with import() (lazy chunks), and every static import of src/
 * modules, to check that none names a lazy chunk.
 */
async function explore(entry, stop) {
  const lazy = new Set();
  const staticImports = [];
  const r = await build({
    ...common,
    entryPoints: [resolve(src, entry)],
    write: false,
    outfile: 'x.cjs',
    plugins: [
      {
        name: 'explore',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const file = srcFile(args.importer, args.path);
            if (!file) return undefined;
            if (args.kind === 'dynamic-import') {
              lazy.add(file);
              return { path: file, external: true };
            }
            staticImports.push([relative(root, args.importer), file]);
            if (stop.has(file)) return { path: file, external: true };
            return undefined;
          });
        },
      },
    ],
  });
  const modules = Object.keys(r.metafile.inputs)
    .filter((i) => i.startsWith('src/'))
    .map((i) => i.slice('src/'.length));
  return { modules, lazy, staticImports };
}

rmSync(resolve(root, 'dist'), { recursive: true, force: true, maxRetries: 3 });

const core = await explore('index.ts', new Set());
const coreFiles = core.modules.filter((m) => m !== 'index.ts').sort();
const coreSet = new Set(coreFiles);
const start = await explore('cli/main.ts', coreSet);
const startFiles = start.modules.filter((m) => !coreSet.has(m)).sort();
/** The modules other bundles take from core.cjs and start.cjs, and which of the two holds each. */
const shared = new Map([...coreFiles.map((f) => [f, 'core']), ...startFiles.map((f) => [f, 'start'])]);
const sharedSet = new Set(shared.keys());

// Every lazy chunk, found from the entries and from each chunk in turn.
const lazy = new Map();
const allStatic = [...core.staticImports, ...start.staticImports];
const pending = [...core.lazy, ...start.lazy];
while (pending.length > 0) {
  const file = pending.pop();
  if (lazy.has(file)) continue;
  const found = await explore(file, sharedSet);
  lazy.set(
    file,
    found.modules.filter((m) => !sharedSet.has(m)),
  );
  allStatic.push(...found.staticImports);
  pending.push(...found.lazy);
}
/** Modules two lazy chunks reach: they go to common.cjs, which such chunks load. */
const reach = new Map();
for (const own of lazy.values()) for (const m of own) reach.set(m, (reach.get(m) ?? 0) + 1);
const commonFiles = [...reach]
  .filter(([, n]) => n > 1)
  .map(([m]) => m)
  .sort();
for (const [file, own] of lazy)
  lazy.set(
    file,
    own.filter((m) => !commonFiles.includes(m)),
  );
for (const [importer, file] of allStatic) {
  if (lazy.has(file)) throw new Error(`${importer} imports ${file} statically, which is loaded lazily elsewhere: use import() (or a type-only import)`);
}

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

/**
 * Resolves imports between modules of src/ for the bundle whose own modules are `own`: its own
 * are bundled, a lazy module is required from its chunk, a shared one (core, start) from the
 * bundle that holds it.
 */
function linker(own, links) {
  return {
    name: 'linker',
    setup(b) {
      b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = srcFile(args.importer, args.path);
        if (!file || own.has(file)) return undefined;
        if (lazy.has(file)) return { path: `./${chunkName(file)}.cjs`, external: true };
        if (links.has(file)) return { path: file, namespace: 'shared-link' };
        return undefined;
      });
      // ESM bindings rather than `module.exports = ...`: esbuild would wrap a CommonJS module in
      // __toESM, which copies every export of every linked module at start-up.
      b.onLoad({ filter: /.*/, namespace: 'shared-link' }, (args) => ({
        contents: `export const { ${exportNames.get(args.path).join(', ')} } = require('./${links.get(args.path)}.cjs')[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

// Pass 2: the bundles.
const placed = new Map();
async function bundle(name, entry, own, links) {
  const result = await build({
    ...common,
    ...(entry.contents !== undefined
      ? { stdin: { contents: entry.contents, resolveDir: src, sourcefile: `${name}-entry.js`, loader: 'js' } }
      : { entryPoints: [resolve(src, entry.file)] }),
    outfile: resolve(root, `dist/${name}.cjs`),
    // The stand-ins each match one package's imports only, so every bundle gets them all.
    plugins: [linker(own, links), ...standIns],
  });
  const inputs = Object.keys(result.metafile.inputs);
  for (const m of inputs.filter((i) => i.startsWith('src/')).map((i) => i.slice('src/'.length))) {
    if (placed.has(m)) throw new Error(`src/${m} would be in both ${placed.get(m)}.cjs and ${name}.cjs`);
    placed.set(m, name);
  }
  return inputs;
}

const coreInputs = await bundle('core', { contents: namespaces(coreFiles) }, coreSet, new Map());
learnExports('core', coreFiles);
// The bin and the single-file binary call runAsProcess; the CLI and the chunks take the modules by key.
const startInputs = await bundle('start', { contents: `${namespaces(startFiles)}\nexport { runAsProcess } from './cli/main.js';` }, new Set(startFiles), shared);
learnExports('start', startFiles);
await bundle('index', { file: 'index.ts' }, new Set(['index.ts']), shared);
const commonInputs = await bundle('common', { contents: namespaces(commonFiles) }, new Set(commonFiles), shared);
learnExports('common', commonFiles);
for (const f of commonFiles) shared.set(f, 'common');
for (const [file, own] of lazy) await bundle(chunkName(file), { file }, new Set(own), shared);

const contains = (inputs, pkgs) => pkgs.filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)));
const leaked = [...contains(coreInputs, [...HEAVY, ...CLI_ONLY]), ...contains(startInputs, [...HEAVY, ...CLI_ONLY]), ...contains(commonInputs, [...HEAVY, ...CLI_ONLY])];
if (leaked.length > 0) throw new Error(`the start-up bundles and common.cjs must not contain ${[...new Set(leaked)].join(', ')}`);
