// YAML or JSON text → Kubernetes objects with their origin, read exactly as Argo CD reads them (kubernetes-yaml.ts),
// plus the checks where the plugin is stricter on purpose. Pure: no file system access.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { defaultLimits, limitNote, raiseLimitHint, type LimitKey, type Limits } from '../settings/limits.js';
import { readKubernetesStream, type ReadProblem } from '../manifests/kubernetes-yaml.js';
import { lineLocator, type Locator } from '../manifests/line-index.js';
import { type FileOrigin, type KubeObject, type Manifest, type SourceFile } from '../manifests/manifest.js';

/** A manifest read from a file: its origin is always a position in that file. */
export type ParsedManifest = Manifest & { origin: FileOrigin };

export interface ParseResult {
  manifests: ParsedManifest[];
  diagnostics: Diagnostic[];
}

const NOT_AN_OBJECT_HINT =
  'every document must be a Kubernetes object with apiVersion and kind; leave other files out with the `exclude` setting';

const DEFAULT_HINTS: Record<string, string> = { 'not-an-object': NOT_AN_OBJECT_HINT, syntax: 'fix the YAML syntax' };

/** Problems a limit stopped, with the limit they name and what else to do. */
const LIMITED: Record<string, { key: LimitKey; instead: string }> = {
  'too-deep': { key: 'maxDepth', instead: 'flatten the document' },
  'yaml-aliases': { key: 'maxAliases', instead: 'write the values out instead of using aliases' },
  'expanded-too-large': { key: 'maxExpandedSize', instead: 'write the values out instead of repeating a large anchor' },
};

function toDiagnostic(problem: ReadProblem, at: Locator, limits: Limits): Diagnostic {
  const limited = LIMITED[problem.code];
  // A cyclic alias is not a matter of limits.
  if (limited && !problem.hint) {
    const limit = limits[limited.key];
    return diagnostic(problem.code, `${problem.message} ${limitNote(limit)}`, at(problem.offset), raiseLimitHint(limit, limited.instead));
  }
  const hint = problem.hint ?? DEFAULT_HINTS[problem.code] ?? 'change it so that Kubernetes can read it';
  return diagnostic(problem.code, problem.message, at(problem.offset), hint);
}

/** What the plugin refuses although Argo CD would pass it on: an object the API server could not apply. */
function missingIdentity(object: Record<string, unknown>): string | undefined {
  const missing = ['apiVersion', 'kind'].filter((key) => typeof object[key] !== 'string' || object[key] === '');
  return missing.length === 0 ? undefined : missing.join(' and ');
}

export interface ParseOptions {
  /** The defaults unless given. */
  limits?: Limits;
  /** How many more documents the app may have (the max-documents limit less those already read); all of them unless given. */
  documentBudget?: number;
}

/** `documents`: how many documents and List items the file has, counted against the max-documents budget. */
export function parseManifests(file: SourceFile, given: ParseOptions = {}): ParseResult & { documents: number } {
  const limits = given.limits ?? defaultLimits;
  const budget = given.documentBudget ?? limits.maxDocuments.value;
  const at = lineLocator(file.path, file.text);
  const result: ParseResult = { manifests: [], diagnostics: [] };
  let reading: ReturnType<typeof readKubernetesStream>;
  try {
    reading = readKubernetesStream(file.text, {
      maxDepth: limits.maxDepth.value,
      maxAliases: limits.maxAliases.value,
      maxExpandedSize: limits.maxExpandedSize.value,
      maxDocuments: budget,
    });
  } catch (error) {
    // A bug in the reader (or a library under it): one line naming the file, never a stack trace.
    const message = `the plugin failed unexpectedly while reading this file (${error instanceof Error ? error.message : String(error)})`;
    result.diagnostics.push(diagnostic('internal-error', message, { file: file.path }, 'this is a bug in the plugin: report it with this file; nothing was rendered'));
    return { ...result, documents: 0 };
  }
  result.diagnostics.push(...[...reading.problems, ...reading.strict].sort((a, b) => a.offset - b.offset).map((problem) => toDiagnostic(problem, at, limits)));
  // Each List item is an object of its own to Argo CD, and counts as one.
  const counted = reading.overflow === undefined ? Math.max(reading.documents, reading.objects.length) : budget + 1;
  if (counted > budget) {
    const limit = limits.maxDocuments;
    const past = reading.overflow === undefined ? reading.objects[Math.max(0, budget)] : undefined;
    const first = reading.overflow ?? past?.document.contentStart ?? 0;
    const which = past?.item === undefined ? 'this one' : `item ${past.item} of the List that starts here`;
    result.diagnostics.push(
      diagnostic(
        'too-many-documents',
        `the app has more than ${limit.value} objects (YAML or JSON documents and List items); ${which} is past the limit ${limitNote(limit)}`,
        at(first),
        raiseLimitHint(limit, 'split the app, or exclude files that are not manifests'),
      ),
    );
    return { ...result, documents: counted };
  }
  for (const { value, document, item } of reading.objects) {
    const start = at(document.contentStart);
    const missing = missingIdentity(value);
    if (missing) {
      const what = item === undefined ? 'the document' : `item ${item} of the List`;
      result.diagnostics.push(
        diagnostic('not-an-object', `${what} has no ${missing}; Argo CD would pass it on, but the API server cannot apply it, so the plugin refuses it`, start, NOT_AN_OBJECT_HINT),
      );
      continue;
    }
    const origin: FileOrigin = { file, offset: document.contentStart, document: { start: document.start, end: document.end }, line: start.line, column: start.column, ...(item === undefined ? {} : { item }) };
    const source = document.reusable && item === undefined ? file.text.slice(document.start, document.end) : undefined;
    result.manifests.push({ object: value as KubeObject, origin, ...(source === undefined ? {} : { source }) });
  }
  return { ...result, documents: counted };
}

