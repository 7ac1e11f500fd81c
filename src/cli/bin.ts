// The executable's entry point: everything it does lives in main.ts; this only wires process I/O.
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
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

// No signal handler while rendering: SIGTERM (Argo CD's deadline) or Ctrl-C ends the process at once, with nothing on
// stdout. While Kustomize runs, src/sources/run-grouped.ts relays them to its process group.
// isatty, not process.stdin.isTTY: the latter sets up a stdin stream, which costs start-up time on every render.
const stdinIsTerminal = () => isatty(0);
runCli(process.argv.slice(2), process.env, { cwd: process.cwd(), version: CANARY_MAPPING_VERSION, stdinIsTerminal }).then(
  (result) => {
    // Until now SIGTERM (the cmp-server's deadline) ends the process at once, with nothing on stdout: the output is only
    // built in memory. From here it is complete, and a signal must not cut it short: Argo CD would read a truncated
    // stream as the app's manifests. So signals wait for the write to finish; then the process exits as it would have.
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
    writeAll(2, result.stderr);
    writeAll(1, result.stdout);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    // A bug, not a user error: one line that says so, no stack trace, nothing on stdout.
    const message = error instanceof Error ? error.message : String(error);
    writeAll(2, `error[internal-error]: ${message.split('\n')[0]}\n  hint: this is a bug in canary-mapping: report it with the command and its input; nothing was rendered\n`);
    process.exitCode = 70;
  },
);
