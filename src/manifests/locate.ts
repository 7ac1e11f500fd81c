// File:line:column of a field inside a manifest. Positions are looked up only when a diagnostic needs them, so the
// common path keeps no YAML syntax trees in memory; the file is parsed again at most once.
import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import type { SourceLocation } from '../diagnostics/diagnostics.js';
import { parseSyntax, syntaxText } from './kubernetes-yaml.js';
import { lineLocator, type Locator } from './line-index.js';
import { isRendered, metadataOf, nameOf, type FileOrigin, type KubeObject, type Origin, type SourceFile } from './manifest.js';
import { yamlLibrary } from './yaml-library.js';

interface ParsedFile {
  /** Syntax trees of the file's documents, by where each starts; parsed as they are asked for. */
  documents: Map<number, Document.Parsed | undefined>;
  at: Locator;
}

const parsedFiles = new WeakMap<SourceFile, ParsedFile>();

/** The syntax tree of one document of the file, as the reader split it; offsets are relative to its start. */
function parsedDocument(origin: FileOrigin): { document: Document.Parsed | undefined; at: Locator } {
  const { file } = origin;
  let parsed = parsedFiles.get(file);
  if (!parsed) {
    parsed = { documents: new Map(), at: lineLocator(file.path, file.text) };
    parsedFiles.set(file, parsed);
  }
  const { start, end } = origin.document;
  if (!parsed.documents.has(start)) parsed.documents.set(start, parseSyntax(syntaxText(file.text.slice(start, end)), Infinity).document);
  return { document: parsed.documents.get(start), at: parsed.at };
}

type Path = readonly (string | number)[];

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describe(object: KubeObject): string {
  const namespace = metadataOf(object).namespace;
  return `${object.kind} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${nameOf(object) ?? '(unnamed)'}`;
}

/**
 * Where `path` (keys and sequence indexes) is written. With `key`, the position of the map key instead of its value.
 * Falls back to the deepest part of the path that exists, then to the object itself. A rendered object is located
 * where its value at `path` is written: in a patch that sets it, else in the document the object was made from; at
 * that document's start when neither holds the value (a transformer wrote it); by the object's name when no file of
 * the app holds the object.
 */
export function locate(origin: Origin, path: Path = [], options: { key?: boolean } = {}): SourceLocation {
  if (!isRendered(origin)) return locateInFile(origin, path, options);
  const source = origin.source();
  if (!source) return { file: `${describe(origin.object)} (rendered by ${origin.renderer})` };
  const rendered = valueAt(origin.object, path);
  // The object itself, or a field it lacks: where the object is written says the most.
  if (path.length === 0 || rendered === undefined) return locateInFile(source.origin, path, options);
  const writer = [...source.patches, source].find((written) => isDeepStrictEqual(valueAt(written.object, path), rendered));
  return writer ? locateInFile(writer.origin, path, options) : locateInFile(source.origin);
}

function locateInFile(origin: FileOrigin, path: Path = [], options: { key?: boolean } = {}): SourceLocation {
  const { document, at } = parsedDocument(origin);
  const { isNode } = yamlLibrary();
  const base = origin.document.start;
  const fallback = { file: origin.file.path, line: origin.line, column: origin.column };
  if (!document) return fallback;
  const full = origin.item === undefined ? [...path] : ['items', origin.item, ...path];
  for (let depth = full.length; depth >= 0; depth--) {
    const prefix = full.slice(0, depth);
    const node = document.getIn(prefix, true);
    if (!isNode(node) || !node.range) continue;
    if (options.key && depth === full.length && depth > 0) {
      const parent = document.getIn(prefix.slice(0, -1), true) as { items?: Array<{ key: unknown }> } | undefined;
      const pair = parent?.items?.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === prefix[prefix.length - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return at(base + pair.key.range[0]);
    }
    return at(base + node.range[0]);
  }
  return fallback;
}
