// Bundles the CLI into one executable file: dist/canary-mapping.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/canary-mapping', import.meta.url).pathname;

await build({
  entryPoints: [new URL('../src/cli/bin.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CommonJS loads faster than an ES module, and lets the yaml library load on first use (see yaml-library.ts).
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: { CANARY_MAPPING_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
