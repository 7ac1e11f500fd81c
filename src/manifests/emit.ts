// The output stream: every input object in input order, as multi-document YAML. Untouched objects keep their source
// text; an edited object is written out anew from its value (its comments do not survive; Argo CD never sees them).
import { isRecord, type Manifest } from './manifest.js';
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

export function renderStream(manifests: readonly Manifest[], edits: ReadonlyMap<Manifest, readonly FieldEdit[]>): string {
  return manifests
    .map((manifest) => {
      const fieldEdits = edits.get(manifest);
      return fieldEdits ? renderObject(applyEdits(manifest.object, fieldEdits)) : manifest.text;
    })
    .join('---\n');
}
