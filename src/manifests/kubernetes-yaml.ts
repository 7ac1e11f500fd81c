// A YAML or JSON stream read exactly as Argo CD reads a Config Management Plugin's output, so that what the plugin
// reasons about is what reaches the cluster. Pure: text in, documents and problems out.
//
// Argo CD's path (gitops-engine SplitYAML over apimachinery's YAMLOrJSONDecoder and sigs.k8s.io/yaml):
// 1. A stream whose first non-space character within 4096 bytes is `{` is read as JSON values; when a value fails to
//    parse and at most one was read, the rest is read as YAML.
// 2. YAML is split into documents at lines that start with `---`; each document is read by go-yaml v2 (YAML 1.1
//    scalars, merge keys, NEL/LS/PS line breaks, first document only, so text after `...` is ignored), its map keys
//    are converted to strings, and it is written as JSON.
// 3. That JSON (or a JSON value's own text) is read once more by go-yaml, and every object needs a string `kind`.
// 4. Any object whose top-level `items` is an array is replaced by its items; `items: null` without spec or status
//    drops the object.
// The syntax is parsed by the `yaml` library (YAML 1.2 syntax, all scalars kept as strings); everything YAML 1.1 means
// by it is decided here.
import type { Alias, Composer, CST, Document, Node, Pair, Scalar as YamlScalar, YAMLMap, YAMLSeq } from 'yaml';
import { scanQuoted, foldPlain } from './quoted-scalar.js';
import { skipJsonSpace, scanJsonValue } from './json-stream.js';
import { keyString, resolveScalar, TAG, type Scalar } from './yaml11-scalars.js';
import { yamlLibrary } from './yaml-library.js';

export interface ReadProblem {
  code: string;
  message: string;
  offset: number;
  hint?: string;
  /** Argo CD accepts this; the plugin refuses it on purpose (the message says so). */
  stricter?: true;
}

export interface ReadLimits {
  /** Nesting of maps and lists, aliases expanded. */
  maxDepth: number;
  /** Alias nodes in one document. */
  maxAliases: number;
  /** What one document may grow to when its aliases are expanded, in characters of its JSON form. */
  maxExpandedSize: number;
  /** Documents with content to read; past them the reading stops and says where (`overflow`). */
  maxDocuments?: number;
}

/** Only the bounds of Kubernetes' own reader: for reading back what the plugin writes, and for tests. */
export const UNBOUNDED: ReadLimits = { maxDepth: 20000, maxAliases: Infinity, maxExpandedSize: Infinity };

/** One object as Argo CD reads it. */
export interface ReadObject {
  value: Record<string, unknown>;
  /** The document it comes from: `[start, end)` of its text, and where its content starts. */
  document: DocumentSpan;
  /** Its index in the document's `items`, when a List was flattened. */
  item?: number;
}

export interface DocumentSpan {
  start: number;
  end: number;
  contentStart: number;
  /** False when the text must not be output as it is: a JSON value (Argo CD would read it as YAML in a stream). */
  reusable: boolean;
}

export interface StreamReading {
  objects: ReadObject[];
  problems: ReadProblem[];
  /** Documents with content, counted against max-documents. */
  documents: number;
  /** Where the first document past `maxDocuments` starts, when there is one: nothing from there on was read. */
  overflow?: number;
}

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function isGoSpace(char: string): boolean {
  return GO_SPACE.test(char);
}

/** Whether apimachinery takes the stream for JSON: `{` first, ignoring white space, within its 4096-byte look-ahead. */
export function looksLikeJson(text: string): boolean {
  let bytes = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > 4096) return false;
    if (!isGoSpace(char)) return char === '{';
  }
  return false;
}

/** One piece of the stream for the YAML reader: `[start, end)` of the text. */
interface Chunk {
  start: number;
  end: number;
}

const MARKER = '---';

