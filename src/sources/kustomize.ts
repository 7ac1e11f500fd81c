// Kustomize as a source: `kustomize build` (or `kubectl kustomize`) on the app directory, its output read like any
// file. Where each object came from is asked of Kustomize only when needed, by a second run through a wrapper
// kustomization that makes it record that (kustomize-origins.ts); every object's origin then points back at the app's
// own files.
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostics.js';
import type { Manifest } from '../manifests/manifest.js';
import { appTooLarge } from '../input/load-directory.js';
import { parseManifests, type ParsedManifest } from '../input/parse.js';
import type { Limits } from '../settings/limits.js';
import type { Settings } from '../settings/table.js';
import { kustomizeSourceFinder, sourcesByPosition, withSources, wrapperKustomization, type SourceByPosition } from './kustomize-origins.js';
import { runGrouped, type RunOutcome } from './run-grouped.js';

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

type Rendered = { manifests: Manifest[]; diagnostics: Diagnostic[] };

function runDiagnostic(code: string, message: string, location: SourceLocation | undefined, hint: string): Rendered {
  return { manifests: [], diagnostics: [diagnostic(code, message, location, hint)] };
}

/** Where the objects of a plain render were written: found only when something asks. */
export interface DeferredSources {
  /** Whether anything has asked where an object was written (a diagnostic to locate, a renamed Mapping to name). */
  asked: () => boolean;
  /**
   * Runs Kustomize again, through the annotated wrapper; afterwards the objects answer where they were written. When
   * that run fails, they keep naming themselves instead.
   */
  find: () => Promise<void>;
}

export interface KustomizeRender extends Rendered {
  /** For a render that succeeded. */
  sources?: DeferredSources;
}

/**
 * Kustomize on the app directory as `kustomize build DIR` would run it; where each object was written is found by a
 * second, annotated run only when something asks (kustomize-origins.ts): recording origins makes Kustomize itself
 * much slower, and a render without problems never needs them.
 */
export async function renderKustomize(request: KustomizeRequest): Promise<KustomizeRender> {
  const { directory, displayPrefix, settings } = request;
  const found = kustomizeCommand(settings.kustomizePath, request.environment, request.cwd);
  if ('problem' in found) return { manifests: [], diagnostics: [found.problem] };
  const { command } = found;
  const commandLine = `\`${[command.name, ...settings.kustomizeArgs, displayPrefix || '.'].join(' ')}\``;
  const seconds = Number(settings.kustomizeTimeout);
  // One deadline for both runs: Argo CD's deadline is for the whole request.
  const deadline = Date.now() + seconds * 1000;
  const run = (target: string, cleanUp?: () => void) =>
    runGrouped({
      file: command.file,
      args: [...command.args, ...settings.kustomizeArgs, target],
      cwd: directory,
      env: request.environment,
      timeoutMs: Math.max(deadline - Date.now(), 0),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(cleanUp ? { cleanUp } : {}),
    });
  const location = request.kustomization ? { file: displayPrefix ? posix.join(displayPrefix, request.kustomization) : request.kustomization } : undefined;
  const outcome = await run(directory);
  switch (outcome.kind) {
    case 'not-started':
      if ((outcome.error as NodeJS.ErrnoException).code === 'EACCES') {
        const hint = 'make it executable (chmod +x), or point kustomize-path at an executable kustomize or kubectl';
        return runDiagnostic('kustomize-not-executable', `cannot run ${command.file}: it is not executable`, undefined, hint);
      }
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
    const message = scrubPaths(kustomizeMessage(outcome.stderr), directory, displayPrefix) || '(Kustomize printed no message)';
    return runDiagnostic('kustomize-failed', `${commandLine} ${how}: ${message}`, location, `fix what Kustomize reports; ${commandLine} shows the same error where you can try it`);
  }
  const output = readOutput(outcome.stdout, commandLine, request.limits);
  if ('diagnostics' in output) return output;
  let sourceOf: SourceByPosition | undefined;
  let asked = false;
  const manifests = withSources(
    output.manifests,
    (index, rendered) => {
      asked = true;
      return sourceOf?.(index, rendered);
    },
    RENAME_HINT,
  );
  const find = async () => {
    const annotated = await annotatedRender(request, run);
    const finder = kustomizeSourceFinder({ wrapper: annotated.wrapper, appDirectory: annotated.appDirectory, displayPrefix, root: request.root, limits: request.limits });
    const lookUp = sourcesByPosition(annotated.manifests, finder);
    // Every recorded file is read here, in the shell: the core then only looks sources up and does no I/O.
    const sources = manifests.map((manifest, index) => lookUp(index, manifest.object));
    sourceOf = (index) => sources[index];
  };
  return { manifests, diagnostics: [], sources: { asked: () => asked, find } };
}

/** The render's objects, held to the app's limits: the render is the whole app, not one file of it. */
function readOutput(stdout: string, commandLine: string, limits: Limits): { manifests: ParsedManifest[] } | Rendered {
  if (Buffer.byteLength(stdout) > limits.maxTotalSize.value) return { manifests: [], diagnostics: [appTooLarge(`the output of ${commandLine}`, limits.maxTotalSize)] };
  const parsed = parseManifests({ path: `output of ${commandLine}`, text: stdout }, { limits });
  return parsed.diagnostics.length > 0 ? { manifests: [], diagnostics: parsed.diagnostics } : { manifests: parsed.manifests };
}

/**
 * The app built through a wrapper kustomization in a fresh temporary directory, which lists it by relative path and
 * asks Kustomize to record origins; the wrapper is removed when Kustomize ends, or before a signal ends the plugin.
 * No objects when that build fails: the objects are then named instead of located.
 */
async function annotatedRender(
  request: KustomizeRequest,
  run: (target: string, cleanUp: () => void) => ReturnType<typeof runGrouped>,
): Promise<{ wrapper: string; appDirectory: string; manifests: readonly ParsedManifest[] }> {
  const appDirectory = realpathSync(request.directory);
  let wrapper: string;
  try {
    wrapper = realpathSync(mkdtempSync(join(tmpdir(), 'canary-mapping-kustomize-')));
  } catch {
    // No temporary directory (TMPDIR missing or read-only): the problems are still reported, naming their objects.
    return { wrapper: '', appDirectory, manifests: [] };
  }
  const removeWrapper = () => rmSync(wrapper, { recursive: true, force: true });
  let outcome: RunOutcome;
  try {
    writeFileSync(join(wrapper, 'kustomization.yaml'), wrapperKustomization(relative(wrapper, appDirectory)));
    outcome = await run(wrapper, removeWrapper);
  } finally {
    removeWrapper();
  }
  const output = outcome.kind === 'exited' && outcome.code === 0 ? readOutput(outcome.stdout, 'the annotated build', request.limits) : undefined;
  return { wrapper, appDirectory, manifests: output && !('diagnostics' in output) ? output.manifests : [] };
}
