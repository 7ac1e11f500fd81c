// Problems are values: every stage returns them and the CLI prints them all at once.

export interface SourceLocation {
  /** A path as the user reads it; for an object no file of the app holds (a renderer made it), its description. */
  file: string;
  /** Absent when only the file (or object) is known. */
  line?: number;
  column?: number;
}

export interface Diagnostic {
  /** Stable, greppable identifier such as `mapping-not-found`. */
  code: string;
  message: string;
  location?: SourceLocation;
  /** What the user can do about it. */
  hint?: string;
}

export function diagnostic(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { code, message, ...(location ? { location } : {}), ...(hint ? { hint } : {}) };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * A value from the input for a message: JSON-quoted and cut short, so that a 100 kB parameter or a deeply nested one
 * neither floods the Argo CD UI nor breaks the message.
 */
export function quoteInput(value: unknown, max = 120): string {
  try {
    return shorten(JSON.stringify(value) ?? String(value), max);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

/** A name from the input (a parameter or variable name), escaped like JSON but without quotes, and cut short. */
export function inputName(name: string, max = 120): string {
  return shorten(JSON.stringify(name).slice(1, -1), max);
}

export function formatLocation(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}:${location.column}`;
}

/** `file:line:col: error[code]: message` then an indented hint, the shape editors and CI logs recognise. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint.replace(/\n/g, '\n        ')}` : '';
  return `${where}error[${d.code}]: ${d.message}${hint}`;
}
