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
  // package.json says "type": "module", so the extensionless bundle is loaded as ESM.
  format: 'esm',
  minify: true,
  legalComments: 'none',
  // Bundled CommonJS dependencies (yaml) still call require() for Node built-ins.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  define: { CANARY_MAPPING_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
