// A Kubernetes object as read from the app, with where it came from and its YAML text for output.

export interface SourceFile {
  /** Path as shown to the user in diagnostics. */
  path: string;
  text: string;
}

export interface Origin {
  file: SourceFile;
  /** Offset in the file where the object's document starts. */
  offset: number;
  /** Index in `items` when the object came out of a `kind: *List` document. */
  item?: number;
  line: number;
  column: number;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
};

export interface Manifest {
  object: KubeObject;
  origin: Origin;
  /** The object rendered as a YAML document (comments kept), what is output when nothing changes it. */
  text: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function metadataOf(object: KubeObject): Record<string, unknown> {
  return isRecord(object.metadata) ? object.metadata : {};
}

export function nameOf(object: KubeObject): string | undefined {
  const name = metadataOf(object).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** An object's namespace is its own, else the Application's destination namespace, else `default`. */
export function namespaceOf(object: KubeObject, destinationNamespace: string | undefined): string {
  const namespace = metadataOf(object).namespace;
  if (typeof namespace === 'string' && namespace !== '') return namespace;
  return destinationNamespace || 'default';
}

/** Read a nested value; undefined when any step is missing or not a map. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}