/** Splits YAML text into documents as apimachinery's YAMLReader does: only lines that start with `---` separate. */
function splitYaml(text: string, from: number, problems: ReadProblem[]): Chunk[] {
  const chunks: Chunk[] = [];
  let start = from;
  let lineStart = from;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (text.startsWith(MARKER, lineStart)) {
      const rest = trimGoSpace(text.slice(lineStart + MARKER.length, lineEnd));
      if (rest !== '' && !rest.startsWith('#')) {
        problems.push({
          code: 'document-separator',
          message: `a line starting with \`---\` may only hold a comment after it, not ${JSON.stringify(rest.slice(0, 40))}; Argo CD refuses the whole stream`,
          offset: lineStart,
          hint: 'put the content on the next line, and `---` alone on its line',
        });
        return chunks;
      }
      if (lineStart > start) chunks.push({ start, end: lineStart });
      start = newline < 0 ? text.length : newline + 1;
    }
    lineStart = lineEnd + 1;
  }
  if (start < text.length) chunks.push({ start, end: text.length });
  return chunks;
}

function trimGoSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isGoSpace(text[start]!)) start++;
  while (end > start && isGoSpace(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/**
 * The text the `yaml` library parses for a document: the same length (offsets stay valid), with lone CR turned into LF
 * and NEL, LS and PS into LF where go-yaml breaks lines at them (into a space inside a quoted scalar, whose value is
 * computed from the original text anyway: a break there must not end a line for the YAML 1.2 parser); cut at a `...`
 * line, after which go-yaml reads nothing.
 */
export function syntaxText(chunk: string): string {
  let text = chunk.replace(/\r(?!\n)/g, '\n');
  if (/[\u0085\u2028\u2029]/.test(text)) text = replaceUnicodeBreaks(text);
  const end = /^\.\.\.(?:[ \t\r\n]|$)/m.exec(text);
  if (end) text = text.slice(0, end.index);
  return text;
}

/** Where a quote may open a quoted scalar: at the start of a line or a token. */
const QUOTE_MAY_OPEN = /[\s[{,:?-]/;

function replaceUnicodeBreaks(text: string): string {
  let result = '';
  let quote: string | undefined;
  let comment = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const before = index === 0 ? '\n' : text[index - 1]!;
    if (char === '\u0085' || char === '\u2028' || char === '\u2029') {
      result += quote ? ' ' : '\n';
      comment = false;
      continue;
    }
    if (char === '\n') comment = false;
    else if (quote === '"' && char === '\\') {
      result += char + (text[index + 1] ?? '');
      index++;
      continue;
    } else if (quote && char === quote) {
      if (quote === "'" && text[index + 1] === "'") {
        result += "''";
        index++;
        continue;
      }
      quote = undefined;
    } else if (!quote && !comment && (char === '"' || char === "'") && QUOTE_MAY_OPEN.test(before)) quote = char;
    else if (!quote && char === '#' && /\s/.test(before)) comment = true;
    result += char;
  }
  return result;
}

/** Characters go-yaml refuses anywhere in its input. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

/** The first line with content starts with `%`: a directive, which Argo CD's splitter cuts off from its document. */
function directiveOffset(text: string): number | undefined {
  const match = /^(?:\uFEFF)?(?:[ \t]*(?:#.*)?\n)*(%)/.exec(text);
  return match ? match.index + match[0].length - 1 : undefined;
}

/** Parses one document's syntax, stopping when nesting passes the limit (the parser's stack grows with it). */
export function parseSyntax(text: string, maxDepth: number): { document?: Document.Parsed; errors: { message: string; offset: number }[]; tooDeep?: number } {
  const { Lexer, Parser, Composer } = yamlLibrary();
  const parser = new Parser();
  const composer: Composer = new Composer({ schema: 'failsafe', resolveKnownTags: false, merge: false, uniqueKeys: false, strict: false });
  const documents: Document.Parsed[] = [];
  let tooDeep: number | undefined;
  const feed = (token: CST.Token): void => {
    for (const document of composer.next(token)) documents.push(document as Document.Parsed);
  };
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) feed(token);
    if (parser.stack.length > maxDepth + 1) {
      tooDeep = parser.offset;
      break;
    }
  }
  if (tooDeep !== undefined) return { errors: [], tooDeep };
  for (const token of parser.end()) feed(token);
  for (const document of composer.end(true, text.length)) documents.push(document as Document.Parsed);
  const errors = documents.flatMap((document) => document.errors.map((error) => ({ message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), offset: error.pos[0] })));
  if (documents.length > 1) errors.push({ message: 'a second document without a `---` line before it', offset: documents[1]!.range[0] });
  return { ...(documents[0] ? { document: documents[0] } : {}), errors };
}

type Value = unknown;

interface Built {
  value: Value;
  size: number;
  depth: number;
  /** How many nodes go-yaml decodes for it: aliases expanded, as its alias-ratio guard counts them. */
  decodes: number;
}

class ReadError extends Error {
  constructor(
    readonly problem: Omit<ReadProblem, 'offset'>,
    readonly at: number,
  ) {
    super(problem.message);
  }
}

/** Sets a key on a plain object without ever touching its prototype (`__proto__` is an ordinary key in YAML). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const IMPLICIT_KEY_LIMIT = 1024;

const TEMPLATE_HINT = 'this looks like an unrendered template; render it first, or use the Helm variant of the plugin (canary-mapping-helm-v1)';

/** go-yaml v2's reading of one parsed document into the value sigs.k8s.io/yaml writes as JSON. */
class Builder {
  private readonly anchors = new Map<string, Node>();
  private readonly building = new Set<Node>();
  private readonly built = new Map<Node, Built>();
  private aliases = 0;
  /** Nodes go-yaml decodes inside alias expansions, for its alias-ratio guard. */
  aliasDecodes = 0;
  private readonly y = yamlLibrary();

  constructor(
    private readonly source: string,
    private readonly offset: number,
    private readonly limits: ReadLimits,
    /** Whether the value's JSON is read once more (a YAML document), which folds NEL and refuses some characters. */
    private readonly reread: boolean,
    private readonly strict: ReadProblem[],
  ) {}

  private fail(node: Node | Pair | undefined, code: string, message: string, hint?: string): never {
    const at = this.offset + ((node && 'range' in node && node.range?.[0]) || (node && 'key' in node && (node.key as Node)?.range?.[0]) || 0);
    throw new ReadError({ code, message, ...(hint ? { hint } : {}) }, at);
  }

  build(node: Node | null | undefined): Built {
    if (node === null || node === undefined) return { value: null, size: 4, depth: 1, decodes: 1 };
    const cached = this.built.get(node);
    if (cached) return cached;
    if (this.y.isAlias(node)) return this.alias(node);
    if (node.anchor) this.anchors.set(node.anchor, node);
    this.building.add(node);
    let result: Built;
    if (this.y.isScalar(node)) result = this.scalar(node);
    else if (this.y.isMap(node)) result = this.map(node as YAMLMap);
    else if (this.y.isSeq(node)) result = this.seq(node as YAMLSeq);
    else this.fail(node, 'syntax', 'an unexpected node in the document');
    this.building.delete(node);
    if (result.size > this.limits.maxExpandedSize) {
      this.fail(node, 'expanded-too-large', `the document grows beyond ${this.limits.maxExpandedSize} characters when its aliases are expanded`);
    }
    if (result.depth > this.limits.maxDepth) this.fail(node, 'too-deep', `maps and lists nested deeper than ${this.limits.maxDepth} levels`);
    this.built.set(node, result);
    return result;
  }

  private alias(node: Alias): Built {
    if (++this.aliases > this.limits.maxAliases) this.fail(node, 'yaml-aliases', `the document has more than ${this.limits.maxAliases} aliases`);
    const target = this.anchors.get(node.source);
    if (!target) this.fail(node, 'syntax', `unknown anchor '${node.source}' referenced`);
    if (this.building.has(target)) this.fail(node, 'yaml-aliases', `anchor '${node.source}' value contains itself, which would be infinitely deep`, 'an alias may only repeat a value that is complete before it; write the value out');
    const built = this.build(target);
    this.aliasDecodes += built.decodes;
    return { ...built, decodes: built.decodes + 1 };
  }

  private scalar(node: YamlScalar): Built {
    const resolved = this.resolve(node);
    if (resolved.kind === 'float' && !Number.isFinite(resolved.value)) {
      this.fail(node, 'unsupported-number', `${Number.isNaN(resolved.value) ? 'NaN' : 'an infinite number'} has no JSON form, so Kubernetes refuses it`, 'quote it if it is meant as text');
    }
    const value = this.finish(resolved, node);
    return { value, size: typeof value === 'string' ? value.length + 2 : 8, depth: 1, decodes: 1 };
  }

  private resolve(node: YamlScalar): Scalar {
    const [start, end] = node.range ?? [0, 0];
    const source = this.source.slice(start, end);
    let text: string;
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      const scanned = scanQuoted(source);
      if ('error' in scanned) throw new ReadError({ code: 'syntax', message: scanned.error }, this.offset + start + scanned.offset);
      text = scanned.value;
    } else if (node.type === 'PLAIN') {
      text = foldPlain(source);
    } else {
      text = String(node.value ?? '');
      if (/[\u2028\u2029]/.test(source)) text = this.blockWithSeparators(node, source, text);
    }
    const tag = node.tag === '!' ? '!' : node.tag;
    const resolved = resolveScalar(text, tag, node.type === 'PLAIN');
    if ('error' in resolved) this.fail(node, 'yaml-tag', resolved.error);
    return resolved;
  }

  /**
   * A block scalar whose lines end in LS or PS: go-yaml keeps those characters where the `yaml` library (reading the
   * text with LF in their place) has LF. In a literal scalar each LF of the value is one line break of the source, in
   * order, so the k-th takes back the k-th break's character. A folded scalar folds LF and LS differently: refused.
   */
  private blockWithSeparators(node: YamlScalar, source: string, value: string): string {
    if (node.type !== 'BLOCK_LITERAL') {
      this.fail(node, 'syntax', 'a folded block scalar (`>`) with a U+2028 or U+2029 line break, which the plugin cannot fold exactly as Kubernetes does', 'use a literal block (`|`), or write the character as an escape in a double-quoted string');
    }
    const breaks = [...source.slice(source.search(/[\r\n\u0085\u2028\u2029]/)).matchAll(/\r\n|[\r\n\u0085\u2028\u2029]/g)].slice(1).map((match) => (match[0] === '\u2028' || match[0] === '\u2029' ? match[0] : '\n'));
    let index = 0;
    return value.replace(/\n/g, () => breaks[index++] ?? '\n');
  }

  /** The scalar as the JSON round trip leaves it. */
  private finish(scalar: Scalar, node: Node): unknown {
    switch (scalar.kind) {
      case 'string':
        return this.reread ? this.reread1(scalar.value, node) : scalar.value;
      case 'null':
        return null;
      case 'bool':
        return scalar.value;
      default:
        return scalar.value === 0 ? 0 : scalar.value; // -0 is written as 0
    }
  }

  /**
   * A string after its JSON is read again by go-yaml: a raw NEL in a double-quoted scalar is a line break, folded with
   * the blanks around it; characters go-yaml does not accept in its input end the read.
   */
  private reread1(value: string, node: Node): string {
    if (/[\x7f-\x84\x86-\x9f\ufffe\uffff]/.test(value)) {
      this.fail(node, 'control-character', 'the value holds a control character, which Kubernetes refuses once it has written the value as JSON', 'remove the character, or write it out some other way');
    }
    if (!value.includes('\u0085')) return value;
    return value.replace(/ *\u0085[ \u0085]*/g, (run) => {
      const breaks = run.split('\u0085').length - 1;
      return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
    });
  }

  private key(pair: Pair): string {
    const node = pair.key as Node | null;
    const target = node && this.y.isAlias(node) ? this.anchors.get(node.source) : node;
    if (target && (this.y.isMap(target) || this.y.isSeq(target))) {
      const text = node?.range ? this.source.slice(node.range[0], node.range[1]) : '';
      // `{{ .Values.x }}` reads as a map inside a map: the key's text starts right after a `{`.
      const before = node?.range ? this.source[node.range[0] - 1] : undefined;
      const template = text.includes('{{') || (before === '{' && text.startsWith('{'));
      this.fail(node ?? undefined, 'complex-key', `a map key that is a ${this.y.isMap(target) ? 'map' : 'list'}, which Kubernetes refuses`, template ? TEMPLATE_HINT : 'map keys must be strings; quote the key');
    }
    if (node && this.y.isAlias(node)) this.build(node);
    const scalar: Scalar = node && this.y.isScalar(target) && target ? this.resolve(target as YamlScalar) : { kind: 'null' };
    const key = keyString(scalar);
    if (typeof key !== 'string') this.fail(node ?? pair, 'map-key', `${key.error}, which Kubernetes refuses`, 'quote the key to make it a string');
    return this.reread ? this.reread1(key, node ?? (pair as unknown as Node)) : key;
  }

  /** go-yaml takes a key without `?` as a key only when its `:` follows within 1024 characters. */
  private checkKeyLength(pair: Pair): void {
    const key = pair.key as Node | null;
    if (!key?.range || key.range[1] - key.range[0] <= IMPLICIT_KEY_LIMIT) return;
    let before = key.range[0] - 1;
    while (before >= 0 && (this.source[before] === ' ' || this.source[before] === '\t')) before--;
    if (this.source[before] === '?') return;
    this.fail(key, 'syntax', `a map key longer than ${IMPLICIT_KEY_LIMIT} characters without \`?\` before it, which Kubernetes' YAML reader does not take for a key`, 'shorten the key, or write `? ` before it');
  }

  private isMerge(pair: Pair): boolean {
    const key = pair.key as Node | null;
    return !!key && this.y.isScalar(key) && key.type === 'PLAIN' && key.value === '<<' && (key.tag === undefined || key.tag === TAG.merge);
  }

  private map(node: YAMLMap): Built {
    const value: Record<string, unknown> = {};
    const written = new Map<string, Node | Pair>();
    let size = 2;
    let depth = 1;
    let decodes = 1;
    const put = (key: string, built: Built): void => {
      setKey(value, key, built.value);
      size += key.length + 3 + built.size;
      depth = Math.max(depth, built.depth + 1);
      decodes += built.decodes;
    };
    for (const pair of node.items as Pair[]) {
      if (this.isMerge(pair)) {
        const merged = this.merged(pair);
        for (const [key, built] of merged.entries) put(key, { ...built, decodes: 0 });
        decodes += merged.decodes;
        continue;
      }
      this.checkKeyLength(pair);
      decodes += this.keyDecodes(pair);
      const key = this.key(pair);
      const earlier = written.get(key);
      if (earlier) {
        this.strict.push({
          code: 'duplicate-key',
          message: `map key ${JSON.stringify(key)} is written twice; Argo CD would silently keep one of the values, so the plugin refuses it`,
          offset: this.offset + ((pair.key as Node | null)?.range?.[0] ?? 0),
          hint: 'remove one of the two keys',
          stricter: true,
        });
      }
      written.set(key, pair);
      put(key, this.build(pair.value as Node | null));
    }
    return { value, size, depth, decodes };
  }

  /** A key is one node to go-yaml, or an alias and all it expands to. */
  private keyDecodes(pair: Pair): number {
    const key = pair.key as Node | null;
    return key && this.y.isAlias(key) ? this.build(key).decodes : 1;
  }

  /** The entries a `<<` key merges in, in the order that makes earlier maps of a list win. */
  private merged(pair: Pair): { entries: [string, Built][]; decodes: number } {
    const source = pair.value as Node | null;
    const mapOf = (node: Node | null): YAMLMap | undefined => {
      const target = node && this.y.isAlias(node) ? this.anchors.get(node.source) : node;
      return target && this.y.isMap(target) ? (target as YAMLMap) : undefined;
    };
    const fail = (): never => this.fail(source ?? pair, 'merge-value', 'a `<<` merge needs a map or a list of maps as its value', 'merge a map (an alias to one, or several in a list)');
    const maps: Node[] = [];
    if (source && this.y.isSeq(source)) {
      for (const item of [...(source as YAMLSeq).items].reverse() as Node[]) {
        if (!mapOf(item)) fail();
        maps.push(item);
      }
    } else if (mapOf(source)) {
      maps.push(source!);
    } else {
      fail();
    }
    const entries: [string, Built][] = [];
    let decodes = 0; // the merged maps (a list itself is not decoded, only its items)
    for (const map of maps) {
      const built = this.build(map);
      decodes += built.decodes;
      for (const [key, value] of Object.entries(built.value as Record<string, unknown>)) {
        entries.push([key, { value, size: sizeOf(value), depth: built.depth - 1, decodes: 0 }]);
      }
    }
    return { entries, decodes };
  }

  private seq(node: YAMLSeq): Built {
    const value: unknown[] = [];
    let size = 2;
    let depth = 1;
    let decodes = 1;
    for (const item of node.items as (Node | null)[]) {
      const built = this.build(item);
      value.push(built.value);
      size += built.size + 1;
      depth = Math.max(depth, built.depth + 1);
      decodes += built.decodes;
    }
    return { value, size, depth, decodes };
  }
}

/** A rough size of a value already built (for merged entries, which were counted where they were written). */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object' || value === null) return 8;
  return JSON.stringify(value)?.length ?? 8;
}

