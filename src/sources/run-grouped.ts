// Runs a program to completion in its own process group, with a deadline. Argo CD gives the whole request one
// deadline and then signals the plugin: a child left running would keep rendering for nobody, and a child's children
// (Kustomize's helm, say) would outlive it. Killing the group stops them all.
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';

export interface GroupedRun {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Aborting kills the group at once (the plugin was told to stop). */
  signal?: AbortSignal;
  /** What the caller cleans up after the run, done before a SIGTERM or SIGINT ends the plugin during it. */
  cleanUp?: () => void;
}

export type RunOutcome =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { kind: 'timed-out' | 'stopped'; stderr: string }
  | { kind: 'not-started'; error: NodeJS.ErrnoException };

export function runGrouped(run: GroupedRun): Promise<RunOutcome> {
  return new Promise((resolve) => {
    if (run.signal?.aborted) {
      resolve({ kind: 'stopped', stderr: '' });
      return;
    }
    // Argo CD's SIGTERM at its deadline, or Ctrl-C, reaches the plugin but not the child's group. The plugin is only
    // waiting now, so a handler runs at once: it kills the group, then lets the signal end the plugin as it would
    // have. Outside this wait no handler is installed, so a signal ends a busy render at once too. Installed before the
    // spawn: a signal that comes as the child starts must still stop its group.
    const relay = (signal: NodeJS.Signals) => {
      finish();
      killGroup('stopped');
      run.cleanUp?.();
      writeSync(2, `canary-mapping: stopped by ${signal}; nothing was rendered\n`);
      process.kill(process.pid, signal);
    };
    const onTerm = () => relay('SIGTERM');
    const onInt = () => relay('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    // No shell: arguments reach the program as given. detached: the child leads a new process group.
    const child = spawn(run.file, run.args, { cwd: run.cwd, env: run.env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let ended: 'timed-out' | 'stopped' | undefined;
    const killGroup = (why: 'timed-out' | 'stopped') => {
      if (child.pid === undefined) return; // it never started: the error event reports that
      ended ??= why;
      try {
        // SIGKILL: nothing in the group gets to linger, and the negative pid addresses the whole group.
        process.kill(-child.pid!, 'SIGKILL');
      } catch (error) {
        // ESRCH: the group is already gone.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    };
    const timer = setTimeout(() => killGroup('timed-out'), run.timeoutMs);
    const onAbort = () => killGroup('stopped');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      process.removeListener('SIGTERM', onTerm);
      process.removeListener('SIGINT', onInt);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish();
      resolve({ kind: 'not-started', error });
    });
    // `close`, not `exit`: it waits for every holder of the output pipes, the child's own children included.
    child.on('close', (code, signal) => {
      finish();
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
      resolve(ended ? { kind: ended, stderr: text(stderr) } : { kind: 'exited', code, signal, stdout: text(stdout), stderr: text(stderr) });
    });
  });
}
