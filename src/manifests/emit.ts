// The output stream: every input object in input order, as multi-document YAML. Untouched objects keep their source
// text; an edited object is written out anew from its value (its comments do not survive; Argo CD never sees them).
import { isRecord, type KubeObject, type Manifest } from './manifest.js';
import { renderObject } from './parse.js';

export interface FieldEdit {
  path: readonly string[];
  /** undefined removes the field. */
  value: unknown;
}

/** A copy of `object` with the edits applied; maps missing along a path are created. */
export function applyEdits<T>(object: T, edits: readonly FieldEdit[]): T {
  const copy = structuredClone(object);
  for (const { path, value } of edits) {
    let parent: Record<string, unknown> = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (!isRecord(parent[key])) parent[key] = {};
      parent = parent[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return copy;
}

export interface StreamChanges {
  edits: ReadonlyMap<Manifest, readonly FieldEdit[]>;
  /** Objects that follow a manifest. */
  generated: ReadonlyMap<Manifest, readonly KubeObject[]>;
  /** Objects after everything else. */
  trailing: readonly KubeObject[];
}

/** Objects as one multi-document YAML stream. */
export function renderObjects(objects: readonly KubeObject[]): string {
  return objects.map(renderObject).join('---\n');
}

export function renderStream(manifests: readonly Manifest[], changes: StreamChanges): string {
  return [
    ...manifests.flatMap((manifest) => {
      const fieldEdits = changes.edits.get(manifest);
      const text = fieldEdits ? renderObject(applyEdits(manifest.object, fieldEdits)) : manifest.text;
      return [text, ...(changes.generated.get(manifest) ?? []).map(renderObject)];
    }),
    ...changes.trailing.map(renderObject),
  ].join('---\n');
}
