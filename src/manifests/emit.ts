// The output stream: every input object in input order, as multi-document YAML. Edited objects are changed in their
// YAML form, so their comments and key order survive.
import { parseDocument } from 'yaml';
import type { Manifest } from './manifest.js';

export interface FieldEdit {
  path: readonly string[];
  /** undefined removes the field. */
  value: unknown;
}

export function applyEdits(text: string, edits: readonly FieldEdit[]): string {
  const document = parseDocument(text);
  for (const edit of edits) {
    if (edit.value === undefined) document.deleteIn(edit.path);
    else document.setIn(edit.path, edit.value);
  }
  return document.toString({ lineWidth: 0 });
}

export function renderStream(manifests: readonly Manifest[], edits: ReadonlyMap<Manifest, readonly FieldEdit[]>): string {
  return manifests
    .map((manifest) => {
      const fieldEdits = edits.get(manifest);
      return fieldEdits ? applyEdits(manifest.text, fieldEdits) : manifest.text;
    })
    .join('---\n');
}
