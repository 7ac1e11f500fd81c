// Where the manifests come from: stdin (`generate -`), the app directory as plain files, or the app directory
// rendered by Kustomize. Whatever the source, the objects then go through the same pipeline.
import { existsSync, statSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.js';
import { loadDirectory } from '../manifests/load-directory.js';
import type { Manifest } from '../manifests/manifest.js';
import { parseManifests } from '../manifests/parse.js';
import type { Settings } from '../settings/table.js';
import { kustomizationIn } from './kustomize-origins.js';

export interface SourceRequest {
  /** DIR as given, or `-` for stdin. */
  target: string;
  /** The app directory, absolute (for stdin, the working directory). */
  directory: string;
  /** How paths are shown: this prefix joined with the path relative to the app directory. */
  displayPrefix: string;
  settings: Settings;
  environment: Record<string, string | undefined>;
  cwd: string;
  readStdin: () => Promise<string>;
  signal?: AbortSignal;
}

export interface SourceResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
  /** What was read, for messages: `stdin`, the directory, or its Kustomize render. */
  what: string;
}

function parseAll(files: { file: { path: string; text: string }; json: boolean }[], diagnostics: Diagnostic[]): Manifest[] {
  return files.flatMap(({ file, json }) => {
    const parsed = parseManifests(file, { json });
    diagnostics.push(...parsed.diagnostics);
    return parsed.manifests;
  });
}

export async function readSource(request: SourceRequest): Promise<SourceResult> {
  const { target, directory, displayPrefix, settings } = request;
  const diagnostics: Diagnostic[] = [];
  if (target === '-') {
    const text = (await request.readStdin()).replace(/^\uFEFF/, '');
    return { manifests: parseAll([{ file: { path: '<stdin>', text }, json: false }], diagnostics), diagnostics, what: 'stdin' };
  }
  const kustomization = settings.source === 'directory' ? undefined : kustomizationIn(directory);
  // A missing directory is the plain reader's to report, whatever the source.
  if (kustomization || (settings.source === 'kustomize' && existsSync(directory) && statSync(directory).isDirectory())) {
    // Loaded only here: it starts child processes, which a plain render never needs.
    const { renderKustomize } = require('./kustomize.js') as typeof import('./kustomize.js');
    const rendered = await renderKustomize({ directory, displayPrefix, kustomization, settings, environment: request.environment, cwd: request.cwd, ...(request.signal ? { signal: request.signal } : {}) });
    return { ...rendered, what: `the Kustomize render of ${target}` };
  }
  const loaded = loadDirectory({ directory, displayPrefix, exclude: settings.exclude });
  diagnostics.push(...loaded.diagnostics);
  return { manifests: parseAll(loaded.files, diagnostics), diagnostics, what: target };
}
