// What a stand-in is: `module` (a bare name, `node:` prefixed or not), imported from a file whose
// path matches `importers`, gets `contents` (a function of the name imported) instead. Each one
// saves start-up time measured in a whole process, and each has a guard test beside it that
// fails when the package it patches changes what the stand-in relies on.
export function standIn(name, module, importers, contents) {
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
