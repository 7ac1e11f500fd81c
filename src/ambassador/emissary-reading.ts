// How Emissary reads the `service` and `tls` of a Mapping it has received (the v3alpha1 view for getambassador.io):
// first the service name is normalised (host lower-cased and percent-decoded, a bare name qualified with the Mapping's
// namespace, an empty or zero port dropped), then the cluster is built (the TLS decision and context, unknown schemes
// stripped, path components ignored, the default port), then the cluster's host is resolved by the cluster's DNS.
// Measured against Emissary v4.1.0 (test/conformance).
import { isIpAddress } from './ip-address.js';
import { hostnameOf, portOf, splitUrl } from './python-url.js';

/** Emissary's logged errors, in the order it logs them. */
export type EmissaryError =
  | 'malformed-service'
  | 'tls-context-undefined'
  | 'tls-context-with-http'
  | 'unknown-scheme'
  | 'extra-url-components'
  | 'no-hostname'
  | 'invalid-port';

export type Endpoint =
  | { kind: 'service'; name: string; namespace: string }
  | { kind: 'address'; address: string }
  | { kind: 'dns'; name: string }
  | { kind: 'localhost' };

/** The context Emissary originates TLS with when none is named. */
export const DEFAULT_UPSTREAM_CONTEXT = 'no-cert-upstream';

export interface EmissaryEnvironment {
  /** The namespace Emissary runs in: bare names of Mappings there are not qualified. */
  namespace: string;
  /** The Ambassador Module's `use_ambassador_namespace_for_service_resolution`: never qualify bare names. */
  useAmbassadorNamespace: boolean;
  /** Whether a TLSContext of this name exists. */
  hasTlsContext: (name: string) => boolean;
}

export interface BuiltCluster {
  built: true;
  /** The cluster is used; otherwise Emissary ignores it and routes nothing for this Mapping. */
  valid: boolean;
  tls: boolean;
  /** The TLS context used, undefined without TLS. */
  tlsContext?: string;
  normalized: string;
  /** Lower-case host of the cluster, `unknown` when there is none. */
  host: string;
  port: number;
  endpoint: Endpoint;
  errors: EmissaryError[];
  /** Emissary's own words for each error, for messages. */
  errorText: string[];
}

/** Building the cluster raised (an unbalanced or invalid `[...]`): only the normaliser's errors were logged. */
export interface FailedCluster {
  built: false;
  valid: false;
  failure: string;
  errors: Array<EmissaryError | 'cluster-construction-failed'>;
  errorText: string[];
}

export type EmissaryReading = BuiltCluster | FailedCluster;

function unquote(text: string): string {
  // Runs of ASCII are percent-decoded as UTF-8 bytes; anything else is kept.
  return text.replace(/[\u0000-\u007f]+/g, (run) => {
    if (!run.includes('%')) return run;
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i++) {
      const hex = run.slice(i + 1, i + 3);
      if (run[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(run.charCodeAt(i));
      }
    }
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  });
}

