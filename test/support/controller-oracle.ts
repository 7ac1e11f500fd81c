// An independent model of what Argo Rollouts creates from a base Mapping and what Emissary then dials, written
// separately from src/ so that golden tests do not grade the plugin with its own arithmetic.

export interface Dialled {
  tls: boolean;
  host: string;
  port: number;
}

/**
 * Emissary's view of `[scheme://]host[:port][/]` plus `tls`: the Service spelled as name.namespace. Any scheme but
 * http/https is stripped; a truthy tls originates TLS even with http://; an empty port is the default.
 */
export function dialled(service: string, tls: unknown, namespace: string): Dialled | undefined {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([a-z0-9.-]+)(?::(\d*))?\/?$/i.exec(service);
  if (!match) return undefined;
  const [, scheme, rawHost, port] = match;
  const secure = scheme?.toLowerCase() === 'https' || tls === true || (typeof tls === 'string' && tls !== '');
  const labels = rawHost!.toLowerCase().split('.');
  const host = labels.length === 1 ? `${labels[0]}.${namespace}` : `${labels[0]}.${labels[1]}`;
  return { tls: secure, host, port: port ? Number(port) : secure ? 443 : 80 };
}

export type Logic = 'legacy' | 'current';

export interface OracleBase {
  apiVersion: string;
  service: string;
  tls?: unknown;
}

/** The canary the controller writes, read through `controllerApiVersion`, for one logic. */
export function controllerCanary(
  base: OracleBase,
  stable: string,
  canary: string,
  logic: Logic,
  controllerApiVersion: string,
): { service: string; tls?: unknown } {
  let { service, tls } = base;
  // v3alpha1 has no boolean tls: a v2 `tls: true` shows as https:// in place of http:// or no scheme.
  if (controllerApiVersion === 'getambassador.io/v3alpha1' && /^getambassador\.io\/v[12]$/.test(base.apiVersion) && typeof tls === 'boolean') {
    if (tls && !/^https:\/\//i.test(service)) service = `https://${service.replace(/^http:\/\//i, '')}`;
    tls = undefined;
  }
  if (logic === 'current') return { service: service.replace(stable, canary), tls };
  const parts = service.split(':');
  const last = parts.at(-1)!;
  return { service: parts.length > 1 && /^\d+$/.test(last) ? `${canary}:${last}` : canary, tls };
}
