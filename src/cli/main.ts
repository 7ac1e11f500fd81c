// The command line: turns words, environment and files into calls of the pure core, and results into text.
// It returns what to print instead of printing, so tests can run it in-process.
import { join, resolve } from 'node:path';
import { parameterAnnouncement } from '../cmp/announcement.js';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import { render } from '../core/render.js';
import { renderStream } from '../manifests/emit.js';
import { fileTooLarge, loadDirectory, type LoadedFile } from '../manifests/load-directory.js';
import type { Manifest } from '../manifests/manifest.js';
import { parseManifests } from '../manifests/parse.js';
import { decodeText, formatBytes } from '../manifests/read-file.js';
import { readOptionalFile, repositoryRoot } from '../manifests/repository.js';
import { limitsOf } from '../settings/limits.js';
import { resolveSettings } from '../settings/resolve.js';
import { parameterName, settingKeys, settingsTable } from '../settings/table.js';
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

/** Argo CD shows stderr in the UI: hostile input with a problem per document must not turn into megabytes. */
const MAX_REPORTED = 100;

function failure(diagnostics: readonly Diagnostic[], exitCode = EXIT_PROBLEMS): CliResult {
  const count = diagnostics.length;
  const shown = count > MAX_REPORTED ? ` (the first ${MAX_REPORTED} are shown)` : '';
  const summary = `canary-mapping: ${count} problem${count === 1 ? '' : 's'}${shown}; nothing was rendered\n`;
  return { exitCode, stdout: '', stderr: `${diagnostics.slice(0, MAX_REPORTED).map(formatDiagnostic).join('\n')}\n${summary}` };
}

/** Settings cannot limit the file that holds them; a config file is small. */
const CONFIG_MAX_BYTES = 1024 * 1024;

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
  const appDirectory = resolve(io.cwd, directory);
  const root = repositoryRoot(appDirectory, directory === '.' ? environment.ARGOCD_APP_SOURCE_PATH : undefined);
  const configDisplay = prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE;
  const configRead = readOptionalFile(join(appDirectory, CONFIG_FILE), configDisplay, root, {
    maxBytes: CONFIG_MAX_BYTES,
    tooLarge: (size) => diagnostic('file-too-large', `${configDisplay} is ${formatBytes(size)}; a config file may have at most 1 MiB`, undefined, 'keep only settings in it'),
  });
  if (configRead && 'problem' in configRead) return failure([configRead.problem]);
  const configFile = configRead && { path: configDisplay, text: configRead.text };
  const { settings, diagnostics: settingProblems } = resolveSettings({ flags, environment, ...(configFile ? { configFile } : {}) });
  if (settingProblems.length > 0) return failure(settingProblems);
  const limits = limitsOf(settings);

  let files: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  if (fromStdin) {
    const bytes = io.readStdin ? Buffer.from(await io.readStdin()) : await readStdinBytes(limits.maxFileSize.value);
    const read = bytes.length > limits.maxFileSize.value ? { problem: fileTooLarge('<stdin>', undefined, limits.maxFileSize) } : decodeText(bytes, '<stdin>');
    if ('problem' in read) diagnostics.push(read.problem);
    else files = [{ file: { path: '<stdin>', text: read.text }, json: false }];
  } else {
    const loaded = loadDirectory({ directory: appDirectory, displayPrefix: prefix, exclude: settings.exclude, root, maxFileSize: limits.maxFileSize });
    files = loaded.files;
    diagnostics.push(...loaded.diagnostics);
  }
  const manifests: Manifest[] = [];
  let documentBudget = limits.maxDocuments.value;
  for (const { file, json } of files) {
    const parsed = parseManifests(file, { json, limits, documentBudget });
    diagnostics.push(...parsed.diagnostics);
    manifests.push(...parsed.manifests);
    documentBudget -= parsed.documents;
    if (documentBudget < 0) break; // the too-many-documents error is out; reading on would only take time
  }
  if (diagnostics.length === 0 && manifests.length === 0) {
    diagnostics.push(
      diagnostic(
        'no-objects',
        `found no Kubernetes objects in ${fromStdin ? 'stdin' : directory}`,
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
