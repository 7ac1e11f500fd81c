// The canary the user declares for a base Mapping. For now it is derived from the base; templates and annotations
// (a later issue) plug in here as further sources with higher precedence.
import { formatServiceUrl, type ServiceUrl } from '../ambassador/service-url.js';
import type { Upstream } from '../ambassador/upstream.js';

export type DeclaredCanarySource = 'derived';

export interface DeclaredCanary {
  /** Explicit full URL: always a scheme and a port. */
  url: string;
  upstream: Upstream;
  source: DeclaredCanarySource;
}

/**
 * The base URL with its first host label (the stable Service, checked by the caller) replaced by the canary Service;
 * the rest of the host, the TLS decision and the port after defaults are kept.
 */
export function deriveDeclaredCanary(base: ServiceUrl, baseUpstream: Upstream, canaryService: string): DeclaredCanary {
  const [, ...rest] = base.host.split('.');
  const host = [canaryService, ...rest].join('.');
  const url = formatServiceUrl({ scheme: baseUpstream.tls ? 'https' : 'http', host, hostKind: 'name', port: baseUpstream.port });
  const host0 = baseUpstream.host;
  return {
    url,
    upstream: { ...baseUpstream, host: host0.kind === 'service' ? { ...host0, name: canaryService } : host0 },
    source: 'derived',
  };
}
