// What every command shares: the result it returns instead of printing, the process it runs in, how problems are
// reported, and stdin.
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliIo {
  cwd: string;
  version: string;
  readStdin?: () => Promise<string>;
  /** Whether stdin is a terminal: audit then refuses to wait for input nobody is going to type. */
  stdinIsTerminal?: () => boolean;
  /** Aborted when the plugin must stop: a running Kustomize is killed with everything it started. */
  signal?: AbortSignal;
}

export type Environment = Record<string, string | undefined>;

export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** Argo CD shows stderr in the UI: hostile input with a problem per document must not turn into megabytes. */
const MAX_REPORTED = 100;

export function failure(diagnostics: readonly Diagnostic[], exitCode = EXIT_PROBLEMS, outcome = 'nothing was rendered'): CliResult {
  const count = diagnostics.length;
  const shown = count > MAX_REPORTED ? ` (the first ${MAX_REPORTED} are shown)` : '';
  const summary = `canary-mapping: ${count} problem${count === 1 ? '' : 's'}${shown}; ${outcome}\n`;
  return { exitCode, stdout: '', stderr: `${diagnostics.slice(0, MAX_REPORTED).map(formatDiagnostic).join('\n')}\n${summary}` };
}

/** stdin up to one byte over `maxBytes`: enough to tell that it is too large without reading an endless stream. */
async function readStdinBytes(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length > maxBytes) break;
  }
  return Buffer.concat(chunks);
}

/** stdin's bytes; tests hand in text instead. */
export function stdinReader(io: CliIo): (maxBytes: number) => Promise<Buffer> {
  const given = io.readStdin;
  return given ? async () => Buffer.from(await given()) : readStdinBytes;
}

export function isFailure(value: object): value is CliResult {
  return 'exitCode' in value;
}

