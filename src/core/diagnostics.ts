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

export function formatLocation(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}:${location.column}`;
}

/** `file:line:col: error[code]: message` then an indented hint, the shape editors and CI logs recognise. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint.replace(/\n/g, '\n        ')}` : '';
  return `${where}error[${d.code}]: ${d.message}${hint}`;
}