/**
 * go-yaml's guard against alias bombs: past 100 alias decodes and 1,000 decodes in all, the share of decodes made
 * inside alias expansions may be at most 99%, falling to 10% between 400,000 and 4,000,000 decodes. (go-yaml checks as
 * it goes; this checks the whole document, which is where an expansion-heavy document peaks.)
 */
function excessiveAliasing(decodes: number, aliasDecodes: number): boolean {
  if (aliasDecodes <= 100 || decodes <= 1000) return false;
  const low = 400_000;
  const high = 4_000_000;
  const allowed = decodes <= low ? 0.99 : decodes >= high ? 0.1 : 0.99 - 0.89 * ((decodes - low) / (high - low));
  return aliasDecodes / decodes > allowed;
}

/** One YAML document's value as Kubernetes reads it, or the problem that stops it. */
function readYamlDocument(
  text: string,
  offset: number,
  limits: ReadLimits,
  reread: boolean,
  strict: ReadProblem[],
): { value: unknown; contentStart: number } | { problem: ReadProblem } {
  const syntax = syntaxText(text);
  const control = CONTROL.exec(syntax);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return { problem: { code: 'control-character', message: `U+${code} is a control character, which Kubernetes' YAML reader refuses`, offset: offset + control.index, hint: 'remove it, or write it as an escape in a double-quoted string' } };
  }
  const directive = directiveOffset(syntax);
  if (directive !== undefined) {
    return {
      problem: {
        code: 'yaml-directive',
        message: 'a `%` directive before a document: Argo CD splits it from its document and refuses the stream',
        offset: offset + directive,
        hint: 'remove the directive line',
      },
    };
  }
  const parsed = parseSyntax(syntax, limits.maxDepth);
  if (parsed.tooDeep !== undefined) return { problem: { code: 'too-deep', message: `maps and lists nested deeper than ${limits.maxDepth} levels`, offset: offset + parsed.tooDeep } };
  const error = parsed.errors[0];
  if (error) return { problem: { code: 'syntax', message: error.message, offset: offset + error.offset } };
  const document = parsed.document;
  const contents = document?.contents ?? null;
  const contentStart = offset + (contents?.range?.[0] ?? 0);
  try {
    const builder = new Builder(text, offset, limits, reread, strict);
    const built = builder.build(contents as Node | null);
    if (excessiveAliasing(built.decodes + 1, builder.aliasDecodes)) {
      const hint = 'write the values out instead of repeating them through aliases';
      return { problem: { code: 'yaml-aliases', message: "the document expands so much of itself through aliases that Kubernetes' YAML reader refuses it (excessive aliasing)", offset: contentStart, hint } };
    }
    return { value: built.value, contentStart };
  } catch (error) {
    if (error instanceof ReadError) return { problem: { ...error.problem, offset: error.at } };
    throw error;
  }
}

