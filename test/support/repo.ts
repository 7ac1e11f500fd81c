import { join } from 'node:path';

/** Tests run compiled from build/test/…; the repository root is found from here, not from the working directory. */
export const repoRoot = join(__dirname, '..', '..', '..', '/');

/** What scripts/build.mjs reads from a checkout besides node_modules: the Dockerfile's build stage copies exactly these. */
export const buildInputs = ['package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/launcher.mjs', 'src'];
