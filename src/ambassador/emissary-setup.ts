// What a render (or a live dump) shows of the Emissary that will read its Mappings: the Ambassador Module, whose
// `use_ambassador_namespace_for_service_resolution` makes bare Service names resolve in Emissary's own namespace,
// and the TLSContexts that exist. The setting `service-namespace` says the same for a Module the render does not hold.
import { getPath, type Indexed } from '../manifests/manifest.js';
import type { EmissarySetup } from './upstream.js';

const AMBASSADOR_GROUPS = new Set(['getambassador.io', 'x.getambassador.io']);

function isKind(object: Indexed, kind: string): boolean {
  return AMBASSADOR_GROUPS.has(object.group) && object.kind === kind;
}

/** The Ambassador Module: named `ambassador`, in Emissary's namespace. */
export function ambassadorModule(objects: readonly Indexed[]): Indexed | undefined {
  return objects.find((o) => isKind(o, 'Module') && o.name === 'ambassador');
}

export function tlsContextNames(objects: readonly Indexed[]): string[] {
  return objects.filter((o) => isKind(o, 'TLSContext')).map((o) => o.name);
}

export function emissarySetup(objects: readonly Indexed[], serviceNamespace: 'mapping' | 'emissary'): EmissarySetup {
  const module = ambassadorModule(objects);
  const fromModule = module && getPath(module.manifest.object, ['spec', 'config', 'use_ambassador_namespace_for_service_resolution']) === true;
  const contexts = new Set(tlsContextNames(objects));
  return {
    ...(module ? { namespace: module.namespace } : {}),
    useAmbassadorNamespace: fromModule || serviceNamespace === 'emissary',
    hasTlsContext: (name) => contexts.has(name),
  };
}
