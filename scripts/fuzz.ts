// npm run fuzz: the long run of the property test in test/support/fuzz.ts (npm test runs a short one).
//
//   npm run fuzz                              a random seed, 5,000 cases
//   npm run fuzz -- --seed=7 --iterations=N   a given seed
//   npm run fuzz -- --seed=7 --case=123       replay one case; its files are kept and their path printed
//
// With --worker it is the process that runs the cases (started by the driver, which catches hangs).
import { driveFuzz, runWorker } from '../test/support/fuzz.js';

const options = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [name!, value] as const;
  }),
);
const number = (name: string, fallback: number) => (options.has(name) ? Number(options.get(name)) : fallback);

async function main(): Promise<number> {
  // A seed from the clock is fine here: it is printed, and every case is reproducible from it.
  const seed = number('seed', Date.now() % 2 ** 31);
  if (options.has('worker')) {
    return runWorker(seed, number('first', 0), number('iterations', 1), (line) => process.stdout.write(`${line}\n`), options.has('keep'));
  }
  const single = options.has('case');
  const first = number('case', 0);
  const iterations = single ? 1 : number('iterations', 5000);
  process.stdout.write(`fuzz: seed ${seed}, ${single ? `case ${first}` : `${iterations} cases`}\n`);
  const report = await driveFuzz({ seed, first, iterations, caseTimeoutMs: number('case-timeout', 10_000), worker: __filename, keep: single });
  for (const dir of report.kept) process.stdout.write(`fuzz: case ${first} kept in ${dir} (app/ and case.json)\n`);
  if (report.failure) {
    process.stdout.write(`fuzz: FAILED after ${report.completed} cases: ${report.failure}\n`);
    return 1;
  }
  process.stdout.write(`fuzz: ${report.completed} cases passed (seed ${seed})\n`);
  return 0;
}

main().then((code) => (process.exitCode = code));
