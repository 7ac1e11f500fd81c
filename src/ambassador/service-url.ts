// Emissary's `spec.service` grammar: `[scheme://]host[:port]`, where host is a name, `name.namespace`, an FQDN, an
// IPv4 address or a bracketed IPv6 address.

export interface ServiceUrl {
  /** Lower-cased scheme when one is written (`http` or `https`). */
  scheme?: 'http' | 'https';
  /** Host as written, without brackets for IPv6. */
  host: string;
  hostKind: 'name' | 'ipv4' | 'ipv6';
  port?: number;
}

export type ServiceUrlResult = { ok: true; url: ServiceUrl } | { ok: false; problem: string; hint: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;
const DIGITS = /^\d+$/;

function fail(problem: string, hint: string): ServiceUrlResult {
  return { ok: false, problem, hint };
}

export function parseServiceUrl(text: string): ServiceUrlResult {
  if (text !== text.trim() || text === '') {
    return fail(`service \`${text}\` is empty or has surrounding white space`, 'write it as [scheme://]host[:port]');
  }
  let rest = text;
  let scheme: ServiceUrl['scheme'];
  const schemeMatch = SCHEME.exec(rest);
  if (schemeMatch) {
    const written = schemeMatch[1]!.toLowerCase();
    if (written !== 'http' && written !== 'https') {
      return fail(
        `unknown scheme \`${schemeMatch[1]}://\` in service \`${text}\`: Emissary only knows http:// and https:// and strips anything else`,
        'use https:// to originate TLS, http:// or no scheme for plain HTTP, and `grpc: true` for HTTP/2',
      );
    }
    scheme = written;
    rest = rest.slice(schemeMatch[0].length);
  }
  if (/[/?#@\s]/.test(rest)) {
    return fail(
      `service \`${text}\` has a path, query, user or white space: Emissary takes only [scheme://]host[:port]`,
      'move a path into `rewrite` or `prefix`',
    );
  }
  let host: string;
  let hostKind: ServiceUrl['hostKind'];
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    const after = close < 0 ? '' : rest.slice(close + 1);
    host = close < 0 ? '' : rest.slice(1, close);
    if (close < 0 || !IPV6.test(host) || !host.includes(':') || (after !== '' && !after.startsWith(':'))) {
      return fail(`service \`${text}\` has a malformed IPv6 address`, 'write an IPv6 host as [address]:port');
    }
    hostKind = 'ipv6';
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) {
      return fail(`service \`${text}\` has more than one \`:\``, 'an IPv6 host must be in brackets: [address]:port');
    }
    host = parts[0]!.replace(/\.$/, '').toLowerCase();
    portText = parts[1];
    hostKind = IPV4.test(host) ? 'ipv4' : 'name';
    if (hostKind === 'name' && (host === '' || !host.split('.').every((label) => DNS_LABEL.test(label)))) {
      return fail(
        `service \`${text}\` has no valid host: expected a Service name, name.namespace, an FQDN or an IP address`,
        'host labels are lower-case letters, digits and -',
      );
    }
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!DIGITS.test(portText)) {
      return fail(
        `service \`${text}\` names its port \`${portText}\`: Emissary needs a port number, not a named port`,
        "write the Service's port number, e.g. :8443",
      );
    }
    port = Number(portText);
    if (port < 1 || port > 65535) return fail(`service \`${text}\` has port ${portText}, outside 1-65535`, 'use a valid port');
  }
  return { ok: true, url: { ...(scheme ? { scheme } : {}), host, hostKind, ...(port !== undefined ? { port } : {}) } };
}

export function formatServiceUrl(url: ServiceUrl): string {
  const scheme = url.scheme ? `${url.scheme}://` : '';
  const host = url.hostKind === 'ipv6' ? `[${url.host}]` : url.host;
  const port = url.port !== undefined ? `:${url.port}` : '';
  return `${scheme}${host}${port}`;
}
