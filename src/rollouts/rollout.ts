// The part of a Rollout this plugin cares about: a canary strategy that shifts traffic through Ambassador Mappings.
import { getPath, isRecord, type KubeObject } from '../manifests/manifest.js';

export const CANARY_PATH = ['spec', 'strategy', 'canary'] as const;
export const MAPPINGS_PATH = [...CANARY_PATH, 'trafficRouting', 'ambassador', 'mappings'] as const;

export interface AmbassadorRouting {
  /** As written; validated by the caller so that every problem gets its own location. */
  mappings: unknown;
  stableService: unknown;
  canaryService: unknown;
}

export function isRollout(object: KubeObject): boolean {
  return object.apiVersion === 'argoproj.io/v1alpha1' && object.kind === 'Rollout';
}

/** undefined unless this Rollout's canary strategy routes traffic through Ambassador (with or without workloadRef). */
export function ambassadorRoutingOf(object: KubeObject): AmbassadorRouting | undefined {
  if (!isRollout(object)) return undefined;
  const canary = getPath(object, CANARY_PATH);
  if (!isRecord(canary) || getPath(canary, ['trafficRouting', 'ambassador']) === undefined) return undefined;
  return {
    mappings: getPath(canary, ['trafficRouting', 'ambassador', 'mappings']),
    stableService: canary.stableService,
    canaryService: canary.canaryService,
  };
}
