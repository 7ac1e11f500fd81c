// The extent of one JSON value in a stream, as Go's encoding/json Decoder finds it: Kubernetes reads a stream that
// starts with `{` value by value this way before it reads each value's text as YAML. Only the grammar is checked here
// (iteratively: nesting depth costs no stack); what the value means is the YAML reader's job.

export type JsonScan = { end: number } | { error: string; offset: number; unexpectedEnd: boolean };

const JSON_SPACE = new Set([' ', '\t', '\n', '\r']);

export function skipJsonSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && JSON_SPACE.has(text[index]!)) index++;
  return index;
}

function describe(char: string): string {
  return char === "'" ? "'\\''" : `'${JSON.stringify(char).slice(1, -1)}'`;
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

/** Scans the value starting at `from` (white space already skipped). */
export function scanJsonValue(text: string, from: number): JsonScan {
  // What the scanner expects next inside each open container: a value, a key, or a separator after one.
  const stack: ('object' | 'array')[] = [];
  let index = from;
  let expect: 'value' | 'key' | 'after-value' | 'colon' | 'first-key' | 'first-value' = 'value';
  const fail = (what: string): JsonScan =>
    index >= text.length ? { error: 'unexpected EOF', offset: index, unexpectedEnd: true } : { error: `invalid character ${describe(text[index]!)} ${what}`, offset: index, unexpectedEnd: false };
  /** Past the closing bracket of the innermost container; true when that ends the value. */
  const close = (): boolean => {
    index++;
    stack.pop();
    expect = 'after-value';
    return stack.length === 0;
  };
  for (;;) {
    index = skipJsonSpace(text, index);
    const char = text[index];
    if (expect === 'colon') {
      if (char !== ':') return fail('after object key');
      index++;
      expect = 'value';
      continue;
    }
    if (expect === 'after-value') {
      const open = stack[stack.length - 1];
      if (open === undefined) return { end: index };
      if (char === ',') {
        index++;
        expect = open === 'object' ? 'key' : 'value';
        continue;
      }
      if ((open === 'object' && char === '}') || (open === 'array' && char === ']')) {
        if (close()) return { end: index };
        continue;
      }
      return fail(open === 'object' ? "after object key:value pair" : 'after array element');
    }
    if (expect === 'key' || expect === 'first-key') {
      if (expect === 'first-key' && char === '}') {
        if (close()) return { end: index };
        continue;
      }
      if (char !== '"') return fail('looking for beginning of object key string');
      const end = scanString(text, index);
      if (typeof end !== 'number') return end;
      index = end;
      expect = 'colon';
      continue;
    }
    if (expect === 'first-value' && char === ']') {
      if (close()) return { end: index };
      continue;
    }
    // A value.
    if (char === '{' || char === '[') {
      stack.push(char === '{' ? 'object' : 'array');
      index++;
      expect = char === '{' ? 'first-key' : 'first-value';
      continue;
    }
    if (char === '"') {
      const end = scanString(text, index);
      if (typeof end !== 'number') return end;
      index = end;
    } else if (char !== undefined && /[-0-9]/.test(char)) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      if (!match || match[0] === '-') {
        index += 1;
        return fail('in numeric literal');
      }
      index += match[0].length;
    } else {
      const literal = LITERALS.find((word) => text.startsWith(word, index));
      if (!literal) {
        const partial = LITERALS.find((word) => char !== undefined && word.startsWith(text.slice(index, index + word.length)) && index + word.length > text.length);
        if (partial) return { error: 'unexpected EOF', offset: text.length, unexpectedEnd: true };
        return fail('looking for beginning of value');
      }
      index += literal.length;
    }
    if (stack.length === 0) return { end: index };
    expect = 'after-value';
  }
}

/** The end of the string starting at `from` (a `"`), or the error Go reports inside it. */
function scanString(text: string, from: number): number | JsonScan {
  let index = from + 1;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22) return index + 1;
    if (char < 0x20) return { error: `invalid character ${describe(text[index]!)} in string literal`, offset: index, unexpectedEnd: false };
    if (char === 0x5c) {
      const next = text[index + 1];
      if (next === undefined) break;
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
          if (index + 6 > text.length) break;
          return { error: 'invalid character in \\u hexadecimal character escape', offset: index, unexpectedEnd: false };
        }
        index += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(next)) return { error: `invalid character ${describe(next)} in string escape code`, offset: index + 1, unexpectedEnd: false };
      index += 2;
      continue;
    }
    index++;
  }
  return { error: 'unexpected EOF', offset: text.length, unexpectedEnd: true };
}
