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

/** How `actual` differs from `expected` (TLS, host, port; not the context), in words a user can act on. */
export function upstreamDifferences(actual: MappingUpstream | Upstream, expected: Upstream): string[] {
  const read: MappingUpstream = 'errors' in actual ? actual : { upstream: actual, errors: [], errorText: [] };
  const a = read.upstream;
  if (!a) return [describeUnusable(read)];
  const differences: string[] = [];
  if (a.tls !== expected.tls) differences.push(a.tls ? 'with TLS' : 'without TLS');
  if (!sameHost(a.host, expected.host)) {
    const e = expected.host;
    if (a.host.kind === 'service' && e.kind === 'service' && a.host.name === e.name) {
      differences.push(`in ${a.host.namespace === EMISSARY_NAMESPACE ? "Emissary's own namespace" : `namespace ${a.host.namespace}`} instead of ${e.namespace}`);
    } else {
      differences.push(`pointing at ${describeHost(a.host)} instead of ${describeHost(e)}`);
    }
  }
  if (a.port !== expected.port) differences.push(`on port ${a.port} instead of ${expected.port}`);
  return differences;
}

export function sameUpstream(a: MappingUpstream | Upstream, b: Upstream): boolean {
  return upstreamDifferences(a, b).length === 0;
}
