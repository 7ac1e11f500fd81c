// Splits a YAML stream into its documents by their `---` markers, the way YAML itself does: a line that starts with
// `---` followed by white space or its end can only be a document marker (YAML forbids it inside any content).

export interface DocumentSpan {
  /** Offset of the document's own text, after its `---` line. */
  start: number;
  end: number;
}

const MARKER = /^---(?:[ \t]+#.*)?[ \t]*$/;

/**
 * undefined for streams that need the full YAML parser to be read right: directives (`%YAML`), end markers (`...`),
 * content on a marker line (`--- !!map`), CR line ends, byte order marks inside the stream (copied as they are, they
 * would start a key of the output), and keys that are empty or explicit (`: x`, `? x`), where js-yaml accepts text
 * the YAML specification (and so the exact reader) refuses, such as `:  a: b`.
 */
export function splitDocuments(text: string): DocumentSpan[] | undefined {
  if (/^(%|\.\.\.([ \t]|$)|---[ \t]*[^\s#])|[\r\uFEFF]|^[ \t]*(-[ \t]+)*[:?]([ \t]|$)/m.test(text)) return undefined;
  const spans: DocumentSpan[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (text.startsWith('---', lineStart) && MARKER.test(text.slice(lineStart, lineEnd))) {
      // Comments and blank lines before the marker stay with the document before it.
      if (lineStart > start || spans.length > 0) spans.push({ start, end: lineStart });
      start = newline < 0 ? text.length : newline + 1;
    }
    lineStart = lineEnd + 1;
  }
  spans.push({ start, end: text.length });
  return spans;
}
