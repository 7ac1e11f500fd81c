// Runs the bundle once on the example app, the way the executable will run it, and writes V8's code cache for it:
// the functions a render uses, already compiled. Usage: node warm-code-cache.cjs BUNDLE CACHE_OUT ARGS...
'use strict';
const { Script } = require('node:vm');
const { readFileSync, writeFileSync } = require('node:fs');
const { wrapBundle } = require('./launcher.cjs');

const [bundleFile, cacheFile, ...args] = process.argv.slice(2);
// A fixed name: the cache must not carry the build's temporary path (V8 matches the source, not the name).
const script = new Script(wrapBundle(readFileSync(bundleFile, 'utf8')), { filename: 'canary-mapping' });
process.argv = [process.argv[0], bundleFile, ...args];
// After the render, so that the cache holds the functions it compiled, not only the top level.
process.on('exit', (code) => {
  if (code !== 0) return;
  writeFileSync(cacheFile, script.createCachedData());
});
script.runInThisContext()(exports, require, module, bundleFile, __dirname);
