// The executable's text: a short launcher and the bundle as a string. The launcher compiles the bundle through V8's
// code cache, which it keeps itself in the temporary directory: compiling a 300 KB bundle and the functions a render
// needs costs more than the render of a small app, and the sidecar renders many apps with one executable. The file
// that ships holds no cache, so every build of a commit is byte-identical.
//
// The cache is best effort and never trusted blindly: its name carries the version, a hash of the bundle and the
// Node.js version and architecture; it is read only if it is a regular file of the current user (no symlink
// followed), V8 checks it against the source and rejects anything else, and a rejected or missing cache is written
// anew (atomically, mode 0600) when the process exits normally. An unwritable temporary directory only costs time.
import { createHash } from 'node:crypto';

const PREFIX = '(function (exports, require, module, __filename, __dirname) {';
const SUFFIX = '\n})';

export function launcher(bundle, version) {
  const source = PREFIX + bundle + SUFFIX;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return `#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const cacheFile = require('node:path').join(require('node:os').tmpdir(), \`canary-mapping-${version}-${hash}-\${process.version}-\${process.arch}.v8cache\`);
function readCache() {
  try {
    const fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
      const info = fs.fstatSync(fd);
      return info.isFile() && info.uid === process.getuid() && info.size < 64 * 1024 * 1024 ? fs.readFileSync(fd) : undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
const cachedData = readCache();
const source = ${JSON.stringify(source)};
const script = new vm.Script(source, { filename: __filename, ...(cachedData ? { cachedData } : {}) });
if (!cachedData || script.cachedDataRejected) {
  process.once('exit', () => {
    const partial = \`\${cacheFile}.\${process.pid}\`;
    try {
      fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      fs.renameSync(partial, cacheFile);
    } catch {
      try { fs.unlinkSync(partial); } catch {}
    }
  });
}
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
}
