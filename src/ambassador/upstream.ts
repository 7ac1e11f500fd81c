// What a Mapping's upstream means to Emissary, so that two spellings can be compared: TLS or not (and with which
// context), which Service or address, which port after defaults; or that Emissary routes nothing, and why.
import { emissaryView, type UpstreamSpec } from './api-conversion.js';
import { readUpstream, type EmissaryError, type Endpoint } from './emissary-reading.js';

export type UpstreamHost = Endpoint;

export interface Upstream {
  tls: boolean;
  /** The TLS context Emissary originates with; undefined without TLS. */
  tlsContext?: string;
  host: UpstreamHost;
  port: number;
}

/** Stands for Emissary's namespace when the render does not show it: no Kubernetes namespace is spelled like this. */
export const EMISSARY_NAMESPACE = "<Emissary's namespace>";

/** What the plugin knows about the Emissary that reads the Mappings. */
export interface EmissarySetup {
  /** Emissary's namespace, when the render holds its Module. */
  namespace?: string;
  /** The Module's `use_ambassador_namespace_for_service_resolution`: bare names resolve in Emissary's namespace. */
  useAmbassadorNamespace: boolean;
  /** Whether the render holds a TLSContext of this name; by default it holds none. */
  hasTlsContext?: (name: string) => boolean;
}

export const DEFAULT_SETUP: EmissarySetup = { useAmbassadorNamespace: false };

export interface MappingUpstream {
  /** undefined when Emissary builds no usable cluster. */
  upstream?: Upstream;
  /** The same Mapping where only the TLSContexts the render holds exist (undefined: Emissary routes nothing). */
  withoutUnseenContexts?: Upstream;
  errors: Array<EmissaryError | 'cluster-construction-failed'>;
  /** Emissary's own words for the errors. */
  errorText: string[];
}

function reading(service: string, tls: unknown, namespace: string, setup: EmissarySetup, hasTlsContext: (name: string) => boolean): { upstream?: Upstream; errors: MappingUpstream['errors']; errorText: string[] } {
  const env = { namespace: setup.namespace ?? EMISSARY_NAMESPACE, useAmbassadorNamespace: setup.useAmbassadorNamespace, hasTlsContext };
  const read = readUpstream(service, tls, namespace, env);
  if (!read.built || !read.valid || !read.endpoint) return { errors: read.errors, errorText: read.errorText };
  const upstream: Upstream = { tls: read.tls, ...(read.tlsContext !== undefined ? { tlsContext: read.tlsContext } : {}), host: read.endpoint, port: read.port };
  return { upstream, errors: read.errors, errorText: read.errorText };
}

/** Emissary's reading of a Mapping of `apiVersion` in `namespace`, assuming every TLSContext it names exists. */
export function readMappingUpstream(apiVersion: string, spec: UpstreamSpec, namespace: string, setup: EmissarySetup = DEFAULT_SETUP): MappingUpstream {
  const view = emissaryView(apiVersion, spec);
  const withContexts = reading(view.service, view.tls, namespace, setup, () => true);
  const without = reading(view.service, view.tls, namespace, setup, setup.hasTlsContext ?? (() => false)).upstream;
  return { ...withContexts, ...(without ? { withoutUnseenContexts: without } : {}) };
}

/** Emissary originates TLS for it only if a TLSContext it names exists, and the render holds none of that name. */
export function tlsOnlyThroughUnseenContext(read: MappingUpstream): boolean {
  return read.upstream?.tls === true && read.withoutUnseenContexts?.tls !== true;
}

export function describeHost(host: UpstreamHost): string {
  switch (host.kind) {
    case 'service':
      return host.namespace === EMISSARY_NAMESPACE ? `Service ${host.name} in Emissary's own namespace` : `Service ${host.name} in namespace ${host.namespace}`;
    case 'address':
      return `address ${host.address}`;
    case 'dns':
      return `external host ${host.name}`;
    case 'localhost':
      return "Emissary's own pod (localhost)";
  }
}

export function sameHost(a: UpstreamHost, b: UpstreamHost): boolean {
  return describeHost(a) === describeHost(b);
}

