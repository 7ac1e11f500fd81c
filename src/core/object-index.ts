// Every named object with its identity (group, kind, namespace, name); a second definition is an error.
import { groupOf, isMappingKind } from '../ambassador/mapping-kinds.js';
import { locate } from '../manifests/locate.js';
import { nameOf, namespaceOf, type Indexed, type Manifest } from '../manifests/manifest.js';
import { isRollout } from '../rollouts/rollout.js';
import { diagnostic, formatLocation, type Diagnostic } from '../diagnostics/diagnostics.js';

export function indexObjects(manifests: readonly Manifest[], destinationNamespace: string | undefined, diagnostics: Diagnostic[]): Indexed[] {
  const seen = new Map<string, Indexed>();
  const indexed: Indexed[] = [];
  for (const manifest of manifests) {
    const name = nameOf(manifest.object);
    if (!name) {
      // Other kinds may use generateName (hooks); a Rollout or Mapping without a name would go unchecked.
      const { apiVersion, kind } = manifest.object;
      if (isRollout(manifest.object) || isMappingKind(apiVersion, kind)) {
        diagnostics.push(
          diagnostic('name-missing', `this ${kind} has no metadata.name (a non-empty string)`, locate(manifest.origin, ['metadata', 'name']), 'give it a name: Argo CD and Argo Rollouts find objects by name'),
        );
      }
      continue;
    }
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
