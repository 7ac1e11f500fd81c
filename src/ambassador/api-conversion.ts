// What the Kubernetes API server does with the `service` and `tls` of a getambassador.io Mapping: it stores v2 and
// converts every v3alpha1 write and read (Emissary's conversion). v2 `tls` is `true`, `false`, a TLSContext name or
// null; v3alpha1 `tls` is only a name, so a v2 boolean travels as an `https://` scheme plus `v2ExplicitTLS`, which
// brings it back on the way to v2. The CRD types v3alpha1 `tls` as a string: anything else is refused.
// x.getambassador.io objects are stored and served as written.
import { groupOf } from './mapping-kinds.js';

export interface V2ExplicitTls {
  /** How v2 `tls` was written when v3alpha1 cannot say it: `bool:true`, `bool:false`, `string` (empty) or `null`. */
  tls?: string;
  /** The scheme v2 wrote, when v3alpha1 had to write `https://` instead. */
  serviceScheme?: string;
}

/** The upstream fields of a Mapping spec in any version; absent keys are absent fields. */
export interface UpstreamSpec {
  service: string;
  tls?: unknown;
  v2ExplicitTLS?: V2ExplicitTls;
}

const V3ALPHA1 = 'getambassador.io/v3alpha1';

/** The API server's refusal of a Mapping's `tls`, if any. */
export function rejection(apiVersion: string, spec: { tls?: unknown }): string | undefined {
  if (apiVersion !== V3ALPHA1 || spec.tls === undefined || spec.tls === null || typeof spec.tls === 'string') return undefined;
  return `v3alpha1 tls must be a string, got ${typeof spec.tls === 'boolean' ? 'bool' : typeof spec.tls}`;
}

function schemeOf(service: string): { scheme: string; bare: string } {
  const lower = service.toLowerCase();
  const length = lower.startsWith('https://') ? 'https://'.length : lower.startsWith('http://') ? 'http://'.length : 0;
  return { scheme: service.slice(0, length), bare: service.slice(length) };
}

export function v2ToV3alpha1(spec: UpstreamSpec): UpstreamSpec {
  const { tls, v2ExplicitTLS: _, ...rest } = spec;
  const { scheme, bare } = schemeOf(spec.service);
  if (typeof tls === 'string' && tls !== '') return { ...rest, tls, v2ExplicitTLS: {} };
  const originateTls = scheme.toLowerCase() === 'https://' || tls === true;
  const explicitTls =
    tls === undefined ? undefined : tls === true ? 'bool:true' : tls === false ? 'bool:false' : tls === '' ? 'string' : tls === null ? 'null' : undefined;
  // v3alpha1 has no boolean: TLS that only `tls` asked for is written as https:// and the written scheme kept aside.
  const https = scheme.toLowerCase() === 'https://';
  const service = https === originateTls ? spec.service : `https://${bare}`;
  const explicit: V2ExplicitTls = { ...(explicitTls !== undefined ? { tls: explicitTls } : {}), ...(https === originateTls ? {} : { serviceScheme: scheme }) };
  return { ...rest, service, ...(Object.keys(explicit).length > 0 ? { v2ExplicitTLS: explicit } : {}) };
}

export function v3alpha1ToV2(spec: UpstreamSpec): UpstreamSpec {
  const { tls: written, v2ExplicitTLS, ...rest } = spec;
  const tls = typeof written === 'string' ? written : '';
  const explicit = v2ExplicitTLS ?? {};
  const { scheme, bare } = schemeOf(spec.service);
  const originateTls = scheme.toLowerCase() === 'https://' || tls !== '';
  let v2Tls: unknown;
  let truthy = false;
  if (tls !== '') {
    [v2Tls, truthy] = [tls, true];
  } else if (explicit.tls === 'null') {
    v2Tls = null;
  } else if (explicit.tls === 'bool:false') {
    v2Tls = false;
  } else if (explicit.tls === 'bool:true' && originateTls) {
    [v2Tls, truthy] = [true, true];
  } else if (explicit.tls === 'string') {
    v2Tls = '';
  }
  const kept = explicit.serviceScheme;
  // A truthy tls decides TLS whatever the scheme says; otherwise the kept scheme only returns if it agrees.
  const restore = kept !== undefined && (truthy || (kept.toLowerCase() === 'https://') === originateTls);
  return { ...rest, service: restore ? `${kept}${bare}` : spec.service, ...(v2Tls !== undefined ? { tls: v2Tls } : {}) };
}

/** The spec as the API server keeps it. */
export function stored(apiVersion: string, spec: UpstreamSpec): UpstreamSpec {
  return apiVersion === V3ALPHA1 ? v3alpha1ToV2(spec) : spec;
}

/** A stored spec as a client reading through `apiVersion` gets it; undefined when that API group cannot see it. */
export function readAs(storedApiVersion: string, storedSpec: UpstreamSpec, apiVersion: string): UpstreamSpec | undefined {
  if (groupOf(storedApiVersion) !== groupOf(apiVersion)) return undefined;
  return apiVersion === V3ALPHA1 ? v2ToV3alpha1(storedSpec) : storedSpec;
}

/** What Emissary's Python receives: getambassador.io through v3alpha1, x.getambassador.io as written. */
export function emissaryView(apiVersion: string, spec: UpstreamSpec): { service: string; tls?: unknown } {
  const view = groupOf(apiVersion) === 'getambassador.io' ? v2ToV3alpha1(stored(apiVersion, spec)) : spec;
  return { service: view.service, ...(view.tls !== undefined ? { tls: view.tls } : {}) };
}
