// Every named object with its identity (group, kind, namespace, name); a second definition is an error.
import { groupOf } from '../ambassador/mapping-kinds.js';
import { locate } from '../manifests/locate.js';
import { nameOf, namespaceOf, type Manifest } from '../manifests/manifest.js';
import { diagnostic, formatLocation, type Diagnostic } from './diagnostics.js';

export interface Indexed {
  manifest: Manifest;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function indexObjects(manifests: readonly Manifest[], destinationNamespace: string | undefined, diagnostics: Diagnostic[]): Indexed[] {
  const seen = new Map<string, Indexed>();
  const indexed: Indexed[] = [];
  for (const manifest of manifests) {
    const name = nameOf(manifest.object);
    if (!name) continue;
    const entry = {
      manifest,
      group: groupOf(manifest.object.apiVersion),
      kind: manifest.object.kind,
      namespace: namespaceOf(manifest.object, destinationNamespace),
      name,
    };
    const key = JSON.stringify([entry.group, entry.kind, entry.namespace, entry.name]);
    const first = seen.get(key);
    if (first) {
      diagnostics.push(
        diagnostic(
          'duplicate-object',
          `${entry.kind} ${entry.namespace}/${name} is defined twice; first at ${formatLocation(locate(first.manifest.origin))}`,
          locate(manifest.origin),
          'keep one definition: Argo CD would apply only one of them',
        ),
      );
      continue;
    }
    seen.set(key, entry);
    indexed.push(entry);
  }
  return indexed;
}
