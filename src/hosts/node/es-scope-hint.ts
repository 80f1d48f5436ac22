/**
 * Node's hint for CommonJS globals read in an ES module: when evaluating a module graph throws
 * a ReferenceError for `require`, `module`, `exports`, `__filename` or `__dirname`, Node adds
 * " in ES module scope" (and ", you can use import instead" for `require`) to its message and,
 * when the imported module is a `.js` file, an ES module because of its package.json's "type",
 * says which file made it so (lib/internal/modules/esm/module_job.js). Errors thrown later (a timer, a callback)
 * are left as they are, as in Node.
 */
const COMMONJS_GLOBAL_NOT_DEFINED = new Set([
  'require is not defined',
  'module is not defined',
  'exports is not defined',
  '__filename is not defined',
  '__dirname is not defined',
]);

/**
 * Adds Node's hint to `error` when it is such a ReferenceError. `url` is the module the evaluation
 * started from; `packageScope(url)` gives its package.json's "type" and path.
 */
export function addESModuleScopeHint(
  error: unknown,
  url: string,
  packageScope: (url: string) => { readonly type: string; readonly pjsonPath: string | undefined },
): void {
  if (!(error instanceof ReferenceError) || !COMMONJS_GLOBAL_NOT_DEFINED.has(error.message)) return;
  let message = `${error.message} in ES module scope`;
  if (message.startsWith('require ')) message += ', you can use import instead';
  // (only a .js file is an ES module because of its package.json)
  const scope = url.startsWith('file:') && new URL(url).pathname.endsWith('.js') ? packageScope(url) : undefined;
  if (scope?.type === 'module' && scope.pjsonPath !== undefined) {
    message +=
      "\nThis file is being treated as an ES module because it has a '.js' file " +
      `extension and '${scope.pjsonPath}' contains "type": "module". To treat it as a CommonJS script, rename it ` +
      "to use the '.cjs' file extension.";
  }
  error.message = message;
}
