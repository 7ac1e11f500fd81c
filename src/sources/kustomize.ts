// Kustomize as a source: `kustomize build` (or `kubectl kustomize`) on the app directory, through a wrapper
// kustomization that makes Kustomize record where each object came from (kustomize-origins.ts); its output read like
// any file, and every object's origin pointing back at the app's own files.
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostics.js';
import type { Manifest } from '../manifests/manifest.js';
import { appTooLarge } from '../input/load-directory.js';
import { parseManifests } from '../input/parse.js';
import type { Limits } from '../settings/limits.js';
import type { Settings } from '../settings/table.js';
import { kustomizeSourceFinder, withSources, wrapperKustomization } from './kustomize-origins.js';
import { runGrouped } from './run-grouped.js';

type Environment = Record<string, string | undefined>;

export interface KustomizeCommand {
  file: string;
  /** `build` for kustomize, `kustomize` for kubectl. */
  args: string[];
  /** As users know it: `kustomize build`, `kubectl kustomize`. */
  name: string;
}

export interface KustomizeRequest {
  /** The app directory, absolute. */
  directory: string;
  /** How paths are shown: this prefix joined with the path relative to the app directory. */
  displayPrefix: string;
  /** The kustomization file in the directory, if there is one. */
  kustomization: string | undefined;
  /** The repository the app lives in: locating a diagnostic opens no file outside it. */
  root: string;
  settings: Pick<Settings, 'kustomizePath' | 'kustomizeArgs' | 'kustomizeTimeout'>;
  /** The render is read like one file of the app: the same size, document, alias and depth limits. */
  limits: Limits;
  /** Also the child's environment, and where PATH comes from. */
  environment: Environment;
  /** Where a relative kustomize-path starts. */
  cwd: string;
  signal?: AbortSignal;
}

// Argo Rollouts publishes this configuration with an entry for the Mapping names of a Rollout; the plugin points at it
// rather than shipping its own.
const RENAME_HINT = `Kustomize renames objects (namePrefix, nameSuffix) but rewrites references to them only in fields it knows. Argo Rollouts publishes a transformer configuration that teaches it a Rollout's references, Mappings included (nameReference kind Mapping, group getambassador.io, at spec/strategy/canary/trafficRouting/ambassador/mappings of Rollout): copy rollout-transform-kustomize-v5.yaml from https://argoproj.github.io/argo-rollouts/features/kustomize/ next to kustomization.yaml and list it there:
  configurations:
    - rollout-transform-kustomize-v5.yaml`;

const NOT_FOUND_HINT = 'install kustomize or kubectl where the plugin runs, set kustomize-path, or set source to `directory` to read the files as they are';

function onPath(name: string, environment: Environment): string | undefined {
  for (const directory of (environment.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function commandFor(file: string): KustomizeCommand {
  const kubectl = basename(file).startsWith('kubectl');
  return { file, args: kubectl ? ['kustomize'] : ['build'], name: kubectl ? 'kubectl kustomize' : 'kustomize build' };
}

/** The Kustomize to run: kustomize-path, else kustomize on PATH, else kubectl on PATH. */
export function kustomizeCommand(kustomizePath: string, environment: Environment, cwd: string): { command: KustomizeCommand } | { problem: Diagnostic } {
  if (kustomizePath === '') {
    const file = onPath('kustomize', environment) ?? onPath('kubectl', environment);
    if (file) return { command: commandFor(file) };
    return { problem: diagnostic('kustomize-not-found', 'found neither kustomize nor kubectl on PATH to render the kustomization', undefined, NOT_FOUND_HINT) };
  }
  if (kustomizePath.includes('/')) return { command: commandFor(resolve(cwd, kustomizePath)) };
  const file = onPath(kustomizePath, environment);
  if (file) return { command: commandFor(file) };
  return { problem: diagnostic('kustomize-not-found', `kustomize-path ${kustomizePath}: not found on PATH`, undefined, NOT_FOUND_HINT) };
}

/**
 * The directory paths are shown relative to, when it can be told: the app directory itself, or the directory the
 * display prefix starts from (the repository inside Argo CD, the working directory for `generate DIR`).
 */
function displayRoot(directory: string, displayPrefix: string): { absolute: string; shown: string } {
  if (displayPrefix === '') return { absolute: directory, shown: '' };
  const suffix = `/${posix.normalize(displayPrefix).replace(/\/+$/, '')}`;
  if (!isAbsolute(displayPrefix) && directory.endsWith(suffix)) return { absolute: directory.slice(0, -suffix.length), shown: '' };
  return { absolute: directory, shown: displayPrefix };
}

/** Kustomize names files by absolute path; users know them by their path in the repository. */
function scrubPaths(text: string, directory: string, displayPrefix: string): string {
  const root = displayRoot(directory, displayPrefix);
  const escape = (path: string) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let scrubbed = text;
  for (const absolute of new Set([root.absolute, realpathSync(root.absolute)])) {
    if (absolute === '/') continue;
    scrubbed = scrubbed
      .replace(new RegExp(`${escape(absolute)}/`, 'g'), root.shown ? `${root.shown}/` : '')
      .replace(new RegExp(`${escape(absolute)}(?![\\w.-])`, 'g'), root.shown || '.');
  }
  return scrubbed;
}

/**
 * The wrapper kustomization's own layer of Kustomize's message (`accumulating resources from '<the app>': …
 * recursed accumulation of path '<the app>': `, or `… couldn't make target for path '<the app>': ` when the app's
 * kustomization is missing or broken), so that the message reads as a build of the app directory would.
 */
const WRAPPER_LAYER =
  /^accumulating resources: accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': (?:recursed accumulation of|couldn't make target for) path '[^']*': /;

/**
 * Kustomize's own message. kubectl wraps it in a klog line (`E1127 17:02:46.155489 29548 run.go:72] "command failed"
 * err="…"`, or `err=<` and tab-indented lines), whose time and process id would make the stderr differ at every run.
 */
export function kustomizeMessage(stderr: string): string {
  const text = stderr.replace(/^[IWEF]\d{4} [\d:.]+\s+\d+ [^\]\s]+\] /gm, '').trim();
  const quoted = /^"command failed" err=("(?:[^"\\]|\\.)*")$/m.exec(text);
  if (quoted) {
    try {
      return JSON.parse(quoted[1]!) as string;
    } catch {
      return quoted[1]!;
    }
  }
  const block = /^"command failed" err=<\n([\s\S]*?)\n >$/m.exec(text);
  if (block) return block[1]!.replace(/^\t/gm, '').trim();
  return text.replace(/^Error: /gm, '');
}

