import { fileURLToPath } from 'node:url';

/** Tests run compiled from build/test/…; the repository root is found from here, not from the working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
