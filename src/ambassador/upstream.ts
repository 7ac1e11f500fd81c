// What an upstream means to Emissary, so that two spellings can be compared: TLS or not, which Service (or address)
// and which port after defaults.
import { parseServiceUrl, type ServiceUrl } from './service-url.js';

export type UpstreamHost =
  | { kind: 'service'; name: string; namespace: string }
  | { kind: 'address'; address: string }
  | { kind: 'dns'; name: string };

export interface Upstream {
  tls: boolean;
  host: UpstreamHost;
  port: number;
}

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** TLS comes from an `https://` scheme or from a `tls` field that is `true` or names a TLSContext. */
export function originatesTls(url: ServiceUrl, tlsField: unknown): boolean {
  if (url.scheme === 'https') return true;
  if (url.scheme === 'http') return false;
  return tlsField === true || (typeof tlsField === 'string' && tlsField !== '');
}

/** A bare name lives in the Mapping's namespace; `name.ns`, `name.ns.svc` and the FQDN all name the same Service. */
export function resolveHost(url: ServiceUrl, mappingNamespace: string): UpstreamHost {
  if (url.hostKind !== 'name') return { kind: 'address', address: url.host.toLowerCase() };
  const labels = url.host.split('.');
  const [name, namespace] = labels as [string, string | undefined];
  const suffix = labels.slice(2).join('.');
  if (labels.length === 1) return { kind: 'service', name, namespace: mappingNamespace };
  if (namespace !== undefined && (suffix === '' || suffix === 'svc' || suffix === CLUSTER_DOMAIN)) {
    return { kind: 'service', name, namespace };
  }
  return { kind: 'dns', name: url.host };
}

export function resolveUpstream(url: ServiceUrl, tlsField: unknown, mappingNamespace: string): Upstream {
  const tls = originatesTls(url, tlsField);
  return { tls, host: resolveHost(url, mappingNamespace), port: url.port ?? (tls ? 443 : 80) };
}

/** Parses and resolves in one step; undefined when the text does not parse (callers report that separately). */
export function upstreamOf(service: string, tlsField: unknown, mappingNamespace: string): Upstream | undefined {
  const parsed = parseServiceUrl(service);
  return parsed.ok ? resolveUpstream(parsed.url, tlsField, mappingNamespace) : undefined;
}

export function describeHost(host: UpstreamHost): string {
  switch (host.kind) {
    case 'service':
      return `Service ${host.name} in namespace ${host.namespace}`;
    case 'address':
      return `address ${host.address}`;
    case 'dns':
      return `external host ${host.name}`;
  }
}

export function sameHost(a: UpstreamHost, b: UpstreamHost): boolean {
  return describeHost(a) === describeHost(b);
}

/** How `actual` differs from `expected`, in words a user can act on; empty when they are the same upstream. */
export function upstreamDifferences(actual: Upstream | undefined, expected: Upstream): string[] {
  if (!actual) return ['an upstream Emissary cannot parse'];
  const differences: string[] = [];
  if (actual.tls !== expected.tls) differences.push(actual.tls ? 'with TLS' : 'without TLS');
  if (!sameHost(actual.host, expected.host)) {
    const a = actual.host;
    const e = expected.host;
    if (a.kind === 'service' && e.kind === 'service' && a.name === e.name) {
      differences.push(`in namespace ${a.namespace} instead of ${e.namespace}`);
    } else {
      differences.push(`pointing at ${describeHost(a)} instead of ${describeHost(e)}`);
    }
  }
  if (actual.port !== expected.port) differences.push(`on port ${actual.port} instead of ${expected.port}`);
  return differences;
}

export function sameUpstream(a: Upstream | undefined, b: Upstream): boolean {
  return upstreamDifferences(a, b).length === 0;
}