interface Decoded {
  value: unknown;
  span: DocumentSpan;
}

const JSON_HINT = 'fix the JSON syntax';

const CONTENT = /^[ \t\uFEFF]*[^\s#]/m;

/** Every document of the stream as Argo CD decodes it (step 1 to 3 above), before Lists are flattened. */
function decodeStream(text: string, limits: ReadLimits, problems: ReadProblem[], strict: ReadProblem[]): Decoded[] & { overflow?: number } {
  const decoded: Decoded[] & { overflow?: number } = [];
  const budget = limits.maxDocuments ?? Infinity;
  let contentful = 0;
  /** Counts a document before it is read; false (and `overflow` set) once the budget is spent. */
  const admit = (offset: number): boolean => {
    if (++contentful <= budget) return true;
    decoded.overflow = offset;
    return false;
  };
  let yamlFrom = 0;
  let jsonError: ReadProblem | undefined;
  if (looksLikeJson(text)) {
    let position = 0;
    let count = 0;
    for (;;) {
      const start = skipJsonSpace(text, position);
      if (start >= text.length) return decoded;
      const scanned = scanJsonValue(text, start);
      if ('end' in scanned) {
        count++;
        position = scanned.end;
        const raw = text.slice(start, scanned.end);
        if (raw === 'null') continue;
        if (!admit(start)) return decoded;
        const read = readYamlDocument(raw, start, limits, false, strict);
        if ('problem' in read) {
          problems.push(read.problem);
          return decoded;
        }
        decoded.push({ value: read.value, span: { start, end: scanned.end, contentStart: start, reusable: false } });
        continue;
      }
      jsonError = { code: 'syntax', message: `JSON: ${scanned.error}`, offset: scanned.offset, hint: JSON_HINT };
      if (count > 1) {
        problems.push(jsonError);
        return decoded;
      }
      // Not JSON after all (or JSON followed by YAML): the rest, from the next line, is read as YAML.
      let index = position;
      while (index < text.length && isGoSpace(text[index]!) && text[index] !== '\n') index++;
      if (index >= text.length) {
        problems.push(jsonError);
        return decoded;
      }
      yamlFrom = text[index] === '\n' ? index + 1 : index;
      break;
    }
  }
  const chunks = splitYaml(text, yamlFrom, problems);
  for (const [index, chunk] of chunks.entries()) {
    const own = text.slice(chunk.start, chunk.end);
    const content = CONTENT.exec(own);
    if (content && !admit(chunk.start + content.index)) return decoded;
    const read = readYamlDocument(own, chunk.start, limits, true, strict);
    if ('problem' in read) {
      // The first YAML document after a failed JSON value: Argo CD reports the JSON error.
      problems.push(index === 0 && jsonError ? jsonError : read.problem);
      return decoded;
    }
    decoded.push({ value: read.value, span: { start: chunk.start, end: chunk.end, contentStart: read.contentStart, reusable: true } });
  }
  return decoded;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `a ${typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string'}`;
}

/** The stream as Argo CD reads it: objects in order, Lists flattened, or the problems Argo CD would stop at. */
export function readKubernetesStream(text: string, limits: ReadLimits): StreamReading & { strict: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const strict: ReadProblem[] = [];
  const objects: ReadObject[] = [];
  let documents = 0;
  const decoded = decodeStream(text, limits, problems, strict);
  for (const { value, span } of decoded) {
    if (value === null) continue; // an empty document
    documents++;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ code: 'not-an-object', message: `the document is ${describeValue(value)}, not a Kubernetes object`, offset: span.contentStart });
      continue;
    }
    const object = value as Record<string, unknown>;
    if (typeof object.kind !== 'string' || object.kind === '') {
      problems.push({ code: 'not-an-object', message: 'the document has no `kind`, so Kubernetes cannot read it as an object', offset: span.contentStart });
      continue;
    }
    const items = object.items;
    if (Array.isArray(items)) {
      items.forEach((item, index) => {
        if (typeof item === 'object' && item !== null && !Array.isArray(item)) objects.push({ value: item as Record<string, unknown>, document: span, item: index });
        else problems.push({ code: 'not-an-object', message: `item ${index} of ${object.kind} is ${describeValue(item)}, not an object`, offset: span.contentStart });
      });
      continue;
    }
    if (items === null && !('spec' in object) && !('status' in object)) continue; // Argo CD drops a null list
    objects.push({ value: object, document: span });
  }
  return { objects, problems, strict, documents, ...(decoded.overflow === undefined ? {} : { overflow: decoded.overflow }) };
}
