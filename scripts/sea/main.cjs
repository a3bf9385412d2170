'use strict';
// The single-file binary's entry (npm run build:sea). Node runs this one script; the bundles of
// dist/ ride along as assets, and a loader gives them what require() would: one another, by their
// ./name.cjs, and Node's built-ins. The keychain's native module cannot ride along: asked for, it is
// missing, and the CLI says so (config/secrets/keychain-native.ts).
process.on('SIGUSR1', () => undefined);
const { getAsset } = require('node:sea');
const { compileFunction } = require('node:vm');

const loaded = new Map();
function load(name) {
  let module = loaded.get(name);
  if (module) return module.exports;
  module = { exports: {} };
  loaded.set(name, module);
  const filename = `gardin-token:/dist/${name}`;
  const wrapper = compileFunction(getAsset(name, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  wrapper.call(module.exports, module.exports, bundleRequire, module, filename, 'gardin-token:/dist');
  return module.exports;
}
function bundleRequire(id) {
  if (id.startsWith('./') && id.endsWith('.cjs')) return load(id.slice(2));
  // Built-ins only: this script's require() has nothing else to offer.
  return require(id);
}
load('start.cjs').runAsProcess(process.argv);
