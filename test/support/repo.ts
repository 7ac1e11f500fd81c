import { join } from 'node:path';

/** Tests run compiled from build/test/…; the repository root is found from here, not from the working directory. */
export const repoRoot = join(__dirname, '..', '..', '..', '/');
