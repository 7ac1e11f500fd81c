// The command line: turns words, environment and files into calls of the pure core, and results into text.
// It returns what to print instead of printing, so tests can run it in-process.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { audit as auditObjects } from '../audit/audit.js';
import { parameterAnnouncement } from '../cmp/announcement.js';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMean } from '../diagnostics/nearest-names.js';
import { render, type RenderResult } from '../core/render.js';
import { renderStream } from '../manifests/emit.js';
import { fileTooLarge } from '../input/load-directory.js';
import type { Manifest } from '../manifests/manifest.js';
import { parseManifests } from '../input/parse.js';
import { formatBytes, readTextFile } from '../input/read-file.js';
import { readOptionalFile, repositoryRoot } from '../input/repository.js';
import { auditData, auditText, findingCount } from '../report/audit.js';
import { explainData, explainText } from '../report/explain.js';
import { limitsOf } from '../settings/limits.js';
import { resolveSettings } from '../settings/resolve.js';
import { parameterName, settingKeys, settingsTable, type SettingKey } from '../settings/table.js';
import type { Settings } from '../settings/table.js';
import { readSource, stdinText } from '../sources/source.js';
import { parseArgs, type ParsedArgs } from './args.js';

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
  /** Whether stdin is a terminal: audit then refuses to wait for input nobody is going to type. */
  stdinIsTerminal?: () => boolean;
  /** Aborted when the plugin must stop: a running Kustomize is killed with everything it started. */
  signal?: AbortSignal;
}

type Environment = Record<string, string | undefined>;

const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;

/** Where the descriptions of commands and flags start. */
const HELP_COLUMN = 44;

/** A flag and its title; a flag too wide for the column puts its title on the next line, so the two never touch. */
function helpRow(flag: string, title: string): string {
  const left = `  ${flag}`;
  return left.length + 2 <= HELP_COLUMN ? `${left.padEnd(HELP_COLUMN)}${title}` : `${left}\n${' '.repeat(HELP_COLUMN)}${title}`;
}

function usage(): string {
  const flags = settingKeys.map((key) => helpRow(`--${parameterName(key)}=${settingsTable[key].placeholder}`, settingsTable[key].title)).join('\n');
  return `canary-mapping: Argo CD plugin that keeps Argo Rollouts canary Mappings on their declared upstream

Usage:
  canary-mapping generate [DIR|-] [flags]   render DIR (default .) or stdin; the CMP generate command
  canary-mapping explain [DIR|-] [flags]    per Rollout and base Mapping: declared canary, what each controller
                                            version creates, strategy, verdict (--output json for scripts)
  canary-mapping audit [FILE|-] [flags]     check live canary Mappings (kubectl get rollouts.argoproj.io,
                                            mappings.getambassador.io -A -o yaml) against the declared canaries;
                                            exit 1 on findings (--output json for scripts)
  canary-mapping parameters                 print the parameter announcement (CMP parameters.dynamic)
  canary-mapping version                    print the version

Flags (override Application parameters, env and ${CONFIG_FILE}; array flags may repeat):
${flags}

Manifests go to stdout; problems go to stderr as file:line:column, and the exit status is non-zero.
`;
}

/** Argo CD shows stderr in the UI: hostile input with a problem per document must not turn into megabytes. */
const MAX_REPORTED = 100;

