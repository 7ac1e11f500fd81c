// Every label and annotation of this project carries the canary-mapping.dev/ prefix.
import { getPath, metadataOf, type KubeObject } from '../manifests/manifest.js';

export const PREFIX = 'canary-mapping.dev/';
export const ORIGINAL_SERVICE_ANNOTATION = `${PREFIX}original-service`;
export const ORIGINAL_TLS_ANNOTATION = `${PREFIX}original-tls`;
/** On a base: the declared canary's URL template (input) or the declared canary (output). */
export const CANARY_SERVICE_ANNOTATION = `${PREFIX}canary-service`;
export const SKIP_ANNOTATION = `${PREFIX}skip`;
export const MANAGED_BY_LABEL = `${PREFIX}managed-by`;
export const GUARD_LABEL = `${PREFIX}guard`;
export const MANAGER = 'canary-mapping';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** An object the plugin emitted (its managed-by label; a guarded canary also its guard label), fed back to it. */
export function isOwnOutput(object: KubeObject, options: { guarded?: boolean } = {}): boolean {
  const labels = metadataOf(object).labels;
  return getPath(labels, [MANAGED_BY_LABEL]) === MANAGER && (!options.guarded || getPath(labels, [GUARD_LABEL]) === 'true');
}
