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

function replaceRange(text: string, start: number, end: number, insert: string): string {
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

/** A change to the original text. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

/** A key to add to a map, with its value (edits adding keys under the same new map combine here). */
interface Insertion {
  map: YAMLMap;
  key: string;
  value: unknown;
}

function deepMerge(into: unknown, value: unknown): unknown {
  if (!isPlainObject(into) || !isPlainObject(value)) return value;
  const merged: Record<string, unknown> = { ...into };
  for (const [key, item] of Object.entries(value)) merged[key] = deepMerge(merged[key], item);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Planned = { splice: Splice } | { insertion: Insertion } | { nothing: true };

/** What one edit changes in the parsed document, or undefined when it cannot be done in place. */
function planEdit(text: string, document: Document.Parsed, edit: FieldEdit): Planned | undefined {
  const { isMap, isScalar, isAlias } = yamlLibrary();
  let node = document.contents as Node | null;
  for (let depth = 0; depth < edit.path.length; depth++) {
    if (!node || isAlias(node) || !isMap(node) || node.anchor || !node.range) return undefined;
    const map = node as YAMLMap;
    if ((map.items as Pair[]).some((pair) => isScalar(pair.key) && (pair.key as { value: unknown }).value === '<<')) return undefined;
    const key = edit.path[depth]!;
    const rest = edit.path.slice(depth + 1);
    const pair = findPair(text, map, key);
    if (!pair) {
      if (edit.value === undefined) return { nothing: true }; // nothing to remove
      return { insertion: { map, key, value: rest.reduceRight<unknown>((inner, name) => ({ [name]: inner }), edit.value) } };
    }
    const valueNode = pair.value as Node | null;
    if (rest.length === 0) {
      if (edit.value === undefined) {
        const splice = removal(text, map, pair);
        return splice && { splice };
      }
      if (!valueNode || !valueNode.range || !isScalar(valueNode) || valueNode.anchor || valueNode.tag) return undefined;
      const [start, end] = valueNode.range;
      const replaced = isPlainObject(edit.value) || Array.isArray(edit.value) ? inlineText(edit.value) : scalarText(edit.value, !!map.flow);
      return { splice: { start, end, text: text.slice(start, end).endsWith('\n') ? `${replaced}\n` : replaced } };
    }
    node = valueNode;
  }
  return undefined;
}

function insertion(text: string, { map, key, value }: Insertion): Splice | undefined {
  const items = map.items as Pair[];
  const [start, end] = map.range!;
  if (map.flow) {
    const close = text.lastIndexOf('}', end);
    if (close < start) return undefined;
    const entry = inlineText({ [key]: value }).slice(1, -1);
    return { start: close, end: close, text: items.length === 0 ? entry : `, ${entry}` };
  }
  const firstKey = items[0]?.key as Node | null | undefined;
  if (!firstKey?.range) return undefined;
  const indent = firstKey.range[0] - lineStart(text, firstKey.range[0]);
  const lastPair = items[items.length - 1]!;
  const lastEnd = ((lastPair.value as Node | null)?.range ?? (lastPair.key as Node).range!)[1];
  const at = afterLine(text, lastEnd);
  const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, text: prefix + blockEntry(key, value, indent) };
}

function removal(text: string, map: YAMLMap, pair: Pair): Splice | undefined {
  const key = pair.key as Node | null;
  if (map.flow || !key?.range) return undefined;
  const start = lineStart(text, key.range[0]);
  if (text.slice(start, key.range[0]).trim() !== '') return undefined; // the key shares its line with `- ` or more
  const valueEnd = ((pair.value as Node | null)?.range ?? key.range)[1];
  return { start, end: afterLine(text, valueEnd), text: '' };
}

/**
 * The document text with every edit made in place, or undefined when one cannot be. The document is parsed once;
 * keys added under the same map are written together, and the changes are applied from the end of the text.
 */
export function editDocument(text: string, edits: readonly FieldEdit[]): string | undefined {
  const parsed = parseSyntax(syntaxText(text), Infinity);
  if (!parsed.document || parsed.errors.length > 0) return undefined;
  const splices: Splice[] = [];
  const insertions: Insertion[] = [];
  for (const edit of edits) {
    const planned = planEdit(text, parsed.document, edit);
    if (!planned) return undefined;
    if ('splice' in planned) splices.push(planned.splice);
    else if ('insertion' in planned) {
      const same = insertions.find((other) => other.map === planned.insertion.map && other.key === planned.insertion.key);
      if (same) same.value = deepMerge(same.value, planned.insertion.value);
      else insertions.push(planned.insertion);
    }
  }
  for (const planned of insertions) {
    const splice = insertion(text, planned);
    if (!splice) return undefined;
    splices.push(splice);
  }
  // Insertions at one place keep the order of the edits; no two changes may overlap.
  const ordered = splices.map((splice, order) => ({ splice, order })).sort((a, b) => b.splice.start - a.splice.start || b.order - a.order);
  let result = text;
  let limit = Infinity;
  for (const { splice } of ordered) {
    if (splice.end > limit) return undefined;
    result = replaceRange(result, splice.start, splice.end, splice.text);
    limit = splice.start;
  }
  return result;
}