const QUOTE_SAFE = /^[A-Za-z0-9_.\-~!$&'()*+,;=:[\]<>"]$/;

function quote(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 128 && QUOTE_SAFE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Whether `service` starts with a URL scheme and `://`, or with `//`; otherwise Emissary parses it as `//service`. */
function readsAsUrl(service: string): boolean {
  return (service.indexOf(':') > 0 && service.replace(/^[A-Za-z0-9+.-]+/, '').startsWith('://')) || service.startsWith('//');
}

/** The service with the host normalised, or as written (with the reason) when Python cannot parse it. */
export function normalizeService(service: string, mappingNamespace: string, env: EmissaryEnvironment): { service: string; problem?: string } {
  const split = splitUrl(readsAsUrl(service) ? service : `//${service}`);
  if (!split.ok) return { service, problem: split.reason };
  const hostname = hostnameOf(split.url);
  if (hostname === undefined) return { service, problem: 'no host' };
  const badEscape = (hostname.match(/%[^\n]{0,2}/g) ?? []).find((seq) => !/^%[0-9a-fA-F]{2}$/.test(seq));
  if (badEscape !== undefined) return { service, problem: `the host has the invalid escape ${badEscape}` };
  const port = portOf(split.url);
  if (!port.ok) return { service, problem: port.reason };
  let host = unquote(hostname);
  const qualified = host.includes('.') || host.includes(':') || host === 'localhost';
  if (mappingNamespace !== '' && mappingNamespace !== env.namespace && !env.useAmbassadorNamespace && !qualified) host += `.${mappingNamespace}`;
  let out = quote(host);
  if (out.includes(':')) out = `[${out}]`;
  if (split.url.scheme !== '') out = `${split.url.scheme}://${out}`;
  if (port.port) out += `:${port.port}`;
  return { service: out };
}

/**
 * Where the cluster's DNS leads a host: an IP is an address; `name.ns`, `name.ns.svc` and `name.ns.svc.cluster.local`
 * (also with a trailing dot) are Service `name` in `ns`; a bare name is a Service in Emissary's namespace;
 * `localhost` is Emissary's own pod; anything else is an external name.
 */
export function resolveEndpoint(host: string, env: EmissaryEnvironment): Endpoint {
  if (isIpAddress(host)) return { kind: 'address', address: host };
  if (host === 'localhost') return { kind: 'localhost' };
  const labels = host.split('.');
  if (labels.length === 1) return { kind: 'service', name: host, namespace: env.namespace };
  const [name, namespace, ...suffix] = labels as [string, string, ...string[]];
  const domain = suffix.join('.');
  if (namespace !== '' && (domain === '' || domain === 'svc' || domain === 'svc.cluster.local' || domain === 'svc.cluster.local.')) {
    return { kind: 'service', name, namespace };
  }
  return { kind: 'dns', name: host };
}

/**
 * Emissary's reading of a Mapping's `service` and `tls` as its Python receives them. `tls` is the TLSContext name,
 * or `true` for the default context (v2 and x.getambassador.io only); anything falsy asks for none.
 */
export function readUpstream(service: string, tls: unknown, mappingNamespace: string, env: EmissaryEnvironment): EmissaryReading {
  const errors: EmissaryError[] = [];
  const errorText: string[] = [];
  const log = (code: EmissaryError, text: string) => {
    errors.push(code);
    errorText.push(text);
  };
  const normalized = normalizeService(service, mappingNamespace, env);
  if (normalized.problem !== undefined) log('malformed-service', `cannot normalise \`${service}\`: ${normalized.problem}`);
  let rest = normalized.service;
  // A context exists when `tls` is true (the default context) or names an existing TLSContext.
  let context: string | undefined;
  if (tls === true) context = DEFAULT_UPSTREAM_CONTEXT;
  else if (typeof tls === 'string' && tls !== '') {
    if (env.hasTlsContext(tls)) context = tls;
    else log('tls-context-undefined', `TLSContext ${tls} does not exist`);
  }
  let originateTls = false;
  const lower = rest.toLowerCase();
  if (lower.startsWith('https://')) {
    rest = rest.slice('https://'.length);
    originateTls = true;
  } else if (lower.startsWith('http://')) {
    rest = rest.slice('http://'.length);
    if (context !== undefined) {
      log('tls-context-with-http', `TLS is originated with ${tls === true ? 'the default context' : `TLSContext ${String(tls)}`} although the service says http://`);
      originateTls = true;
    }
  } else if (context !== undefined) {
    originateTls = true;
  }
  const schemeEnd = rest.indexOf('://');
  if (schemeEnd >= 0) {
    log('unknown-scheme', `the unknown scheme ${rest.slice(0, schemeEnd)}:// is stripped and the rest routed as ${originateTls ? 'HTTPS' : 'plain HTTP'}`);
    rest = rest.slice(schemeEnd + 3);
  }
  const split = splitUrl(`random://${rest}`);
  if (!split.ok) {
    const failure = `no cluster can be built: ${split.reason}`;
    const logged = normalized.problem === undefined ? 0 : 1;
    return { built: false, valid: false, failure, errors: [...errors.slice(0, logged), 'cluster-construction-failed'], errorText: [...errorText.slice(0, logged), failure] };
  }
  const url = split.url;
  if (url.path !== '' || url.query !== '' || url.fragment !== '') {
    log('extra-url-components', `everything after the host and port of \`${rest}\` is ignored`);
  }
  let valid = true;
  const found = hostnameOf(url);
  if (found === undefined) {
    log('no-hostname', `\`${rest}\` has no host: the Mapping is ignored`);
    valid = false;
  }
  const host = found ?? 'unknown';
  const parsedPort = portOf(url);
  if (!parsedPort.ok) {
    log('invalid-port', `${parsedPort.reason}: the Mapping is ignored`);
    valid = false;
  }
  const port = (parsedPort.ok && parsedPort.port) || (originateTls ? 443 : 80);
  return {
    built: true,
    valid,
    tls: originateTls,
    ...(originateTls ? { tlsContext: context ?? DEFAULT_UPSTREAM_CONTEXT } : {}),
    normalized: normalized.service,
    host,
    port,
    endpoint: resolveEndpoint(host, env),
    errors,
    errorText,
  };
}
