// A preview route: a Mapping of its own that sends requests carrying a header to the declared canary at all times.
// Argo Rollouts' Ambassador router does not implement header routes, and never touches this Mapping.
import type { KubeObject } from '../manifests/manifest.js';
import { isRecord } from '../manifests/manifest.js';
import type { PreviewRoute } from '../settings/mapping-config.js';
import { canarySpec } from './guarded-canary.js';
import { MANAGED_BY_LABEL, MANAGER } from './labels.js';

const SUFFIX = '-preview';

export function previewMappingName(baseName: string): string {
  return `${baseName.slice(0, 253 - SUFFIX.length)}${SUFFIX}`;
}

/**
 * The base's routing fields plus the header, the declared canary as its upstream, no weight, and a precedence above
 * the base's: Emissary then keeps it in a route group of its own instead of sharing traffic with the base.
 */
export function previewRoute(base: KubeObject, baseName: string, namespace: string, canaryUrl: string, preview: PreviewRoute): KubeObject {
  const { weight: _weight, ...spec } = isRecord(base.spec) ? base.spec : {};
  const headers = isRecord(spec.headers) ? spec.headers : {};
  const precedence = typeof spec.precedence === 'number' ? spec.precedence : 0;
  return {
    apiVersion: base.apiVersion,
    kind: base.kind,
    metadata: { name: previewMappingName(baseName), namespace, labels: { [MANAGED_BY_LABEL]: MANAGER } },
    spec: { ...canarySpec(spec, canaryUrl), headers: { ...headers, [preview.header]: preview.value }, precedence: precedence + 1 },
  };
}
