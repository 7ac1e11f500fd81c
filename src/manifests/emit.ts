// The output stream: every input object in input order, as multi-document YAML that Argo CD reads as exactly the
// objects the plugin means. Untouched objects keep their source text; an edited object is edited in place (comments
// and layout kept) when its text allows, else written anew, and every such edit is read back to prove it.
import { isDeepStrictEqual } from 'node:util';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { editDocument, type FieldEdit } from './edit-document.js';
import { looksLikeJson, readKubernetesStream, UNBOUNDED } from './kubernetes-yaml.js';
import { isRecord, nameOf, type KubeObject, type Manifest } from './manifest.js';
import { UnwritableValue, writeYaml } from './write-yaml.js';

export type { FieldEdit };

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

/** Whether `text` is one document that Kubernetes reads as exactly `object`. */
function readsAs(text: string, object: KubeObject): boolean {
  const reading = readKubernetesStream(text, UNBOUNDED);
  return reading.problems.length === 0 && reading.objects.length === 1 && isDeepStrictEqual(reading.objects[0]!.value, object);
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The text of an edited object: its own document edited in place where that reads back right, else written anew. */
function editedText(manifest: Manifest, edits: readonly FieldEdit[]): string {
  const edited = applyEdits(manifest.object, edits);
  if (manifest.source !== undefined) {
    const inPlace = editDocument(manifest.source, edits);
    if (inPlace !== undefined && readsAs(inPlace, edited)) return withNewline(inPlace);
  }
  return writeYaml(edited);
}

/** One multi-document stream; Argo CD reads exactly these documents from it. */
function joinDocuments(documents: readonly string[]): string {
  let stream = documents.join('---\n');
  // Argo CD takes a stream that starts with `{` for JSON, and trims one final line break before reading.
  if (looksLikeJson(stream)) stream = `---\n${stream}`;
  if (stream.endsWith('\n\n')) stream += '\n';
  return stream;
}

function unwritable(object: KubeObject, error: UnwritableValue): Diagnostic {
  return diagnostic(
    'unwritable-value',
    `${object.kind} ${nameOf(object) ?? '(unnamed)'}: ${error.message}`,
    undefined,
    'the plugin writes this object anew (it comes from a JSON file or a List, or it is rewritten); change the value, or write the object as a YAML document of its own',
  );
}

/** Objects as one multi-document YAML stream. Throws UnwritableValue (only for values the plugin made). */
export function renderObjects(objects: readonly KubeObject[]): string {
  return joinDocuments(objects.map((object) => writeYaml(object)));
}

export function renderStream(manifests: readonly Manifest[], changes: StreamChanges): { stream: string } | { diagnostics: Diagnostic[] } {
  const documents: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const write = (object: KubeObject, text: () => string): void => {
    try {
      documents.push(text());
    } catch (error) {
      if (!(error instanceof UnwritableValue)) throw error;
      diagnostics.push(unwritable(object, error));
    }
  };
  for (const manifest of manifests) {
    const fieldEdits = changes.edits.get(manifest);
    const { object, source } = manifest;
    write(object, () => (fieldEdits ? editedText(manifest, fieldEdits) : source !== undefined ? withNewline(source) : writeYaml(object)));
    for (const generated of changes.generated.get(manifest) ?? []) write(generated, () => writeYaml(generated));
  }
  for (const object of changes.trailing) write(object, () => writeYaml(object));
  return diagnostics.length > 0 ? { diagnostics } : { stream: joinDocuments(documents) };
}
