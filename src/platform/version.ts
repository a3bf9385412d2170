// Injected from package.json's version at build time (scripts/build.mjs) and in tests
// (vitest.config.ts): package.json is the one place the version is written.
declare const __GARDIN_TOKEN_VERSION__: string;

export const VERSION: string = __GARDIN_TOKEN_VERSION__;
