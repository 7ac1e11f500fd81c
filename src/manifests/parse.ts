// YAML or JSON text → Kubernetes objects with their origin. Pure: no file system access.
//
// Two readers give the same objects. The fast one (js-yaml, about ten times faster on large apps) reads ordinary
// streams document by document. The exact one (yaml) reads everything else, and every stream in which the fast one
// finds any problem, because it reports problems with the precise messages and positions users need.
import { CORE_SCHEMA, dump, load, mergeTag } from 'js-yaml';
import type { CST } from 'yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../core/diagnostics.js';
import { defaultLimits, limitNote, raiseLimitHint, type Limit, type Limits } from '../settings/limits.js';
import { lineLocator, type Locator } from './line-index.js';
import { isRecord, type FileOrigin, type KubeObject, type Manifest, type SourceFile } from './manifest.js';
import { splitDocuments } from './split-documents.js';
import { yamlLibrary } from './yaml-library.js';

/** A manifest read from a file: its origin is always a position in that file. */
export type ParsedManifest = Manifest & { origin: FileOrigin };
type CstToken = CST.Token;

export interface ParseResult {
  manifests: ParsedManifest[];
  diagnostics: Diagnostic[];
}

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

// `<<` merge keys, as Kubernetes' YAML library applies them: read literally, a Rollout whose routing is merged in would
// look as if it had none, and the merged fields would be lost.
const MERGING_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

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

/** What a reader gives: the documents, and where the first document over the budget starts, if there is one. */
interface Read {
  documents: DocumentValue[];
  /** Documents with content seen, up to one more than the budget. */
  count: number;
  overflow?: number;
}

/**
 * The fast reader; undefined when the stream needs the exact one. It takes no aliases: js-yaml bounds how many alias
 * nodes a document has, not what they expand to, so documents with aliases go to the exact reader, which does.
 */
function readFast(text: string, options: Parsing): Read | undefined {
  const spans = splitDocuments(text);
  if (!spans) return undefined;
  const contentful = spans.flatMap((span) => {
    const own = text.slice(span.start, span.end);
    const trivia = LEADING_TRIVIA.exec(own)?.[0].length ?? 0;
    return trivia === own.length ? [] : [{ own, contentStart: span.start + trivia }]; // only comments: an empty document
  });
  // Counted before anything is loaded, so that a flood of documents fails at once.
  if (contentful.length > options.documentBudget) {
    return { documents: [], count: options.documentBudget + 1, overflow: contentful[options.documentBudget]!.contentStart };
  }
  const documents: DocumentValue[] = [];
  for (const { own, contentStart } of contentful) {
    let value: unknown;
    try {
      value = load(own, { maxAliases: 0, maxDepth: options.limits.maxDepth.value, schema: MERGING_SCHEMA });
    } catch {
      return undefined;
    }
    documents.push({ value, contentStart, text: own.endsWith('\n') ? own : `${own}\n` });
  }
  return { documents, count: documents.length };
}

function tooDeep(at: SourceLocation, limit: Limit): Diagnostic {
  return diagnostic(
    'too-deep',
    `maps and lists nested deeper than ${limit.value} levels ${limitNote(limit)}`,
    at,
    raiseLimitHint(limit, 'flatten the document'),
  );
}

/**
 * The syntax tokens of a stream, stopping as soon as the parser's stack shows nesting beyond the limit: past that
 * point the parser's time grows with the depth, and composing would exhaust the stack. The stack holds at most one
 * entry more than the depth reached (the document), so this never stops a document the limit allows.
 */
function* guardedTokens(text: string, maxDepth: number, stopped: (offset: number) => void): Generator<CstToken> {
  const { Lexer, Parser } = yamlLibrary();
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text, false)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > maxDepth + 1) {
      stopped(parser.offset);
      return;
    }
  }
  yield* parser.end();
}

/**
 * The depth of a document's syntax tree (a scalar counts 1, a map or list 1 more than its deepest key or value, as
 * js-yaml counts), where it is deepest, and whether it uses aliases. Iterative: the tree may be deep.
 */
function measure(document: CstToken): { depth: number; deepest: number; aliases: boolean } {
  const result = { depth: 0, deepest: 0, aliases: false };
  const stack: [CstToken, number][] = document.type === 'document' && document.value ? [[document.value, 1]] : [];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > result.depth) Object.assign(result, { depth, deepest: token.offset });
    if (token.type === 'alias') result.aliases = true;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    for (const item of token.items) {
      for (const child of ['key' in item ? item.key : null, item.value]) if (child) stack.push([child, depth + 1]);
    }
  }
  return result;
}

