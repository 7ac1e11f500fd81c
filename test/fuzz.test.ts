// The fuzz property test, short: a fixed seed and a bounded number of cases, so npm test stays deterministic and quick.
// `npm run fuzz` runs the same test longer, with a new seed each time (see scripts/fuzz.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { driveFuzz } from './support/fuzz.js';
import { repoRoot } from './support/repo.js';

const SEED = 20261127;
const ITERATIONS = 400;

it(`mutated golden inputs always give correct output or a located error (seed ${SEED}, ${ITERATIONS} cases)`, async () => {
  const report = await driveFuzz({ seed: SEED, iterations: ITERATIONS, caseTimeoutMs: 10_000, worker: join(repoRoot, 'build', 'scripts', 'fuzz.js') });
  assert.equal(report.failure, undefined, `seed ${SEED}: ${report.failure}`);
  assert.equal(report.completed, ITERATIONS);
});
