// Runs the built executable in a child process, killed after a deadline: for the cases where a regression would
// hang or crash the process running the test (a FIFO read, a signal).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

export const bundle = join(repoRoot, 'dist', 'canary-mapping');

export interface BundleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the deadline killed it. */
  timedOut: boolean;
}

export interface BundleOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Killed with SIGKILL after this long. */
  timeoutMs?: number;
  /** Called once the child is running, e.g. to signal it. */
  started?: (child: ChildProcess) => void;
}

export function runBundle(args: readonly string[], options: BundleOptions): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
    options.started?.(child);
  });
}
