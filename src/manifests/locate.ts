// File:line:column of a field inside a manifest. Positions are looked up only when a diagnostic needs them, so the
// common path keeps no YAML syntax trees in memory; the file is parsed again at most once.
import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { SourceLocation } from '../core/diagnostics.js';
import type { Origin, SourceFile } from './manifest.js';

interface ParsedFile {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

const parsedFiles = new WeakMap<SourceFile, ParsedFile>();

function parsedFile(file: SourceFile): ParsedFile {
  let parsed = parsedFiles.get(file);
  if (!parsed) {
    const lineCounter = new LineCounter();
    parsed = { documents: parseAllDocuments(file.text, { lineCounter }) as Document.Parsed[], lineCounter };
    parsedFiles.set(file, parsed);
  }
  return parsed;
}

export function positionIn(file: SourceFile, lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { file: file.path, line, column: col };
}

/**
 * Where `path` (keys and sequence indexes) is written. With `key`, the position of the map key instead of its value.
 * Falls back to the deepest part of the path that exists, then to the object itself.
 */
export function locate(origin: Origin, path: readonly (string | number)[] = [], options: { key?: boolean } = {}): SourceLocation {
  const { documents, lineCounter } = parsedFile(origin.file);
  const document = documents[origin.document];
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
      if (pair && isNode(pair.key) && pair.key.range) return positionIn(origin.file, lineCounter, pair.key.range[0]);
    }
    return positionIn(origin.file, lineCounter, node.range[0]);
  }
  return fallback;
}
