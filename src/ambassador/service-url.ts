// A Mapping's `spec.service` as spelled, `[scheme://]host[:port][/path]`, so that the plugin can write equivalent
// spellings; and which services the plugin accepts: those Emissary routes without logging an error, plus the forms
// Emissary only warns about (a trailing `/`, `http://` with a TLS context).
import type { UpstreamSpec } from './api-conversion.js';
import { EMISSARY_NAMESPACE, readMappingUpstream, type EmissarySetup, type MappingUpstream, type Upstream } from './upstream.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A name a Service (or namespace) can have. */
export function isServiceName(name: string): boolean {
  return DNS_LABEL.test(name);
}

export interface ServiceUrl {
  /** The scheme as written, without `://`; undefined when there is none. */
  scheme?: string;
  /** As written, with the brackets of an IPv6 address. */
  host: string;
  /** As written; '' for an empty port (`name:`), undefined when there is no `:`. */
  port?: string;
  /** Everything from the first `/`, `?` or `#` after the host. */
  path: string;
}

export function splitService(text: string): ServiceUrl {
  const schemeEnd = text.indexOf('://');
  const scheme = schemeEnd < 0 ? undefined : text.slice(0, schemeEnd);
  const rest = schemeEnd < 0 ? text : text.slice(schemeEnd + 3);
  const pathStart = rest.search(/[/?#]/);
  const authority = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const path = pathStart < 0 ? '' : rest.slice(pathStart);
  const close = authority.startsWith('[') ? authority.indexOf(']') : -1;
  const colon = authority.indexOf(':', close < 0 ? 0 : close);
  const host = colon < 0 ? authority : authority.slice(0, colon);
  return { ...(scheme !== undefined ? { scheme } : {}), host, ...(colon >= 0 ? { port: authority.slice(colon + 1) } : {}), path };
}

export function formatServiceUrl(url: ServiceUrl): string {
  return `${url.scheme !== undefined ? `${url.scheme}://` : ''}${url.host}${url.port !== undefined ? `:${url.port}` : ''}${url.path}`;
}

export type ServiceCheck =
  | { ok: true; url: ServiceUrl; read: MappingUpstream; upstream: Upstream; /** What Emissary warns or logs about a service it still routes. */ notes: string[] }
  | { ok: false; problem: string; hint: string };

/** Whether Emissary routes this service as meant; a problem names what Emissary does with it instead. */
export function checkService(apiVersion: string, spec: UpstreamSpec, namespace: string, setup?: EmissarySetup): ServiceCheck {
  const text = spec.service;
  const url = splitService(text);
  const read = readMappingUpstream(apiVersion, spec, namespace, setup);
  const fail = (problem: string, hint: string): ServiceCheck => ({ ok: false, problem: `service \`${text}\` ${problem}`, hint });
  const has = (code: string) => read.errors.includes(code as never);
  if (/\s/.test(text)) return fail('contains white space, which Emissary strips or escapes before it reads the host', 'write the service without spaces or line breaks');
  if (has('invalid-port')) {
    return fail(
      `has the port \`${url.port}\`, which is not a number from 0 to 65535: Emissary ignores the Mapping and routes nothing`,
      "write the Service's port number, e.g. :8443 (a named port is not looked up)",
    );
  }
  if (has('no-hostname') || has('malformed-service') || has('cluster-construction-failed') || !read.upstream) {
    return fail(`cannot be read as [scheme://]host[:port]: ${read.errorText.join('; ') || 'Emissary routes nothing for it'}`, 'write it as [scheme://]host[:port], an IPv6 host in brackets');
  }
  const host = read.upstream.host;
  if (host.kind === 'service' && ![host.name, host.namespace].every((label) => isServiceName(label) || label === EMISSARY_NAMESPACE)) {
    return fail(`names Service \`${host.name}\` in namespace \`${host.namespace}\`, which cannot exist`, 'Service and namespace names are lower-case letters, digits and -, at most 63 characters');
  }
  // Emissary drops a path while it normalises the name (and warns when it cannot); only a trailing / is harmless.
  if (url.path !== '' && url.path !== '/') {
    return fail(
      `has the path, query or fragment \`${url.path}\`: Emissary ignores everything but the host and port`,
      'move a path into `rewrite` or `prefix`; a trailing / alone is accepted',
    );
  }
  const notes: string[] = [];
  if (has('unknown-scheme')) {
    notes.push(
      `Emissary strips the scheme \`${url.scheme}://\` with an error and routes \`${text}\` as ${read.upstream.tls ? 'HTTPS' : 'plain HTTP'}; for HTTP/2 write http:// or https:// and set \`grpc: true\` (there is no grpc:// or h2c:// scheme)`,
    );
  }
  if (has('tls-context-with-http')) notes.push(`Emissary originates TLS for \`${text}\` although it says http://, because tls is set (it logs a warning)`);
  if (url.path === '/') notes.push(`Emissary ignores the trailing / of \`${text}\``);
  return { ok: true, url, read, upstream: read.upstream, notes };
}
