// The executable is one file: this launcher, the bundle as a string, and V8's code cache for it. Compiling a 300 KB
// bundle and the functions a render needs costs more than the render of a small app; with the cache, V8 skips both.
// A cache from another Node.js version is rejected by V8, and the bundle is then simply compiled.
'use strict';

// The cache is only accepted for exactly the source it was made from: the launcher and the warm-up wrap alike.
const PREFIX = '(function (exports, require, module, __filename, __dirname) {';
const SUFFIX = '\n})';

/** The bundle as a CommonJS module body. */
function wrapBundle(source) {
  return PREFIX + source + SUFFIX;
}

/** The executable's text. */
function launcher(source, cache) {
  return `#!/usr/bin/env node
'use strict';
const source = ${JSON.stringify(wrapBundle(source))};
const cachedData = Buffer.from(${JSON.stringify(cache.toString('base64'))}, 'base64');
const script = new (require('node:vm').Script)(source, { filename: __filename, cachedData });
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
}

module.exports = { wrapBundle, launcher };
