// YAML or JSON text → Kubernetes objects with their origin. Pure: no file system access.
//
// Two readers give the same objects. The fast one (js-yaml, about ten times faster on large apps) reads ordinary
// streams document by document. The exact one (yaml) reads everything else, and every stream in which the fast one
// finds any problem, because it reports problems with the precise messages and positions users need.
import { dump, load } from 'js-yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../core/diagnostics.js';
import { lineLocator, type Locator } from './line-index.js';
import { isRecord, type FileOrigin, type KubeObject, type Manifest, type SourceFile } from './manifest.js';
import { splitDocuments } from './split-documents.js';
import { yamlLibrary } from './yaml-library.js';

/** A manifest read from a file: its origin is always a position in that file. */
export type ParsedManifest = Manifest & { origin: FileOrigin };

export interface ParseResult {
  manifests: ParsedManifest[];
  diagnostics: Diagnostic[];
}

/** Anchors are allowed, but an alias bomb is refused long before it exhausts memory. */
const MAX_ALIAS_COUNT = 100;

const NOT_AN_OBJECT_HINT =
  'every document must be a Kubernetes object with apiVersion and kind; leave other files out with the `exclude` setting';

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.apiVersion === 'string' && value.apiVersion !== '' && typeof value.kind === 'string' && value.kind !== '';
}

function describeMissing(value: Record<string, unknown>, what: string): string {
  const missing = ['apiVersion', 'kind'].filter((key) => typeof value[key] !== 'string' || value[key] === '');
  return `${what} is not a Kubernetes object: it has no ${missing.join(' and no ')}`;
}

/** YAML for an object that has no source text of its own to reuse (a List item, JSON, a rewritten object). */
export function renderObject(object: unknown): string {
  return dump(object, { lineWidth: -1, noRefs: true });
}

const LEADING_TRIVIA = /^(?:[ \t]*(?:#.*)?\n)*[ \t]*/;

interface DocumentValue {
  value: unknown;
  /** Offset where the document's content starts, for its position. */
  contentStart: number;
  /** The document's own text when it can be output as is. */
  text?: string;
}

/** Objects out of one document's value: the object itself, or the items of a `kind: *List`. */
function collect(file: SourceFile, document: DocumentValue, at: Locator, result: ParseResult): void {
  const { value, contentStart } = document;
  const start = at(contentStart);
  if (value === null || value === undefined) return; // an empty document, e.g. after a trailing `---`
  if (!isRecord(value) || !isKubeObject(value)) {
    const message = isRecord(value)
      ? describeMissing(value, 'document')
      : `document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a Kubernetes object`;
    result.diagnostics.push(diagnostic('not-an-object', message, start, NOT_AN_OBJECT_HINT));
    return;
  }
  const origin = { file, offset: contentStart, line: start.line, column: start.column };
  if (!(value.kind.endsWith('List') && Array.isArray(value.items))) {
    result.manifests.push({ object: value, origin, text: document.text ?? renderObject(value) });
    return;
  }
  value.items.forEach((item: unknown, index) => {
    if (isKubeObject(item)) {
      result.manifests.push({ object: item, origin: { ...origin, item: index }, text: renderObject(item) });
    } else {
      const what = `item ${index} of ${value.kind}`;
      const message = isRecord(item) ? describeMissing(item, what) : `${what} is not a Kubernetes object`;
      result.diagnostics.push(diagnostic('not-an-object', message, start, NOT_AN_OBJECT_HINT));
    }
  });
}

/** The fast reader; undefined when the stream needs the exact one. */
function readFast(text: string): DocumentValue[] | undefined {
  const spans = splitDocuments(text);
  if (!spans) return undefined;
  const documents: DocumentValue[] = [];
  for (const span of spans) {
    const own = text.slice(span.start, span.end);
    const trivia = LEADING_TRIVIA.exec(own)?.[0].length ?? 0;
    if (trivia === own.length) continue; // only comments: an empty document
    let value: unknown;
    try {
      value = load(own, { maxAliases: MAX_ALIAS_COUNT });
    } catch {
      return undefined;
    }
    documents.push({ value, contentStart: span.start + trivia, text: own.endsWith('\n') ? own : `${own}\n` });
  }
  return documents;
}

function readExact(file: SourceFile, at: Locator, json: boolean, result: ParseResult): DocumentValue[] {
  const { Composer, Parser } = yamlLibrary();
  const documents: DocumentValue[] = [];
  // One document at a time, so a large file never holds every syntax tree at once.
  const composer = new Composer({ uniqueKeys: true });
  for (const document of composer.compose(new Parser().parse(file.text), true, file.text.length)) {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        // The library appends its own position; ours comes first, in the common file:line:column form.
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        result.diagnostics.push(diagnostic('syntax', message, at(error.pos[0]), json ? 'fix the JSON syntax' : 'fix the YAML syntax'));
      }
      continue;
    }
    const contentStart = document.contents?.range?.[0] ?? document.range[0];
    try {
      documents.push({ value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), contentStart });
    } catch (error) {
      const hint = 'write the values out instead of using aliases';
      result.diagnostics.push(diagnostic('yaml-aliases', `document expands too many aliases (${(error as Error).message})`, at(contentStart), hint));
    }
  }
  return documents;
}

export function parseManifests(file: SourceFile, options: { json: boolean }): ParseResult {
  const result: ParseResult = { manifests: [], diagnostics: [] };
  const at = lineLocator(file.path, file.text);
  const documents = (!options.json && readFast(file.text)) || readExact(file, at, options.json, result);
  for (const document of documents) collect(file, document, at, result);
  return result;
}
