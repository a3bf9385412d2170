// The import rules of src/ (npm run lint:imports): no circles, and no layer imports a layer above
// it. The layers, top to bottom, as CONTRIBUTING.md lists them; library/ and index.ts stand
// beside commands/, over token/.
const LAYERS = ['cli', 'commands', 'token', 'fleet', 'formats', 'cache', 'net', 'config', 'platform'];

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `${layer}-not-up`,
  comment: `${layer}/ is below ${LAYERS.slice(0, i + 1).join(', ')}: it may not import them`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(0, i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'an import circle', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'library-not-cli',
      comment: 'the library does not load the command line',
      severity: 'error',
      from: { path: '^src/(library/|index\\.ts$)' },
      to: { path: '^src/(cli|commands)/' },
    },
    {
      name: 'nothing-imports-the-library',
      comment: 'the library is an entry, not a module the CLI builds on',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index\\.ts$|library/)' },
      to: { path: '^src/library/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