function runDiagnostic(code: string, message: string, location: SourceLocation | undefined, hint: string): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
  return { manifests: [], diagnostics: [diagnostic(code, message, location, hint)] };
}

export async function renderKustomize(request: KustomizeRequest): Promise<{ manifests: Manifest[]; diagnostics: Diagnostic[] }> {
  const { directory, displayPrefix, settings } = request;
  const found = kustomizeCommand(settings.kustomizePath, request.environment, request.cwd);
  if ('problem' in found) return { manifests: [], diagnostics: [found.problem] };
  const { command } = found;
  const shownDirectory = displayPrefix || '.';
  const commandLine = `\`${[command.name, ...settings.kustomizeArgs, shownDirectory].join(' ')}\``;
  const seconds = Number(settings.kustomizeTimeout);
  const appDirectory = realpathSync(directory);
  const wrapper = realpathSync(mkdtempSync(join(tmpdir(), 'canary-mapping-kustomize-')));
  const removeWrapper = () => rmSync(wrapper, { recursive: true, force: true });
  let outcome: Awaited<ReturnType<typeof runGrouped>>;
  try {
    writeFileSync(join(wrapper, 'kustomization.yaml'), wrapperKustomization(relative(wrapper, appDirectory)));
    outcome = await runGrouped({
      file: command.file,
      args: [...command.args, ...settings.kustomizeArgs, wrapper],
      cwd: directory,
      env: request.environment,
      timeoutMs: seconds * 1000,
      ...(request.signal ? { signal: request.signal } : {}),
      cleanUp: removeWrapper,
    });
  } finally {
    removeWrapper();
  }
  const location = request.kustomization ? { file: displayPrefix ? posix.join(displayPrefix, request.kustomization) : request.kustomization } : undefined;
  switch (outcome.kind) {
    case 'not-started':
      return runDiagnostic('kustomize-not-found', `cannot run ${command.file}: ${outcome.error.message}`, undefined, NOT_FOUND_HINT);
    case 'timed-out':
      return runDiagnostic(
        'kustomize-timeout',
        `${commandLine} did not finish within ${seconds} s; it was stopped, with every process it started`,
        location,
        "raise kustomize-timeout if it needs longer, but keep it below Argo CD's deadline for the whole request (60 s unless changed); remote bases and Helm charts make Kustomize slow",
      );
    case 'stopped':
      return runDiagnostic('kustomize-stopped', `${commandLine} was stopped, with every process it started, because the plugin was told to stop`, location, 'Argo CD stops a plugin at its deadline for the request: a render that takes this long needs a faster kustomization');
    case 'exited':
      break;
  }
  if (outcome.code !== 0) {
    const how = outcome.code === null ? `was killed by ${outcome.signal}` : `failed with exit status ${outcome.code}`;
    const message = scrubPaths(kustomizeMessage(outcome.stderr).replace(WRAPPER_LAYER, ''), directory, displayPrefix) || '(Kustomize printed no message)';
    return runDiagnostic('kustomize-failed', `${commandLine} ${how}: ${message}`, location, `fix what Kustomize reports; ${commandLine} shows the same error where you can try it`);
  }
  const renderedBytes = Buffer.byteLength(outcome.stdout);
  // The render is the whole app: it is held to the app's limit, not to one file's.
  if (renderedBytes > request.limits.maxTotalSize.value) {
    return { manifests: [], diagnostics: [appTooLarge(`the output of ${commandLine}`, request.limits.maxTotalSize)] };
  }
  const parsed = parseManifests({ path: `output of ${commandLine}`, text: outcome.stdout }, { limits: request.limits });
  const findSource = kustomizeSourceFinder({ wrapper, appDirectory, displayPrefix, root: request.root, limits: request.limits });
  const manifests = withSources(parsed.manifests, findSource, RENAME_HINT);
  return { manifests, diagnostics: parsed.diagnostics };
}
