// npm run build:sea: the single-file binary, dist/sea/gardin-token (.exe on Windows), for the
// platform and Node this runs on, with Node's Single Executable Applications: the bundles of dist/
// as assets of one blob (scripts/sea/main.cjs loads them), injected into a copy of this node with
// postject. Run `npm run build` first (build:sea does).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postject from 'postject';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist');
const out = join(dist, 'sea');
const exe = join(out, process.platform === 'win32' ? 'gardin-token.exe' : 'gardin-token');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Every bundle but the library's entry; source maps stay out (no file to map to).
const assets = Object.fromEntries(
  readdirSync(dist)
    .filter((f) => f.endsWith('.cjs') && f !== 'index.cjs')
    .map((f) => [f, join(dist, f)]),
);
const config = join(out, 'sea-config.json');
const blob = join(out, 'sea-prep.blob');
writeFileSync(config, JSON.stringify({ main: join(root, 'scripts/sea/main.cjs'), output: blob, disableExperimentalSEAWarning: true, assets }, null, 2));
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// macOS: the copy's signature no longer holds once the blob is in; sign it again (ad hoc).
if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', exe]);
await postject.inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ...(process.platform === 'darwin' && { machoSegmentName: 'NODE_SEA' }),
});
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', exe]);
rmSync(blob);
rmSync(config);
console.log(`built ${exe} (Node ${process.versions.node}, ${process.platform}-${process.arch})`);