/** Why Emissary routes nothing for a Mapping, from its logged errors. */
export function describeUnusable(read: Pick<MappingUpstream, 'errorText'>): string {
  return read.errorText.length > 0 ? `an upstream Emissary ignores (${read.errorText.join('; ')})` : 'an upstream Emissary ignores';
}

/**
 * How a canary's upstream differs from the one it should have, as data: generate and explain phrase it one way, audit
 * another, but all three see the same differences. The codes are audit's finding codes.
 */
export type UpstreamDifference =
  /** Emissary routes nothing for it. */
  | { code: 'canary-unparseable'; read: Pick<MappingUpstream, 'errors' | 'errorText'> }
  | { code: 'lost-scheme' }
  | { code: 'unexpected-tls' }
  /** It dials a host that serves stable: `stable` is the index in the stable hosts given (the base's, then the stableService). */
  | { code: 'points-at-stable'; actual: UpstreamHost; expected?: UpstreamHost; stable: number }
  | { code: 'wrong-namespace'; actual: UpstreamHost & { kind: 'service' }; expected: UpstreamHost & { kind: 'service' } }
  | { code: 'wrong-service'; actual: UpstreamHost; expected: UpstreamHost }
  | { code: 'wrong-port'; actual: number; expected: number };

/**
 * How `actual` differs from `expected` (TLS, host, port; not the context), in that order. A host among `stable` is
 * named as such first; without `expected` (nobody knows the declared canary), that is the only difference looked for.
 */
export function differencesOf(actual: MappingUpstream | Upstream, expected: Upstream | undefined, stable: readonly UpstreamHost[] = []): UpstreamDifference[] {
  const read: MappingUpstream = 'errors' in actual ? actual : { upstream: actual, errors: [], errorText: [] };
  const a = read.upstream;
  if (!a) return [{ code: 'canary-unparseable', read }];
  const found: UpstreamDifference[] = [];
  if (expected && a.tls !== expected.tls) found.push({ code: a.tls ? 'unexpected-tls' : 'lost-scheme' });
  if (!expected || !sameHost(a.host, expected.host)) {
    const servesStable = stable.findIndex((host) => sameHost(host, a.host));
    const e = expected?.host;
    if (servesStable >= 0) found.push({ code: 'points-at-stable', actual: a.host, ...(e ? { expected: e } : {}), stable: servesStable });
    else if (a.host.kind === 'service' && e?.kind === 'service' && a.host.name === e.name) found.push({ code: 'wrong-namespace', actual: a.host, expected: e });
    else if (e) found.push({ code: 'wrong-service', actual: a.host, expected: e });
  }
  if (expected && a.port !== expected.port) found.push({ code: 'wrong-port', actual: a.port, expected: expected.port });
  return found;
}

/** A difference in the words generate and explain use: a phrase after "the canary would be created …". */
export function describeDifference(difference: UpstreamDifference): string {
  switch (difference.code) {
    case 'canary-unparseable':
      return describeUnusable(difference.read);
    case 'lost-scheme':
      return 'without TLS';
    case 'unexpected-tls':
      return 'with TLS';
    case 'wrong-namespace': {
      const { actual, expected } = difference;
      return `in ${actual.namespace === EMISSARY_NAMESPACE ? "Emissary's own namespace" : `namespace ${actual.namespace}`} instead of ${expected.namespace}`;
    }
    case 'points-at-stable':
    case 'wrong-service': {
      const { actual, expected } = difference;
      if (!expected) return `pointing at ${describeHost(actual)}, which serves stable`;
      const namesake = actual.kind === 'service' && expected.kind === 'service' && actual.name === expected.name;
      return namesake ? describeDifference({ code: 'wrong-namespace', actual, expected }) : `pointing at ${describeHost(actual)} instead of ${describeHost(expected)}`;
    }
    case 'wrong-port':
      return `on port ${difference.actual} instead of ${difference.expected}`;
  }
}

/** How `actual` differs from `expected`, in words a user can act on. */
export function upstreamDifferences(actual: MappingUpstream | Upstream, expected: Upstream): string[] {
  return differencesOf(actual, expected).map(describeDifference);
}

export function sameUpstream(a: MappingUpstream | Upstream, b: Upstream): boolean {
  return upstreamDifferences(a, b).length === 0;
}
