// The executable's entry point: everything it does lives in main.ts; this only wires process I/O.
import { writeSync } from 'node:fs';
import { constants } from 'node:os';
import { runCli } from './main.js';

declare const CANARY_MAPPING_VERSION: string;

/**
 * Written straight to the file descriptor: the output is complete before the first byte goes out, and this skips
 * setting up process.stdout, a noticeable part of a small render's time.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the reader.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

// Argo CD signals the plugin at its deadline (SIGTERM), a terminal on Ctrl-C (SIGINT). A running Kustomize leads its
// own process group, which neither signal reaches: aborting kills that group, then the plugin exits at once, before
// anything reaches stdout.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    stop.abort();
    writeAll(2, `canary-mapping: stopped by ${signal}; nothing was rendered\n`);
    process.exit(128 + constants.signals[signal]);
  });
}

runCli(process.argv.slice(2), process.env, { cwd: process.cwd(), version: CANARY_MAPPING_VERSION, signal: stop.signal }).then(
  (result) => {
    writeAll(2, result.stderr);
    writeAll(1, result.stdout);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    // A bug, not a user error: say so plainly, print nothing on stdout.
    writeAll(2, `canary-mapping: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