/**
 * The depth of a value built with aliases, counted like measure(); an object shared through aliases is measured once.
 * Infinity when an alias points into its own anchor (`a: &x [*x]`), which YAML builds as a cycle.
 */
function valueDepth(root: unknown): number {
  const depths = new Map<object, number>();
  const open = new Set<object>();
  const stack: [object, boolean][] = typeof root === 'object' && root !== null ? [[root, false]] : [];
  while (stack.length > 0) {
    const [node, childrenDone] = stack.pop()!;
    const children = Object.values(node).filter((child): child is object => typeof child === 'object' && child !== null);
    if (childrenDone) {
      open.delete(node);
      depths.set(node, 1 + Math.max(Object.keys(node).length > 0 ? 1 : 0, ...children.map((child) => depths.get(child)!)));
    } else if (!depths.has(node)) {
      if (children.some((child) => open.has(child))) return Infinity;
      open.add(node);
      stack.push([node, true], ...children.filter((child) => !depths.has(child)).map((child): [object, boolean] => [child, false]));
    }
  }
  return typeof root === 'object' && root !== null ? depths.get(root)! : 1;
}

function readExact(file: SourceFile, at: Locator, options: Parsing, result: ParseResult): Read {
  const { Composer } = yamlLibrary();
  const { maxAliases, maxDepth } = options.limits;
  const read: Read = { documents: [], count: 0 };
  // One document at a time, so a large file never holds every syntax tree at once.
  const composer = new Composer({ uniqueKeys: true, merge: true });
  const aliased = new Set<number>();
  const documents = function* () {
    for (const token of guardedTokens(file.text, maxDepth.value, (offset) => result.diagnostics.push(tooDeep(at(offset), maxDepth)))) {
      if (token.type === 'document') {
        const measured = measure(token);
        if (measured.depth > maxDepth.value) {
          result.diagnostics.push(tooDeep(at(measured.deepest), maxDepth));
          continue;
        }
        if (measured.aliases) aliased.add(token.offset);
      }
      yield* composer.next(token);
    }
    yield* composer.end(true, file.text.length);
  };
  for (const document of documents()) {
    const contentStart = document.contents?.range?.[0] ?? document.range[0];
    if (document.contents !== null && ++read.count > options.documentBudget) {
      read.overflow = contentStart;
      break;
    }
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        // The library appends its own position; ours comes first, in the common file:line:column form.
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        result.diagnostics.push(diagnostic('syntax', message, at(error.pos[0]), options.json ? 'fix the JSON syntax' : 'fix the YAML syntax'));
      }
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: maxAliases.value });
    } catch (error) {
      const message = `document expands too many aliases (${(error as Error).message}) ${limitNote(maxAliases)}`;
      result.diagnostics.push(diagnostic('yaml-aliases', message, at(contentStart), raiseLimitHint(maxAliases, 'write the values out instead of using aliases')));
      continue;
    }
    const depth = aliased.has(document.range[0]) ? valueDepth(value) : 0;
    if (depth === Infinity) {
      const hint = 'an alias may only repeat a value that is complete before it; write the value out';
      result.diagnostics.push(diagnostic('yaml-aliases', 'an alias refers to a value that contains it, which would be infinitely deep', at(contentStart), hint));
      continue;
    }
    if (depth > maxDepth.value) {
      result.diagnostics.push(tooDeep(at(contentStart), maxDepth));
      continue;
    }
    read.documents.push({ value, contentStart });
  }
  return read;
}

export interface ParseOptions {
  json: boolean;
  /** The defaults unless given. */
  limits?: Limits;
  /** How many more documents the app may have (the max-documents limit less those already read); all of them unless given. */
  documentBudget?: number;
}

type Parsing = Required<ParseOptions>;

/** `documents`: how many documents with content the file has, up to one more than the budget. */
export function parseManifests(file: SourceFile, given: ParseOptions): ParseResult & { documents: number } {
  const limits = given.limits ?? defaultLimits;
  const options: Parsing = { json: given.json, limits, documentBudget: given.documentBudget ?? limits.maxDocuments.value };
  const result: ParseResult = { manifests: [], diagnostics: [] };
  const at = lineLocator(file.path, file.text);
  const read = (!options.json && readFast(file.text, options)) || readExact(file, at, options, result);
  for (const document of read.documents) collect(file, document, at, result);
  if (read.overflow === undefined) return { ...result, documents: read.count };
  const limit = options.limits.maxDocuments;
  result.diagnostics.push(
    diagnostic(
      'too-many-documents',
      `the app has more than ${limit.value} YAML or JSON documents; this one is past the limit ${limitNote(limit)}`,
      at(read.overflow),
      raiseLimitHint(limit, 'split the app, or exclude files that are not manifests'),
    ),
  );
  return { ...result, documents: read.count };
}
