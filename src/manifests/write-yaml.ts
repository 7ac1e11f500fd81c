// Values written as YAML that Kubernetes reads back as exactly those values: every string that go-yaml's YAML 1.1
// reading would take for something else (`yes`, `0777`, `1_000`, `~`, `<<`) is quoted, line breaks it knows and
// characters it refuses are escaped. Block style for maps and lists, as people write manifests. Recursion is bounded
// by the value's depth, which the reader limits (max-depth); lists and strings of any length cost no stack.
import { resolvePlain } from './yaml11-scalars.js';

export class UnwritableValue extends Error {}

/** Strings that stay plain: a word-like start, no indicator or comment character, no `: `, no edge blanks. */
const PLAIN = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./@+=~$^()<>;%&*!|?'"\\-]|:(?=[^ ])| (?=[^ #]))*$/;
const PLAIN_DOT = /^\.(?!\.)/;

/** Characters go-yaml reads as they are inside single quotes: printable, and not a line break. */
const SINGLE_QUOTABLE = /^[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

const MAX_SAFE = 2 ** 53;
const UINT64_LIMIT = 2 ** 64;

/** In a flow collection go-yaml may refuse a `:` inside a plain scalar, so there it is quoted. */
function isPlainString(text: string, flow: boolean): boolean {
  if (!(PLAIN.test(text) || (PLAIN_DOT.test(text) && PLAIN.test(`a${text.slice(1)}`)))) return false;
  if (text.endsWith(':') || (flow && text.includes(':'))) return false;
  return resolvePlain(text).kind === 'string' && text !== '<<';
}

function escapeDouble(text: string): string {
  let result = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') result += `\\${char}`;
    else if (char === '\n') result += '\\n';
    else if (char === '\t') result += '\\t';
    else if (char === '\r') result += '\\r';
    else if (code < 0x20) result += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029 || code === 0xfeff) result += `\\u${code.toString(16)}`;
    else if ((code >= 0xd800 && code <= 0xdfff) || (code >= 0x7f && code <= 0x9f) || code === 0xfffe || code === 0xffff) {
      // Kubernetes reads the document's JSON once more with go-yaml, which folds NEL and refuses these characters.
      throw new UnwritableValue(`a string holds U+${code.toString(16).toUpperCase().padStart(4, '0')}, which Kubernetes cannot read back from any YAML the plugin writes`);
    } else result += char;
  }
  return `${result}"`;
}

/** A scalar as it can stand after `key: ` or `- ` (or inside a flow collection, with `flow`). */
export function scalarText(value: unknown, flow = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnwritableValue(`${value} has no form Kubernetes accepts`);
    if (Number.isInteger(value) && Math.abs(value) > MAX_SAFE && Math.abs(value) < UINT64_LIMIT) {
      throw new UnwritableValue(`the integer ${value} is beyond what the plugin can write exactly (2^53); write it as a string if it is text`);
    }
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value !== 'string') throw new UnwritableValue(`a ${typeof value} is not a YAML value`);
  if (isPlainString(value, flow)) return value;
  if (SINGLE_QUOTABLE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return escapeDouble(value);
}

/** Keys longer than go-yaml's implicit-key limit need `? `. */
const IMPLICIT_KEY_LIMIT = 1000;

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/** Lines of a map's entries at `indent`. */
function mapLines(map: Record<string, unknown>, indent: string, out: string[]): void {
  for (const key of Object.keys(map)) {
    const value = map[key];
    const keyText = scalarText(key);
    const long = keyText.length > IMPLICIT_KEY_LIMIT;
    const head = long ? `${indent}? ${keyText}\n${indent}:` : `${indent}${keyText}:`;
    if (isCollection(value) && !isEmpty(value)) {
      out.push(head);
      if (Array.isArray(value)) seqLines(value, `${indent}  `, out);
      else mapLines(value, `${indent}  `, out);
    } else {
      out.push(`${head} ${isCollection(value) ? (Array.isArray(value) ? '[]' : '{}') : scalarText(value)}`);
    }
  }
}

/** Lines of a list's items at `indent`; a map item starts on the dash line. */
function seqLines(items: unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    if (isCollection(item) && !isEmpty(item)) {
      const nested: string[] = [];
      if (Array.isArray(item)) seqLines(item, `${indent}  `, nested);
      else mapLines(item, `${indent}  `, nested);
      nested[0] = `${indent}- ${nested[0]!.slice(indent.length + 2)}`;
      out.push(...nested);
    } else {
      out.push(`${indent}- ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : scalarText(item)}`);
    }
  }
}

/** An object as one YAML document (no `---`), ending with a line break. Throws UnwritableValue. */
export function writeYaml(object: Record<string, unknown>): string {
  const lines: string[] = [];
  if (Object.keys(object).length === 0) return '{}\n';
  mapLines(object, '', lines);
  return `${lines.join('\n')}\n`;
}

/** A value as it can stand inline (flow style), for edits inside an existing document. */
export function inlineText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineText).join(', ')}]`;
  if (isCollection(value)) {
    return `{${Object.entries(value).map(([key, item]) => `${scalarText(key, true)}: ${inlineText(item)}`).join(', ')}}`;
  }
  return scalarText(value, true);
}
