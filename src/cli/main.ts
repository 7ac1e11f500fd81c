// The command line: turns words, environment and files into calls of the pure core, and results into text.
// It returns what to print instead of printing, so tests can run it in-process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parameterAnnouncement } from '../cmp/announcement.js';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import { render } from '../core/render.js';
import { renderStream } from '../manifests/emit.js';
import { resolveSettings } from '../settings/resolve.js';
import { parameterName, settingKeys, settingsTable } from '../settings/table.js';
import { readSource } from '../sources/source.js';
import { parseArgs } from './args.js';

export const CONFIG_FILE = '.canary-mapping.yaml';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliIo {
  cwd: string;
  version: string;
  readStdin?: () => Promise<string>;
  /** Aborted when the plugin must stop: a running Kustomize is killed with everything it started. */
  signal?: AbortSignal;
}

type Environment = Record<string, string | undefined>;

const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;

function usage(): string {
  const flags = settingKeys
    .map((key) => `  --${parameterName(key)}=${settingsTable[key].placeholder}`.padEnd(48) + settingsTable[key].title)
    .join('\n');
  return `canary-mapping: Argo CD plugin that keeps Argo Rollouts canary Mappings on their declared upstream

Usage:
  canary-mapping generate [DIR|-] [flags]   render DIR (default .) or stdin; the CMP generate command
  canary-mapping parameters                 print the parameter announcement (CMP parameters.dynamic)
  canary-mapping version                    print the version

Flags (override Application parameters, env and ${CONFIG_FILE}; array flags may repeat):
${flags}

Manifests go to stdout; problems go to stderr as file:line:column, and the exit status is non-zero.
`;
}

function failure(diagnostics: readonly Diagnostic[], exitCode = EXIT_PROBLEMS): CliResult {
  const count = diagnostics.length;
  const summary = `canary-mapping: ${count} problem${count === 1 ? '' : 's'}; nothing was rendered\n`;
  return { exitCode, stdout: '', stderr: `${diagnostics.map(formatDiagnostic).join('\n')}\n${summary}` };
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Paths in diagnostics read as the user wrote DIR; inside Argo CD (DIR `.`), as the app's path in the repository. */
function displayPrefix(directory: string, environment: Environment): string {
  if (directory !== '.') return directory;
  const sourcePath = environment.ARGOCD_APP_SOURCE_PATH;
  return sourcePath && sourcePath !== '.' ? sourcePath : '';
}

async function generate(target: string, flags: ReturnType<typeof parseArgs>['flags'], environment: Environment, io: CliIo): Promise<CliResult> {
  const fromStdin = target === '-';
  const directory = fromStdin ? '.' : target;
  const prefix = displayPrefix(directory, environment);
  const configPath = resolve(io.cwd, directory, CONFIG_FILE);
  const configText = readOptional(configPath);
  const configFile = configText === undefined ? undefined : { path: prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE, text: configText };
  const { settings, diagnostics: settingProblems } = resolveSettings({ flags, environment, ...(configFile ? { configFile } : {}) });
  if (settingProblems.length > 0) return failure(settingProblems);

  const { manifests, diagnostics, what } = await readSource({
    target,
    directory: resolve(io.cwd, directory),
    displayPrefix: prefix,
    settings,
    environment,
    cwd: io.cwd,
    readStdin: io.readStdin ?? readStdinText,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (diagnostics.length === 0 && manifests.length === 0) {
    diagnostics.push(
      diagnostic(
        'no-objects',
        `found no Kubernetes objects in ${what}`,
        undefined,
        'an empty render would make Argo CD prune every resource of the app; check the app path and the exclude setting',
      ),
    );
  }
  if (diagnostics.length > 0) return failure(diagnostics);
  const destinationNamespace = environment.ARGOCD_APP_NAMESPACE || undefined;
  const result = render(manifests, { settings, ...(destinationNamespace ? { destinationNamespace } : {}) });
  if (result.diagnostics.length > 0) return failure(result.diagnostics);
  return { exitCode: 0, stdout: renderStream(manifests, result.edits), stderr: '' };
}

export async function runCli(argv: readonly string[], environment: Environment, io: CliIo): Promise<CliResult> {
  const args = parseArgs(argv);
  if (args.help || args.command === 'help') return { exitCode: 0, stdout: usage(), stderr: '' };
  if (args.diagnostics.length > 0) return failure(args.diagnostics, EXIT_USAGE);
  const extra = (allowed: number) =>
    args.positional.length > allowed
      ? failure([diagnostic('extra-arguments', `unexpected argument ${args.positional[allowed]}`, undefined, 'run `canary-mapping --help`')], EXIT_USAGE)
      : undefined;
  switch (args.command) {
    case 'generate':
      return extra(1) ?? generate(args.positional[0] ?? '.', args.flags, environment, io);
    case 'parameters':
      return extra(0) ?? { exitCode: 0, stdout: `${JSON.stringify(parameterAnnouncement(), null, 2)}\n`, stderr: '' };
    case 'version':
      return extra(0) ?? { exitCode: 0, stdout: `canary-mapping ${io.version}\n`, stderr: '' };
    case undefined:
      return failure([diagnostic('no-command', 'no command given', undefined, 'run `canary-mapping generate` (or --help)')], EXIT_USAGE);
    default:
      return failure([diagnostic('unknown-command', `unknown command ${args.command}`, undefined, 'run `canary-mapping --help` to list the commands')], EXIT_USAGE);
  }
}
