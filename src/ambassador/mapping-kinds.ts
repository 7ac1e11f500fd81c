// The Mapping kinds Argo Rollouts can route through, and how the controller's `--ambassador-api-version` sees them.
import type { AMBASSADOR_API_VERSIONS } from '../settings/table.js';

export type AmbassadorApiVersion = (typeof AMBASSADOR_API_VERSIONS)[number];

export const MAPPING_KINDS = [
  // v1 is still served and has v2's schema: the controller reads it through v2 (or v3alpha1) like a v2 Mapping.
  { apiVersion: 'getambassador.io/v1', kind: 'Mapping' },
  { apiVersion: 'getambassador.io/v2', kind: 'Mapping' },
  { apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping' },
  { apiVersion: 'x.getambassador.io/v3alpha1', kind: 'AmbassadorMapping' },
] as const;

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isMappingKind(apiVersion: unknown, kind: unknown): boolean {
  return MAPPING_KINDS.some((k) => k.apiVersion === apiVersion && k.kind === kind);
}

/** The kind the controller reads through an API version: both getambassador.io versions are one stored object. */
export function kindReadThrough(apiVersion: AmbassadorApiVersion): string {
  return groupOf(apiVersion) === 'x.getambassador.io' ? 'AmbassadorMapping' : 'Mapping';
}

/** getambassador.io/v1 and v2 share one schema (boolean `tls`, `host`); the API server converts both the same way. */
export function hasV2Schema(apiVersion: string): boolean {
  return apiVersion === 'getambassador.io/v1' || apiVersion === 'getambassador.io/v2';
}

/** Whether `spec.tls` may be boolean `true` in this apiVersion (v3alpha1 Mapping takes only a TLSContext name). */
export function acceptsTlsTrue(apiVersion: string): boolean {
  return apiVersion !== 'getambassador.io/v3alpha1';
}
