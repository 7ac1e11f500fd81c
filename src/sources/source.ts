// Where the manifests come from: stdin (`generate -`), the app directory as plain files, or the app directory
// rendered by Kustomize. Whatever the source, the objects then go through the same pipeline.
import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { HELM_PLUGIN_FILE, HELM_PLUGIN_NAME } from '../cmp/helm-plugin.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { fileTooLarge, loadDirectory, type LoadedFile } from '../input/load-directory.js';
import type { Manifest } from '../manifests/manifest.js';
import { parseManifests } from '../input/parse.js';
import { decodeText, type ReadResult } from '../input/read-file.js';
import type { Limit, Limits } from '../settings/limits.js';
import type { Settings } from '../settings/table.js';
import { kustomizationIn } from './kustomize-origins.js';
import type { DeferredSources } from './kustomize.js';

export interface SourceRequest {
  /** DIR as given, or `-` for stdin. */
  target: string;
  /** The app directory, absolute (for stdin, the working directory). */
  directory: string;
  /** How paths are shown: this prefix joined with the path relative to the app directory. */
  displayPrefix: string;
  /** The repository the app lives in: symlinks may not leave it. */
  root: string;
  settings: Settings;
  limits: Limits;
  environment: Record<string, string | undefined>;
  cwd: string;
  /** stdin's bytes, up to one byte over `maxBytes`: enough to tell it is too large without reading an endless stream. */
  readStdin: (maxBytes: number) => Promise<Buffer>;
  signal?: AbortSignal;
}

export interface SourceResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
  /** What was read, for messages: `stdin`, the directory, or its Kustomize render. */
  what: string;
  /** For a Kustomize render: where its objects were written, found only when asked. */
  sources?: DeferredSources;
}

/** All files against one budget of documents: the limit is the app's, not each file's. */
function parseAll(files: readonly LoadedFile[], limits: Limits, diagnostics: Diagnostic[]): Manifest[] {
  const manifests: Manifest[] = [];
  let documentBudget = limits.maxDocuments.value;
  for (const { file } of files) {
    const parsed = parseManifests(file, { limits, documentBudget });
    diagnostics.push(...parsed.diagnostics);
    manifests.push(...parsed.manifests);
    documentBudget -= parsed.documents;
    if (documentBudget < 0) break; // the too-many-documents error is out; reading on would only take time
  }
  return manifests;
}

/** stdin's bytes as text: within the size limit, and UTF-8. */
export function stdinText(bytes: Buffer, limit: Limit): ReadResult {
  return bytes.length > limit.value ? { problem: fileTooLarge('<stdin>', undefined, limit) } : decodeText(bytes, '<stdin>');
}

const CHART_FILE = 'Chart.yaml';

/**
 * A chart's templates are not YAML until Helm renders them: read as plain files they give a syntax error each. One
 * error that names the Helm variant says what to do instead.
 */
function helmChart(chartFile: string, target: string): Diagnostic {
  return diagnostic(
    'helm-chart',
    `${target} is a Helm chart (it holds ${CHART_FILE}); this plugin reads plain manifests and Kustomize apps, not chart templates`,
    { file: chartFile, line: 1, column: 1 },
    `select the Helm variant of the plugin in the Application: spec.source.plugin.name: ${HELM_PLUGIN_NAME}-v1 (${HELM_PLUGIN_FILE}); if the directory holds plain manifests beside the chart, exclude ${CHART_FILE} and templates/**`,
  );
}

export async function readSource(request: SourceRequest): Promise<SourceResult> {
  const { target, directory, displayPrefix, settings, limits } = request;
  const diagnostics: Diagnostic[] = [];
  if (target === '-') {
    const read = stdinText(await request.readStdin(limits.maxFileSize.value), limits.maxFileSize);
    if ('problem' in read) return { manifests: [], diagnostics: [read.problem], what: 'stdin' };
    return { manifests: parseAll([{ file: { path: '<stdin>', text: read.text } }], limits, diagnostics), diagnostics, what: 'stdin' };
  }
  const kustomization = settings.source === 'directory' ? undefined : kustomizationIn(directory);
  // A missing directory is the plain reader's to report, whatever the source.
  if (kustomization || (settings.source === 'kustomize' && existsSync(directory) && statSync(directory).isDirectory())) {
    // Loaded only here: it starts child processes, which a plain render never needs.
    const { renderKustomize } = require('./kustomize.js') as typeof import('./kustomize.js');
    const rendered = await renderKustomize({
      directory,
      displayPrefix,
      kustomization,
      root: request.root,
      settings,
      limits,
      environment: request.environment,
      cwd: request.cwd,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { ...rendered, what: `the Kustomize render of ${target}` };
  }
  const loaded = loadDirectory({ directory, displayPrefix, exclude: settings.exclude, root: request.root, maxFileSize: limits.maxFileSize, maxTotalSize: limits.maxTotalSize });
  const chart = loaded.files.find(({ file }) => file.path === (displayPrefix ? posix.join(displayPrefix, CHART_FILE) : CHART_FILE));
  if (chart) return { manifests: [], diagnostics: [helmChart(chart.file.path, displayPrefix || target)], what: target };
  diagnostics.push(...loaded.diagnostics);
  return { manifests: parseAll(loaded.files, limits, diagnostics), diagnostics, what: target };
}
