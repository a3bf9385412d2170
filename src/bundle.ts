// Entry of dist/gardin-token.cjs: the CLI, the library, and every core module the lazily
// loaded chunks (refresh, spinner, profile-store) import at run time. scripts/build.mjs turns
// those chunks' imports of core modules into require('./gardin-token.cjs'), so each module
// exists once; tsc rejects two modules exporting the same name here.
export { main, VERSION } from './cli.js';
export { systemDeps } from './system.js';
export * from './clock.js';
export * from './errors.js';
export * from './private-files.js';
export * from './profiles.js';
export * from './settings.js';
export * from './token/cache.js';
export * from './token/validate.js';
export * from './token/index.js';
export * from './reporter.js';
export * from './text.js';
export * from './api.js';
