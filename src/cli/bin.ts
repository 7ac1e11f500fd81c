// The executable's entry point: everything it does lives in main.ts; this only wires process I/O.
import { runCli } from './main.js';

declare const CANARY_MAPPING_VERSION: string;

runCli(process.argv.slice(2), process.env, { cwd: process.cwd(), version: CANARY_MAPPING_VERSION }).then(
  (result) => {
    if (result.stderr) process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
    if (result.stdout) process.stdout.write(result.stdout);
  },
  (error: unknown) => {
    // A bug, not a user error: say so plainly, print nothing on stdout.
    process.stderr.write(`canary-mapping: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
