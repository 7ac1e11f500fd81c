// Guarded strategy: the plugin emits the canary Mapping itself, under the name the controller looks for, so the
// controller adopts it and only ever changes its weight (the guard policy refuses its deletes).
import { labelsOf } from '../ambassador/host-association.js';
import type { KubeObject } from '../manifests/manifest.js';
import { isRecord } from '../manifests/manifest.js';
import { canaryMappingName } from '../rollouts/canary-name.js';
import type { PatchOperation } from '../settings/mapping-config.js';
import { GUARD_LABEL, MANAGED_BY_LABEL, MANAGER, SYNC_WAVE_ANNOTATION } from './labels.js';
import { applyPatches, type PatchProblem } from './patches.js';

export interface GuardedCanaryInput {
  base: KubeObject;
  baseName: string;
  namespace: string;
  /** The Rollout's sync wave; the canary goes one wave earlier. */
  rolloutWave: number;
  canaryUrl: string;
  patches: readonly PatchOperation[];
}

export function guardedCanary(input: GuardedCanaryInput): { ok: true; object: KubeObject } | { ok: false; problem: PatchProblem } {
  const spec = isRecord(input.base.spec) ? input.base.spec : {};
  const canary: KubeObject = {
    apiVersion: input.base.apiVersion,
    kind: input.base.kind,
    metadata: {
      name: canaryMappingName(input.baseName),
      namespace: input.namespace,
      // The base's labels too: a Host whose mappingSelector takes the base by its labels then takes the canary.
      labels: { ...labelsOf(input.base), [MANAGED_BY_LABEL]: MANAGER, [GUARD_LABEL]: 'true' },
      annotations: { [SYNC_WAVE_ANNOTATION]: String(input.rolloutWave - 1) },
    },
    spec: { ...canarySpec(spec, input.canaryUrl), weight: 0 },
  };
  return applyPatches(canary, input.patches);
}

/**
 * The base's spec with the declared canary as its upstream. An explicit URL decides TLS, except that Emissary
 * originates TLS for `http://` when `tls` is truthy: a plain-HTTP canary leaves the base's `tls` behind.
 */
export function canarySpec(baseSpec: Record<string, unknown>, canaryUrl: string): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...baseSpec, service: canaryUrl };
  if (/^http:\/\//i.test(canaryUrl)) delete spec.tls;
  return spec;
}

/** Argo CD's sync wave of an object: an integer annotation, 0 when absent; undefined when it is not an integer. */
export function syncWaveOf(object: KubeObject): number | undefined {
  const annotations = isRecord(object.metadata) && isRecord(object.metadata.annotations) ? object.metadata.annotations : {};
  const wave = annotations[SYNC_WAVE_ANNOTATION];
  if (wave === undefined) return 0;
  return typeof wave === 'string' && /^[-+]?\d+$/.test(wave.trim()) ? Number(wave) : undefined;
}
