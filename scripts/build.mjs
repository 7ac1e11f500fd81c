// Bundles the CLI into one executable file, dist/canary-mapping: a launcher, the bundle, and V8's code cache for it
// (see launcher.cjs), made by running the bundle once on the example app.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { launcher } = require('./launcher.cjs');
const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist', 'canary-mapping');

const result = await build({
  entryPoints: [join(root, 'src', 'cli', 'bin.ts')],
  bundle: true,
  write: false,
  platform: 'node',
  target: 'node20',
  // CommonJS: the launcher runs it as a module body, and the yaml library loads on first use (see yaml-library.ts).
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  define: { CANARY_MAPPING_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
const source = result.outputFiles[0].text;

const work = mkdtempSync(join(tmpdir(), 'canary-mapping-build-'));
try {
  const bundle = join(work, 'bundle.cjs');
  const cache = join(work, 'bundle.cache');
  writeFileSync(bundle, source);
  execFileSync(process.execPath, [join(root, 'scripts', 'warm-code-cache.cjs'), bundle, cache, 'generate', 'examples/identity'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(outfile, launcher(source, readFileSync(cache)));
} finally {
  rmSync(work, { recursive: true, force: true });
}
chmodSync(outfile, 0o755);
