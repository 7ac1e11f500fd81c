// The value of a quoted or multi-line plain scalar as go-yaml's scanner builds it from the source. The `yaml` library
// reads YAML 1.2, where only CR and LF break lines; Kubernetes' YAML 1.1 reader also breaks lines at NEL (U+0085),
// LS (U+2028) and PS (U+2029), keeps LS and PS where a break is kept, and knows fewer escapes (`\/` is an error).

const BREAKS = new Set(['\r', '\n', '\u0085', '\u2028', '\u2029']);
const BLANKS = new Set([' ', '\t']);

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const CODE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

export type ScanResult = { value: string } | { error: string; offset: number };

/** One line break at `index` as go-yaml normalises it: CR LF, CR and NEL become LF; LS and PS stay. */
function readBreak(text: string, index: number): { text: string; length: number } {
  const char = text[index]!;
  if (char === '\r') return { text: '\n', length: text[index + 1] === '\n' ? 2 : 1 };
  return { text: char === '\u0085' ? '\n' : char, length: 1 };
}

/**
 * Folds the white space between two runs of content, as go-yaml does in quoted and plain scalars: blanks around a
 * break are dropped; a single LF becomes a space; further breaks are kept; a first break that is LS or PS is kept.
 */
function fold(text: string, from: number, leadingBlanks: boolean): { value: string; next: number } {
  let index = from;
  let whitespace = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leading = leadingBlanks;
  while (index < text.length && (BLANKS.has(text[index]!) || BREAKS.has(text[index]!))) {
    if (BLANKS.has(text[index]!)) {
      if (!leading) whitespace += text[index];
      index++;
      continue;
    }
    const lineBreak = readBreak(text, index);
    index += lineBreak.length;
    if (!leading) {
      whitespace = '';
      leadingBreak = lineBreak.text;
      leading = true;
    } else {
      trailingBreaks += lineBreak.text;
    }
  }
  if (!leading) return { value: whitespace, next: index };
  if (leadingBreak.startsWith('\n')) return { value: trailingBreaks === '' ? ' ' : trailingBreaks, next: index };
  return { value: leadingBreak + trailingBreaks, next: index };
}

/** A quoted scalar's value from its source text, quotes included. */
export function scanQuoted(source: string): ScanResult {
  const single = source[0] === "'";
  const quote = single ? "'" : '"';
  let value = '';
  let index = 1;
  for (;;) {
    if (index >= source.length) return { error: 'found unexpected end of stream while scanning a quoted scalar', offset: index };
    let leadingBlanks = false;
    while (index < source.length && !BLANKS.has(source[index]!) && !BREAKS.has(source[index]!)) {
      const char = source[index]!;
      if (single && char === "'" && source[index + 1] === "'") {
        value += "'";
        index += 2;
      } else if (char === quote) {
        return { value };
      } else if (!single && char === '\\' && BREAKS.has(source[index + 1] ?? '')) {
        index += 1 + readBreak(source, index + 1).length;
        leadingBlanks = true;
        break;
      } else if (!single && char === '\\') {
        const escape = source[index + 1] ?? '';
        const length = CODE_LENGTH[escape];
        if (length !== undefined) {
          const digits = source.slice(index + 2, index + 2 + length);
          if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== length) {
            return { error: 'did not find expected hexdecimal number while parsing a quoted scalar', offset: index };
          }
          const code = parseInt(digits, 16);
          if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
            return { error: 'found invalid Unicode character escape code while parsing a quoted scalar', offset: index };
          }
          value += String.fromCodePoint(code);
          index += 2 + length;
        } else if (escape in ESCAPES) {
          value += ESCAPES[escape];
          index += 2;
        } else {
          return { error: 'found unknown escape character while parsing a quoted scalar', offset: index };
        }
      } else {
        value += char;
        index += char.length;
      }
    }
    if (source[index] === quote) return { value };
    const folded = fold(source, index, leadingBlanks);
    value += folded.value;
    index = folded.next;
  }
}

/** A plain scalar's value from its source text (the scalar alone, no comment): its lines folded. */
export function foldPlain(source: string): string {
  let value = '';
  let index = 0;
  while (index < source.length) {
    const start = index;
    while (index < source.length && !BLANKS.has(source[index]!) && !BREAKS.has(source[index]!)) index++;
    value += source.slice(start, index);
    if (index >= source.length) break;
    const folded = fold(source, index, false);
    // White space at the end of the scalar is not part of it.
    if (folded.next >= source.length) break;
    value += folded.value;
    index = folded.next;
  }
  return value;
}
