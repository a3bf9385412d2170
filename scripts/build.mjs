// Builds dist/: one CommonJS bundle for the start-up path (the CLI and the library), and one
// bundle per lazily loaded part, so a cached call loads no undici, conf, ora or lock code.
// CommonJS because it starts ~15 ms faster than an ESM bundle on Node 20 (README, Speed).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = resolve(root, 'src');
const MAIN = 'gardin-token';
/** Lazily imported modules, each its own bundle; the value is the bundle's name. */
const LAZY = {
  'token/refresh.ts': 'refresh',
  'spinner.ts': 'spinner',
  'profile-store.ts': 'profile-store',
};
/** Modules that belong to one lazy bundle only. */
const PRIVATE = new Set(['token/request.ts']);
/** Packages the start-up bundle must never contain. */
const HEAVY = ['undici', 'conf', 'ora', 'proper-lockfile', 'write-file-atomic', 'ajv'];

/**
 * commander requires child_process at load time for executable subcommands, which this CLI
 * never uses; a stub that loads it on first use keeps ~8 ms off every start.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'stub' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * chalk's bundled supports-color probes the terminal (and loads node:tty) when imported; this CLI
 * always tells chalk its colour level, so the probe is replaced by "no colour detected".
 */
const noColorProbe = {
  name: 'no-color-probe',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'stub' }));
    b.onLoad({ filter: /^supports-color$/, namespace: 'stub' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

/** Core modules that lazy chunks import; each must be re-exported by src/bundle.ts. */
const sharedCore = new Set();

function linker(entry) {
  return {
    name: 'lazy-linker',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.startsWith(src)) return undefined;
        const file = relative(src, resolve(dirname(args.importer), args.path)).replace(/\.js$/, '.ts');
        if (!file.endsWith('.ts') || file.startsWith('..')) return undefined;
        if (LAZY[file] && file !== entry) return { path: `./${LAZY[file]}.cjs`, external: true };
        if (entry && !LAZY[file] && !PRIVATE.has(file)) {
          sharedCore.add(file);
          return { path: `./${MAIN}.cjs`, external: true };
        }
        return undefined;
      });
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
};
rmSync(resolve(root, 'dist'), { recursive: true, force: true, maxRetries: 3 });

const main = await build({
  ...common,
  entryPoints: [resolve(src, 'bundle.ts')],
  outfile: resolve(root, `dist/${MAIN}.cjs`),
  plugins: [linker(undefined), lazyChildProcess, noColorProbe],
});
const inputs = Object.keys(main.metafile.inputs);
const leaked = HEAVY.filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)));
if (leaked.length > 0) throw new Error(`the start-up bundle must not contain ${leaked.join(', ')}`);

for (const [file, name] of Object.entries(LAZY)) {
  await build({ ...common, entryPoints: [resolve(src, file)], outfile: resolve(root, `dist/${name}.cjs`), plugins: [linker(file)] });
}

const exported = [...readFileSync(resolve(src, 'bundle.ts'), 'utf8').matchAll(/from '\.\/(.+?)\.js'/g)].map((m) => `${m[1]}.ts`);
const missing = [...sharedCore].filter((f) => !exported.includes(f));
if (missing.length > 0) throw new Error(`src/bundle.ts must re-export ${missing.join(', ')}: a lazy chunk imports it`);
