// The command line: turns words, environment and files into calls of the pure core, and results into text.
// It returns what to print instead of printing, so tests can run it in-process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parameterAnnouncement } from '../cmp/announcement.js';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import { render, type RenderResult } from '../core/render.js';
import { renderStream } from '../manifests/emit.js';
import { parseManifests } from '../manifests/parse.js';
import { audit as auditObjects } from '../audit/audit.js';
import { auditData, auditText, findingCount } from '../report/audit.js';
import { resolveSettings } from '../settings/resolve.js';
import { parameterName, settingKeys, settingsTable, type SettingKey } from '../settings/table.js';
import type { Manifest } from '../manifests/manifest.js';
import { explainData, explainText } from '../report/explain.js';
import type { Settings } from '../settings/table.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { readSource } from '../sources/source.js';

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

function failure(diagnostics: readonly Diagnostic[], exitCode = EXIT_PROBLEMS, outcome = 'nothing was rendered'): CliResult {
  const count = diagnostics.length;
  const summary = `canary-mapping: ${count} problem${count === 1 ? '' : 's'}; ${outcome}\n`;
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

interface RenderedApp {
  manifests: Manifest[];
  result: RenderResult;
  settings: Settings;
}

/** Settings, files, parse and the pure core: what generate and explain share. A CliResult when it failed early. */
async function renderApp(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo): Promise<RenderedApp | CliResult> {
  const fromStdin = target === '-';
  const directory = fromStdin ? '.' : target;
  const prefix = displayPrefix(directory, environment);
  const configPath = resolve(io.cwd, directory, CONFIG_FILE);
  const configText = readOptional(configPath);
  const configFile = configText === undefined ? undefined : { path: prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE, text: configText };
  const { settings, mappings, diagnostics: settingProblems } = resolveSettings({ flags, environment, ...(configFile ? { configFile } : {}) });
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
  const kubeApiVersions = environment.KUBE_API_VERSIONS?.split(',').map((entry) => entry.trim());
  const result = render(manifests, {
    settings,
    mappings,
    ...(destinationNamespace ? { destinationNamespace } : {}),
    ...(kubeApiVersions ? { kubeApiVersions } : {}),
  });
  return { manifests, result, settings };
}

function isFailure(value: RenderedApp | CliResult): value is CliResult {
  return 'exitCode' in value;
}

async function generate(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo): Promise<CliResult> {
  const app = await renderApp(target, flags, environment, io);
  if (isFailure(app)) return app;
  if (app.result.diagnostics.length > 0) return failure(app.result.diagnostics);
  return { exitCode: 0, stdout: renderStream(app.manifests, app.result), stderr: '' };
}

/** The report on stdout; with problems, the report goes to stderr ahead of them, and stdout stays empty. */
async function explain(target: string, args: ParsedArgs, environment: Environment, io: CliIo): Promise<CliResult> {
  const app = await renderApp(target, args.flags, environment, io);
  if (isFailure(app)) return app;
  const report = args.output === 'json' ? `${JSON.stringify(explainData(app.result.plans, app.settings), null, 2)}\n` : explainText(app.result.plans, app.settings);
  if (app.result.diagnostics.length === 0) return { exitCode: 0, stdout: report, stderr: '' };
  const failed = failure(app.result.diagnostics);
  return { ...failed, stderr: `${report}\n${failed.stderr}` };
}

/** The settings audit reads: which controller logics to check, and the API the controller reads bases through. */
const AUDIT_SETTINGS: readonly string[] = ['rolloutsVersion', 'ambassadorApiVersion'];

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
    diagnostic('flag-not-for-audit', `flag --${parameterName(key as SettingKey)} does not apply to audit`, undefined, 'audit takes --rollouts-version, --ambassador-api-version and --output'),
  );
  if (flagProblems.length + settingProblems.length > 0) return refuse([...flagProblems, ...settingProblems]);
  let text: string;
  if (target === '-') {
    text = await (io.readStdin ?? readStdinText)();
  } else {
    try {
      text = readFileSync(resolve(io.cwd, target), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      const hint = 'pass a file written by `kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml`, or - to read stdin';
      return refuse([diagnostic('audit-input-unreadable', `${target} ${NOT_READABLE[code] ?? `cannot be read (${code})`}`, undefined, hint)]);
    }
  }
  const parsed = parseManifests({ path: target === '-' ? '<stdin>' : target, text: text.replace(/^\uFEFF/, '') }, { json: /\.json$/i.test(target) });
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
      return extra(1) ?? audit(args.positional[0] ?? '-', args, environment, io);
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
