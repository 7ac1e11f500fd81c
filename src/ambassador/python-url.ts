// URL splitting exactly as Emissary's Python (urllib.parse of CPython 3.11/3.13) does it, because Emissary decides a
// Mapping's host and port with it: where the scheme ends, which brackets are refused, how the port is read, and that
// the host is lower-cased. Errors are values, carrying Python's reason.
import { isIpv4, isIpv6 } from './ip-address.js';

export interface SplitUrl {
  /** Lower-cased, '' when none. */
  scheme: string;
  netloc: string;
  /** Path, query and fragment are only checked for being present. */
  path: string;
  query: string;
  fragment: string;
}

export type Split = { ok: true; url: SplitUrl } | { ok: false; reason: string };

const SCHEME_CHARS = /^[A-Za-z0-9+.-]$/;
// Leading C0 controls and spaces are stripped; tabs and line breaks are removed anywhere.
const LEADING_C0_OR_SPACE = /^[\u0000-\u0020]+/;
const UNSAFE = /[\t\r\n]/g;

function checkBracketedHost(host: string): string | undefined {
  if (host.startsWith('v')) return /^v[a-fA-F0-9]+\..+$/s.test(host) ? undefined : `[${host}] is not a valid IPvFuture address`;
  if (isIpv4(host)) return `[${host}]: an IPv4 address in brackets`;
  return isIpv6(host) ? undefined : `[${host}] is not an IPv6 address`;
}

export function splitUrl(text: string): Split {
  let rest = text.replace(LEADING_C0_OR_SPACE, '').replace(UNSAFE, '');
  let scheme = '';
  let netloc = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z]$/.test(rest[0]!) && [...rest.slice(0, colon)].every((c) => SCHEME_CHARS.test(c))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
    if (netloc.includes('[') !== netloc.includes(']')) return { ok: false, reason: 'unbalanced [ ]' };
    if (netloc.includes('[')) {
      const bracketed = netloc.slice(netloc.indexOf('[') + 1).split(']')[0]!;
      const problem = checkBracketedHost(bracketed);
      if (problem) return { ok: false, reason: problem };
    }
  }
  let fragment = '';
  let query = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  const question = rest.indexOf('?');
  if (question >= 0) [rest, query] = [rest.slice(0, question), rest.slice(question + 1)];
  return { ok: true, url: { scheme, netloc, path: rest, query, fragment } };
}

/** Host and port text of a netloc: after any `user@`, inside brackets when there are some. */
function hostInfo(netloc: string): { host: string; port: string | undefined } {
  const info = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = info.indexOf('[');
  let host: string;
  let port: string;
  if (open >= 0) {
    const bracketed = info.slice(open + 1);
    const close = bracketed.indexOf(']');
    host = close < 0 ? bracketed : bracketed.slice(0, close);
    const after = close < 0 ? '' : bracketed.slice(close + 1);
    port = after.includes(':') ? after.slice(after.indexOf(':') + 1) : '';
  } else {
    const colon = info.indexOf(':');
    host = colon < 0 ? info : info.slice(0, colon);
    port = colon < 0 ? '' : info.slice(colon + 1);
  }
  return { host, port: port === '' ? undefined : port };
}

/** The host, lower-cased except for an IPv6 zone; undefined when there is none. */
export function hostnameOf(url: SplitUrl): string | undefined {
  const { host } = hostInfo(url.netloc);
  if (host === '') return undefined;
  const percent = host.indexOf('%');
  return percent < 0 ? host.toLowerCase() : `${host.slice(0, percent).toLowerCase()}${host.slice(percent)}`;
}

export type Port = { ok: true; port: number | undefined } | { ok: false; reason: string };

/** ASCII digits only: no sign, no white space. */
const DIGITS = /^[0-9]+$/;

export function portOf(url: SplitUrl): Port {
  const { port } = hostInfo(url.netloc);
  if (port === undefined) return { ok: true, port: undefined };
  if (!DIGITS.test(port)) return { ok: false, reason: `the port '${port}' is not a number` };
  const value = Number(port);
  if (value > 65535) return { ok: false, reason: `the port ${port} is above 65535` };
  return { ok: true, port: value };
}
