// What a YAML scalar means to Kubernetes: YAML 1.1 resolution as go-yaml v2 (the parser behind sigs.k8s.io/yaml, and so
// behind Argo CD and kubectl) performs it, and how sigs.k8s.io/yaml then turns map keys into JSON strings.
//
// The rules, not a table of cases: booleans and nulls come from a fixed word list; numbers are what Go's strconv
// accepts once underscores are removed (base prefixes 0x/0o/0b and a leading 0 for octal, an int64 that overflows is
// tried as uint64, then as a float); timestamps and sexagesimal numbers stay strings.

export const TAG = {
  str: 'tag:yaml.org,2002:str',
  int: 'tag:yaml.org,2002:int',
  float: 'tag:yaml.org,2002:float',
  bool: 'tag:yaml.org,2002:bool',
  null: 'tag:yaml.org,2002:null',
  timestamp: 'tag:yaml.org,2002:timestamp',
  binary: 'tag:yaml.org,2002:binary',
  merge: 'tag:yaml.org,2002:merge',
} as const;

/** A resolved scalar. `uint64` marks an integer beyond int64, which Kubernetes accepts as a value but not as a key. */
export type Scalar =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number; uint64?: true }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

const WORDS = new Map<string, Scalar>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, Scalar] => [w, { kind: 'bool', value: true }]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w): [string, Scalar] => [w, { kind: 'bool', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((w): [string, Scalar] => [w, { kind: 'null' }]),
  ...['.nan', '.NaN', '.NAN'].map((w): [string, Scalar] => [w, { kind: 'float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w): [string, Scalar] => [w, { kind: 'float', value: Infinity }]),
  ...['-.inf', '-.Inf', '-.INF'].map((w): [string, Scalar] => [w, { kind: 'float', value: -Infinity }]),
]);

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt/ParseUint with base 0 (no underscores left): the value, or undefined when Go refuses it. */
function parseGoInteger(text: string): { value: bigint } | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  let magnitude: bigint;
  if (/^0[oO]/.test(digits)) magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits.toLowerCase()); // 0x…, 0b…, decimal, and a lone 0
  return { value: sign === '-' ? -magnitude : magnitude };
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseFloat for the decimal forms the float pattern admits; undefined when out of range. */
function parseGoFloat(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A scalar starting with `.`: go-yaml tries Go's ParseFloat on it as written. */
function parseDotFloat(text: string): number | undefined {
  return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? parseGoFloat(text) : undefined;
}

/** ParseInt's range, then ParseUint's (which takes no sign); beyond both the resolver tries a float. */
function integer(value: bigint, signed: boolean): Scalar | undefined {
  if (value >= -INT64_MAX - 1n && value <= INT64_MAX) return { kind: 'int', value: Number(value) };
  if (!signed && value > INT64_MAX && value <= UINT64_MAX) return { kind: 'int', value: Number(value), uint64: true };
  return undefined;
}

/** Whether the text has the shape go-yaml tries as a timestamp (`2001-12-14`, `2001-12-14T21:59:43.10-05:00`, …). */
function looksLikeTimestamp(text: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/.test(text);
}

/** An untagged plain scalar, resolved. */
export function resolvePlain(text: string): Scalar {
  const word = WORDS.get(text);
  if (word) return word;
  const first = text[0]!;
  if (first === '.') {
    const value = parseDotFloat(text);
    return value === undefined ? { kind: 'string', value: text } : { kind: 'float', value };
  }
  // Timestamps need no test here: go-yaml hands them back as their text, and none of them reads as a number.
  if (!/[-+0-9]/.test(first)) return { kind: 'string', value: text };
  const plain = text.replace(/_/g, '');
  const parsed = parseGoInteger(plain);
  const asInteger = parsed && integer(parsed.value, /^[-+]/.test(plain));
  if (asInteger) return asInteger;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = parseGoFloat(plain);
    if (value !== undefined) return { kind: 'float', value };
  }
  const binary = /^(-?)0b([01]+)$/.exec(plain);
  if (binary) {
    const value = integer(BigInt(`0b${binary[2]}`) * (binary[1] ? -1n : 1n), binary[1] === '-');
    if (value) return value;
  }
  return { kind: 'string', value: text };
}

/** Tags go-yaml resolves itself; any other tag (custom, `!`, `!!python/…`) leaves the scalar a string. */
const RESOLVABLE = new Set<string>([TAG.str, TAG.int, TAG.float, TAG.bool, TAG.null, TAG.timestamp]);

const SHORT_TAG: Record<string, string> = { string: '!!str', int: '!!int', float: '!!float', bool: '!!bool', null: '!!null' };

/**
 * A scalar with its explicit tag, if any (`plain` says whether it was written unquoted). An error message when the tag
 * does not fit the text (`!!int abc`), as Kubernetes reports it.
 */
export function resolveScalar(text: string, tag: string | undefined, plain: boolean): Scalar | { error: string } {
  if (tag === undefined) return plain ? resolvePlain(text) : { kind: 'string', value: text };
  if (tag === TAG.binary) return decodeBinary(text);
  if (!RESOLVABLE.has(tag) || tag === TAG.str) return { kind: 'string', value: text };
  if (tag === TAG.timestamp) {
    return looksLikeTimestamp(text) ? { kind: 'string', value: text } : { error: `cannot decode !!str \`${text}\` as a !!timestamp` };
  }
  const resolved = resolvePlain(text);
  const wanted = tag.slice(tag.lastIndexOf(':') + 1);
  if (resolved.kind === wanted) return resolved;
  if (wanted === 'float' && resolved.kind === 'int') return { kind: 'float', value: resolved.value };
  return { error: `cannot decode ${SHORT_TAG[resolved.kind]} \`${text}\` as a !!${wanted}` };
}

/** `!!binary`: base64 (line breaks ignored, as Go's decoder does) to bytes, read as Go reads a string of bytes. */
function decodeBinary(text: string): Scalar | { error: string } {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    return { error: '!!binary value contains invalid base64 data' };
  }
  return { kind: 'string', value: goString(Buffer.from(compact, 'base64')) };
}

/** Bytes as Go's encoding/json writes a string: every byte that does not start a valid UTF-8 sequence becomes U+FFFD. */
export function goString(bytes: Uint8Array): string {
  let result = '';
  let index = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (index < bytes.length) {
    const lead = bytes[index]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length > 0 && index + length <= bytes.length) {
      try {
        result += decoder.decode(bytes.subarray(index, index + length));
        index += length;
        continue;
      } catch {
        // not a valid sequence: the lead byte alone is replaced below
      }
    }
    result += '\uFFFD';
    index += 1;
  }
  return result;
}

/** Go's strconv.FormatFloat(value, 'g', -1, 32), which sigs.k8s.io/yaml uses for float map keys. */
function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  const single = Math.fround(value);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  let digits = '';
  for (let precision = 1; precision <= 9; precision++) {
    digits = single.toExponential(precision - 1);
    if (Math.fround(Number(digits)) === single) break;
  }
  const [mantissa, exponentText] = digits.split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(Number(digits));
}

/** A map key as sigs.k8s.io/yaml writes it into JSON; an error for keys it cannot convert (null, beyond int64). */
export function keyString(key: Scalar): string | { error: string } {
  switch (key.kind) {
    case 'string':
      return key.value;
    case 'bool':
      return String(key.value);
    case 'int':
      return key.uint64 ? { error: 'a map key beyond the 64-bit integer range' } : String(key.value);
    case 'float':
      return formatFloat32(key.value);
    case 'null':
      return { error: 'a null map key' };
  }
}
