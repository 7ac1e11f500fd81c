// A Kubernetes object as read from the app, with where it came from and its YAML text for output.

export interface SourceFile {
  /** Path as shown to the user in diagnostics. */
  path: string;
  text: string;
}

/** Where an object is written in a file of the app. */
export interface FileOrigin {
  file: SourceFile;
  /** Offset in the file where the object's content starts. */
  offset: number;
  /** The document the object was read from, `[start, end)` in the file. */
  document: { start: number; end: number };
  /** Index in `items` when the object came out of a `kind: *List` document. */
  item?: number;
  line: number;
  column: number;
}

/** An object as written in a file of the app. */
export interface Written {
  origin: FileOrigin;
  object: KubeObject;
}

/** The document a renderer made an object from, and the documents it merged into it (patches), last applied first. */
export interface WrittenSource extends Written {
  patches: Written[];
}

/**
 * An object a renderer (Kustomize) made from the app's files. Diagnostics point into the document it was made from,
 * never into the rendered stream, which the user does not have.
 */
export interface RenderedOrigin {
  /** The renderer's name as users know it, e.g. `kustomize`. */
  renderer: string;
  /** The object as rendered: a field is located in the source only where the renderer kept its value. */
  object: KubeObject;
  /** Looked up on first use, since only diagnostics need it; undefined when no file of the app holds the object. */
  source: () => WrittenSource | undefined;
  /** What to do when the renderer renamed an object but not a reference to it. */
  renameHint: string;
}

export type Origin = FileOrigin | RenderedOrigin;

export function isRendered(origin: Origin): origin is RenderedOrigin {
  return 'renderer' in origin;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
};

export interface Manifest {
  object: KubeObject;
  origin: Origin;
  /**
   * The document's text as the app has it, output as it is (comments kept) while nothing changes the object. Absent
   * where Argo CD would read that text differently inside the plugin's output (a JSON value, a List item): such an
   * object is written anew.
   */
  source?: string;
}

/** A named object with its identity (group, kind, namespace, name), as the object index lists it. */
export interface Indexed {
  manifest: Manifest;
  group: string;
  kind: string;
  namespace: string;
  name: string;
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

/** When a renderer changed an object's name: who, the name as written, and what to do about references to it. */
export function renaming(origin: Origin): { renderer: string; written: string; hint: string } | undefined {
  if (!isRendered(origin)) return undefined;
  const source = origin.source();
  const written = source && nameOf(source.object);
  if (!written || written === nameOf(origin.object)) return undefined;
  return { renderer: origin.renderer, written, hint: origin.renameHint };
}