function failure(diagnostics: readonly Diagnostic[], exitCode = EXIT_PROBLEMS, outcome = 'nothing was rendered'): CliResult {
  const count = diagnostics.length;
  const shown = count > MAX_REPORTED ? ` (the first ${MAX_REPORTED} are shown)` : '';
  const summary = `canary-mapping: ${count} problem${count === 1 ? '' : 's'}${shown}; ${outcome}\n`;
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

/** stdin's bytes; tests hand in text instead. */
function stdinReader(io: CliIo): (maxBytes: number) => Promise<Buffer> {
  const given = io.readStdin;
  return given ? async () => Buffer.from(await given()) : readStdinBytes;
}

/** Paths in diagnostics read as the user wrote DIR; inside Argo CD (DIR `.`), as the app's path in the repository. */
function displayPrefix(directory: string, environment: Environment): string {
  if (directory !== '.') return directory;
  const sourcePath = environment.ARGOCD_APP_SOURCE_PATH;
  return sourcePath && sourcePath !== '.' ? sourcePath : '';
}

interface RenderedApp {
  manifests: Manifest[];
  result: RenderResult;
  settings: Settings;
}

interface AppLocation {
  appDirectory: string;
  prefix: string;
  root: string;
  /** The app's config file, when it has one; a CliResult when it cannot be read. */
  configFile: { path: string; text: string } | undefined | CliResult;
}

/** Where the app lives, how its paths are shown, and its config file. */
function locateApp(directory: string, environment: Environment, io: CliIo): AppLocation {
  const prefix = displayPrefix(directory, environment);
  const appDirectory = resolve(io.cwd, directory);
  const root = repositoryRoot(appDirectory, directory === '.' ? environment.ARGOCD_APP_SOURCE_PATH : undefined);
  const configDisplay = prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE;
  const configRead = readOptionalFile(join(appDirectory, CONFIG_FILE), configDisplay, root, {
    maxBytes: CONFIG_MAX_BYTES,
    tooLarge: (size) => diagnostic('file-too-large', `${configDisplay} is ${formatBytes(size)}; a config file may have at most 1 MiB`, undefined, 'keep only settings in it'),
  });
  const configFile = configRead && ('problem' in configRead ? failure([configRead.problem]) : { path: configDisplay, text: configRead.text });
  return { appDirectory, prefix, root, configFile };
}

/** Settings, files, parse and the pure core: what generate and explain share. A CliResult when it failed early. */
async function renderApp(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo): Promise<RenderedApp | CliResult> {
  const { appDirectory, prefix, root, configFile } = locateApp(target === '-' ? '.' : target, environment, io);
  if (configFile && isFailure(configFile)) return configFile;
  const { settings, mappings, diagnostics: settingProblems } = resolveSettings({ flags, environment, ...(configFile ? { configFile } : {}) });
  if (settingProblems.length > 0) return failure(settingProblems);
  const limits = limitsOf(settings);

  const { manifests, diagnostics, what } = await readSource({
    target,
    directory: appDirectory,
    displayPrefix: prefix,
    root,
    settings,
    limits,
    environment,
    cwd: io.cwd,
    readStdin: stdinReader(io),
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
  const kubeApiVersions = environment.KUBE_API_VERSIONS?.split(',').map((entry) => entry.trim());
  const result = render(manifests, {
    settings,
    mappings,
    ...(destinationNamespace ? { destinationNamespace } : {}),
    ...(kubeApiVersions ? { kubeApiVersions } : {}),
  });
  return { manifests, result, settings };
}

function isFailure(value: object): value is CliResult {
  return 'exitCode' in value;
}

async function generate(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo): Promise<CliResult> {
  const app = await renderApp(target, flags, environment, io);
  if (isFailure(app)) return app;
  if (app.result.diagnostics.length > 0) return failure(app.result.diagnostics);
  const kept = app.manifests.filter((manifest) => !app.result.superseded.has(manifest));
  const written = renderStream(kept, app.result);
  if ('diagnostics' in written) return failure(written.diagnostics);
  return { exitCode: 0, stdout: written.stream, stderr: '' };
}

/** The report on stdout; with problems, the report goes to stderr ahead of them, and stdout stays empty. */
async function explain(target: string, args: ParsedArgs, environment: Environment, io: CliIo): Promise<CliResult> {
  const app = await renderApp(target, args.flags, environment, io);
  if (isFailure(app)) return app;
  const report = args.output === 'json' ? `${JSON.stringify(explainData(app.result.plans, app.settings), null, 2)}\n` : explainText(app.result.plans, app.settings);
  if (app.result.diagnostics.length === 0) return { exitCode: 0, stdout: report, stderr: '' };
  const failed = failure(app.result.diagnostics);
  // With no plan, the report would only say that nothing routes through Ambassador: the problems say why.
  return app.result.plans.length === 0 ? failed : { ...failed, stderr: `${report}\n${failed.stderr}` };
}

/** The settings audit reads: which controller logics to check, and the API the controller reads bases through. */
// max-file-size too: a whole cluster's dump can be larger than one app's file.
// legacy-tls-context too: whether generate finds a clone-safe form of a v3alpha1 https:// base depends on it.
const AUDIT_SETTINGS: readonly string[] = ['rolloutsVersion', 'ambassadorApiVersion', 'legacyTlsContext', 'serviceNamespace', 'maxFileSize'];

const NOT_READABLE: Record<string, string> = { ENOENT: 'does not exist', EISDIR: 'is a directory', EACCES: 'is not readable' };

/**
 * Live objects in, a report out. Findings are the requested output, so the report goes to stdout with exit 1; bad
 * input (exit 2) prints nothing there. No `.canary-mapping.yaml` is read: live objects are not an app directory.
 */
async function audit(target: string, args: ParsedArgs, environment: Environment, io: CliIo): Promise<CliResult> {
  const refuse = (diagnostics: readonly Diagnostic[]) => failure(diagnostics, EXIT_USAGE, 'nothing was audited');
  const unused = Object.keys(args.flags).filter((key) => !AUDIT_SETTINGS.includes(key));
  const { settings, diagnostics: settingProblems } = resolveSettings({ flags: args.flags, environment });
  const flagProblems = unused.map((key) =>
    diagnostic('flag-not-for-audit', `flag --${parameterName(key as SettingKey)} does not apply to audit`, undefined, 'audit takes --rollouts-version, --ambassador-api-version, --legacy-tls-context, --service-namespace, --max-file-size and --output'),
  );
  if (flagProblems.length + settingProblems.length > 0) return refuse([...flagProblems, ...settingProblems]);
  const limits = limitsOf(settings);
  let text: string;
  if (target === '-') {
    const read = stdinText(await stdinReader(io)(limits.maxFileSize.value), limits.maxFileSize);
    if ('problem' in read) return refuse([read.problem]);
    text = read.text;
  } else {
    const path = resolve(io.cwd, target);
    const hint = 'pass a file written by `kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml`, or - to read stdin';
    let code: string | undefined;
    try {
      if (statSync(path).isDirectory()) code = 'EISDIR';
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    }
    if (code) return refuse([diagnostic('audit-input-unreadable', `${target} ${NOT_READABLE[code] ?? `cannot be read (${code})`}`, undefined, hint)]);
    // Within the size limit, and never a FIFO or device (`audit /dev/zero` would read forever).
    const read = readTextFile(path, target, { maxBytes: limits.maxFileSize.value, tooLarge: (size) => fileTooLarge(target, size, limits.maxFileSize) });
    if ('problem' in read) return refuse([read.problem]);
    text = read.text;
  }
  // A dump of a whole cluster can be far larger than one app: the document limit is not the app's here.
  const parsed = parseManifests({ path: target === '-' ? '<stdin>' : target, text: text.replace(/^\uFEFF/, '') }, { limits, documentBudget: Infinity });
  if (parsed.diagnostics.length === 0 && parsed.manifests.length === 0) {
    const hint = 'check the kubectl context and namespace: kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml';
    parsed.diagnostics.push(diagnostic('audit-no-objects', `found no Kubernetes objects in ${target === '-' ? 'stdin' : target}`, undefined, hint));
  }
  // The parser's hint speaks of app directories; the audit input is a dump of live objects.
  const hint = 'audit reads what `kubectl get … -o yaml` or `-o json` prints: Kubernetes objects, or Lists of them';
  if (parsed.diagnostics.length > 0) return refuse(parsed.diagnostics.map((d) => (d.code === 'not-an-object' ? { ...d, hint } : d)));
  const result = auditObjects(parsed.manifests, settings);
  if (result.diagnostics.length > 0) return refuse(result.diagnostics);
  const report = args.output === 'json' ? `${JSON.stringify(auditData(result, settings), null, 2)}\n` : auditText(result, settings);
  return { exitCode: findingCount(result) > 0 ? EXIT_PROBLEMS : 0, stdout: report, stderr: '' };
}

/**
 * The dynamic announcement, run by Argo CD in the app directory. Its defaults are what applies where the Application
 * sets no parameter: the app's config file and Application env over the built-in defaults. The parameters themselves
 * are left out, so that a bad one does not hide the form that fixes it; a bad config file or env fails it, as it
 * would fail the render.
 */
function parameters(environment: Environment, io: CliIo): CliResult {
  const { configFile } = locateApp('.', environment, io);
  if (configFile && isFailure(configFile)) return configFile;
  const applicationEnv = Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('ARGOCD_ENV_')));
  const { settings, diagnostics } = resolveSettings({ flags: {}, environment: applicationEnv, ...(configFile ? { configFile } : {}) });
  if (diagnostics.length > 0) return failure(diagnostics, EXIT_PROBLEMS, 'nothing was announced');
  return { exitCode: 0, stdout: `${JSON.stringify(parameterAnnouncement(settingKeys, settings), null, 2)}\n`, stderr: '' };
}

const COMMANDS = ['generate', 'explain', 'audit', 'parameters', 'version'];

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
    case 'explain':
      return extra(1) ?? explain(args.positional[0] ?? '.', args, environment, io);
    case 'audit':
      if (args.positional.length === 0 && io.stdinIsTerminal?.()) {
        const hint = 'pipe kubectl into it: kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml | canary-mapping audit (or name a file)';
        return failure([diagnostic('audit-no-input', 'audit reads its input from stdin, which is a terminal here', undefined, hint)], EXIT_USAGE, 'nothing was audited');
      }
      return extra(1) ?? audit(args.positional[0] ?? '-', args, environment, io);
    case 'parameters':
      return extra(0) ?? parameters(environment, io);
    case 'version':
      return extra(0) ?? { exitCode: 0, stdout: `canary-mapping ${io.version}\n`, stderr: '' };
    case undefined:
      return failure([diagnostic('no-command', 'no command given', undefined, 'run `canary-mapping generate` (or --help)')], EXIT_USAGE);
    default:
      return failure([diagnostic('unknown-command', `unknown command ${args.command}`, undefined, didYouMean(args.command, COMMANDS, 'run `canary-mapping --help` to list the commands'))], EXIT_USAGE);
  }
}
