// Problems are values: every stage returns them and the CLI prints them all at once.

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
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
  return `${location.file}:${location.line}:${location.column}`;
}

/** `file:line:col: error[code]: message` then an indented hint, the shape editors and CI logs recognise. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint.replace(/\n/g, '\n        ')}` : '';
  return `${where}error[${d.code}]: ${d.message}${hint}`;
}
