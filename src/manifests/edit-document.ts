// Edits a document's text in place, so that a rewritten object keeps its comments, key order and layout and Argo CD's
// diff shows only the fields that changed. Each edit changes the text of one field (or adds or removes one line); a
// document that cannot be edited this way (the field comes through an alias or merge key, a flow map needs a nested
// map, …) returns undefined, and the caller writes the object anew.
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { parseSyntax, syntaxText } from './kubernetes-yaml.js';
import { foldPlain, scanQuoted } from './quoted-scalar.js';
import { inlineText, scalarText, writeYaml } from './write-yaml.js';
import { yamlLibrary } from './yaml-library.js';

export interface FieldEdit {
  path: readonly string[];
  /** undefined removes the field. */
  value: unknown;
}

/** The key's text as a string, for finding a field by name (only plain and quoted keys are looked at). */
function keyText(source: string, key: Node | null): string | undefined {
  const { isScalar } = yamlLibrary();
  if (!key || !isScalar(key) || key.tag || !key.range) return undefined;
  const text = source.slice(key.range[0], key.range[1]);
  if (key.type === 'PLAIN') return foldPlain(text);
  if (key.type === 'QUOTE_DOUBLE' || key.type === 'QUOTE_SINGLE') {
    const scanned = scanQuoted(text);
    return 'value' in scanned ? scanned.value : undefined;
  }
  return undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** After the line holding `offset - 1`: where a new line may go. */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The last pair of `map` whose key is `key`, and whether the map merges anything in. */
function findPair(source: string, map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const pair of map.items as Pair[]) if (keyText(source, pair.key as Node | null) === key) found = pair;
  return found;
}

/** `key: value` lines (nested maps as block lines) at `indent`, for a block map. */
function blockEntry(key: string, value: unknown, indent: number): string {
  const lines = writeYaml({ [key]: value }).split('\n').filter((line) => line !== '');
  return lines.map((line) => ' '.repeat(indent) + line).join('\n') + '\n';
}

/** One edit on the document text, or undefined when it cannot be done in place. */
function editOnce(text: string, edit: FieldEdit): string | undefined {
  const { isMap, isScalar, isAlias } = yamlLibrary();
  const parsed = parseSyntax(syntaxText(text), Infinity);
  if (!parsed.document || parsed.errors.length > 0) return undefined;
  const document: Document.Parsed = parsed.document;
  let node = document.contents as Node | null;
  for (let depth = 0; depth < edit.path.length; depth++) {
    if (!node || isAlias(node) || !isMap(node) || node.anchor || !node.range) return undefined;
    const map = node as YAMLMap;
    if ((map.items as Pair[]).some((pair) => isScalar(pair.key) && (pair.key as { value: unknown }).value === '<<')) return undefined;
    const key = edit.path[depth]!;
    const rest = edit.path.slice(depth + 1);
    const pair = findPair(text, map, key);
    const last = rest.length === 0;
    if (!pair) {
      if (edit.value === undefined) return text; // nothing to remove
      const value = rest.reduceRight<unknown>((inner, name) => ({ [name]: inner }), edit.value);
      return insert(text, map, key, value);
    }
    const valueNode = pair.value as Node | null;
    if (last) {
      if (edit.value === undefined) return remove(text, map, pair);
      if (!valueNode || !valueNode.range || !isScalar(valueNode) || valueNode.anchor || valueNode.tag) return undefined;
      const [start, end] = valueNode.range;
      const replaced = typeof edit.value === 'object' && edit.value !== null ? inlineText(edit.value) : scalarText(edit.value, !!map.flow);
      return splice(text, start, end, text.slice(start, end).endsWith('\n') ? `${replaced}\n` : replaced);
    }
    node = valueNode;
  }
  return undefined;
}

function insert(text: string, map: YAMLMap, key: string, value: unknown): string | undefined {
  const items = map.items as Pair[];
  const [start, end] = map.range!;
  if (map.flow) {
    const close = text.lastIndexOf('}', end);
    if (close < start) return undefined;
    const entry = `${inlineText({ [key]: value }).slice(1, -1)}`;
    return splice(text, close, close, items.length === 0 ? entry : `, ${entry}`);
  }
  const firstKey = items[0]?.key as Node | null | undefined;
  if (!firstKey?.range) return undefined;
  const indent = firstKey.range[0] - lineStart(text, firstKey.range[0]);
  const lastPair = items[items.length - 1]!;
  const lastEnd = ((lastPair.value as Node | null)?.range ?? (lastPair.key as Node).range!)[1];
  const at = afterLine(text, lastEnd);
  const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return splice(text, at, at, prefix + blockEntry(key, value, indent));
}

function remove(text: string, map: YAMLMap, pair: Pair): string | undefined {
  const key = pair.key as Node | null;
  if (map.flow || !key?.range) return undefined;
  const start = lineStart(text, key.range[0]);
  if (text.slice(start, key.range[0]).trim() !== '') return undefined; // the key shares its line with `- ` or more
  const valueEnd = ((pair.value as Node | null)?.range ?? key.range)[1];
  return splice(text, start, afterLine(text, valueEnd), '');
}

/** The document text with every edit made in place, or undefined when one cannot be. */
export function editDocument(text: string, edits: readonly FieldEdit[]): string | undefined {
  let current: string | undefined = text;
  for (const edit of edits) {
    current = editOnce(current, edit);
    if (current === undefined) return undefined;
  }
  return current;
}
