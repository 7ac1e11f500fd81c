// An app directory as generate, explain and parameters see it: where it is, its config file, its settings, and for
// generate and explain its manifests through the pure core.
import { join, resolve } from 'node:path';
import { render, type RenderResult } from '../core/render.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { formatBytes } from '../input/read-file.js';
import { readOptionalFile, repositoryRoot } from '../input/repository.js';
import type { Manifest } from '../manifests/manifest.js';
import { limitsOf } from '../settings/limits.js';
import { resolveSettings } from '../settings/resolve.js';
import type { Settings } from '../settings/table.js';
import { readSource } from '../sources/source.js';
import type { ParsedArgs } from './args.js';
import { EXIT_PROBLEMS, EXIT_USAGE, failure, stdinReader, type CliIo, type CliResult, type Environment } from './io.js';

export const CONFIG_FILE = '.canary-mapping.yaml';

/** Settings cannot limit the file that holds them; a config file is small. */
const CONFIG_MAX_BYTES = 1024 * 1024;

/** Paths in diagnostics read as the user wrote DIR; inside Argo CD (DIR `.`), as the app's path in the repository. */
function displayPrefix(directory: string, environment: Environment): string {
  if (directory !== '.') return directory;
  const sourcePath = environment.ARGOCD_APP_SOURCE_PATH;
  return sourcePath && sourcePath !== '.' ? sourcePath : '';
}

export interface RenderedApp {
  manifests: Manifest[];
  result: RenderResult;
  settings: Settings;
}

interface AppLocation {
  appDirectory: string;
  prefix: string;
  root: string;
  /** The app's config file, when it has one; why not, when it cannot be read. */
  configFile: { path: string; text: string } | undefined | { problem: Diagnostic };
}

/** Where the app lives, how its paths are shown, and its config file. */
export function locateApp(directory: string, environment: Environment, io: CliIo): AppLocation {
  const prefix = displayPrefix(directory, environment);
  const appDirectory = resolve(io.cwd, directory);
  const root = repositoryRoot(appDirectory, directory === '.' ? environment.ARGOCD_APP_SOURCE_PATH : undefined);
  const configDisplay = prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE;
  const configRead = readOptionalFile(join(appDirectory, CONFIG_FILE), configDisplay, root, {
    maxBytes: CONFIG_MAX_BYTES,
    tooLarge: (size) => diagnostic('file-too-large', `${configDisplay} is ${formatBytes(size)}; a config file may have at most 1 MiB`, undefined, 'keep only settings in it'),
  });
  const configFile = configRead && ('problem' in configRead ? configRead : { path: configDisplay, text: configRead.text });
  return { appDirectory, prefix, root, configFile };
}

/**
 * Settings, files, parse and the pure core: what generate and explain share; `finish` makes the command's result of
 * the rendered app. When a Kustomize render left out where its objects were written and the core or `finish` asked,
 * Kustomize finds that out and the same objects go through the core again, so that what is reported is located.
 */
export async function renderApp(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo, finish: (app: RenderedApp) => CliResult): Promise<CliResult> {
  const { appDirectory, prefix, root, configFile } = locateApp(target === '-' ? '.' : target, environment, io);
  if (configFile && 'problem' in configFile) return failure([configFile.problem]);
  const { settings, mappings, diagnostics: settingProblems, commandLine } = resolveSettings({ flags, environment, ...(configFile ? { configFile } : {}) });
  if (settingProblems.length > 0) return failure(settingProblems, commandLine ? EXIT_USAGE : EXIT_PROBLEMS);
  const limits = limitsOf(settings);

  const { manifests, diagnostics, what, sources } = await readSource({
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
  const finishRender = () =>
    finish({
      manifests,
      result: render(manifests, {
        settings,
        mappings,
        ...(destinationNamespace ? { destinationNamespace } : {}),
        ...(kubeApiVersions ? { kubeApiVersions } : {}),
      }),
      settings,
    });
  const finished = finishRender();
  if (!sources?.asked()) return finished;
  await sources.find();
  return finishRender();
}
