// Bundles the CLI into one executable file, dist/canary-mapping (or the path given with --outfile PATH). The bytes
// depend only on the commit: no time, no path of the checkout or the working directory (test/build.test.ts). The
// bundle is wrapped in a launcher that keeps V8's code cache for it at run time (see launcher.mjs).
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launcher } from './launcher.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outfile: { type: 'string', default: join(root, 'dist', 'canary-mapping') } } });
const outfile = resolve(values.outfile);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const result = await build({
  entryPoints: [join(root, 'src', 'cli', 'bin.ts')],
  // Paths esbuild prints or derives are relative to the checkout, whatever directory the build runs from.
  absWorkingDir: root,
  bundle: true,
  write: false,
  platform: 'node',
  target: 'node20',
  // CommonJS: it starts faster than an ES module, and lets the yaml library load on first use (see yaml-library.ts).
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  define: { CANARY_MAPPING_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});

mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(outfile, launcher(result.outputFiles[0].text, version));
chmodSync(outfile, 0o755);
