// Which Emissary Hosts a Mapping joins. With strict label selectors (Emissary's default), a Host that has a
// mappingSelector takes a Mapping only when the Mapping's labels match the selector, and, when the Mapping names a
// hostname, when that hostname matches the Host's too. The Argo Rollouts controller copies a base into its canary
// without any metadata: a base that joins a Host through its labels leaves its canary off that Host.
import { getPath, isRecord, metadataOf, type Indexed, type KubeObject } from '../manifests/manifest.js';

export type Labels = Record<string, string>;

/** getambassador.io Hosts of every served version, and Emissary 2.0.0–2.0.3's x.getambassador.io AmbassadorHost. */
export function isHostKind(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  return (kind === 'Host' && apiVersion.startsWith('getambassador.io/')) || (kind === 'AmbassadorHost' && apiVersion.startsWith('x.getambassador.io/'));
}

/** The string labels of an object (the API server refuses any other value). */
export function labelsOf(object: KubeObject): Labels {
  const labels = metadataOf(object).labels;
  if (!isRecord(labels)) return {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** v3alpha1 calls it mappingSelector; v2 called it selector (v3alpha1 still reads that as a deprecated alias). */
function selectorOf(host: KubeObject): unknown {
  return getPath(host, ['spec', 'mappingSelector']) ?? getPath(host, ['spec', 'selector']);
}

function expressionMatches(expression: unknown, labels: Labels): boolean {
  if (!isRecord(expression) || typeof expression.key !== 'string') return false;
  const has = Object.hasOwn(labels, expression.key);
  const values = Array.isArray(expression.values) ? expression.values : [];
  switch (expression.operator) {
    case 'In':
      return has && values.includes(labels[expression.key]);
    case 'NotIn':
      return !has || !values.includes(labels[expression.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // The API server refuses any other operator: such a selector selects nothing.
      return false;
  }
}

/** A Kubernetes label selector: every matchLabels pair and every matchExpressions requirement must hold. */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value) && expressions.every((e) => expressionMatches(e, labels));
}

/** Emissary's host globs: `*`, a leading `*.` or a trailing `*`; true when some hostname could match both. */
export function hostGlobsOverlap(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === '*' || y === '*') return true;
  const prefix = (glob: string) => glob.startsWith('*');
  const suffix = (glob: string) => glob.endsWith('*');
  if (prefix(x) && prefix(y)) return x.endsWith(y.slice(1)) || y.endsWith(x.slice(1));
  if (suffix(x) && suffix(y)) return x.startsWith(y.slice(0, -1)) || y.startsWith(x.slice(0, -1));
  if (prefix(x) || prefix(y)) {
    const [glob, other] = prefix(x) ? [x, y] : [y, x];
    return suffix(other) || other.endsWith(glob.slice(1));
  }
  if (suffix(x) || suffix(y)) {
    const [glob, other] = suffix(x) ? [x, y] : [y, x];
    return other.startsWith(glob.slice(0, -1));
  }
  return x === y;
}

/** The hostname a Mapping asks for: v3alpha1 `hostname`, else `host` (a regular expression with `host_regex`). */
function mappingHostname(mapping: KubeObject): string | undefined {
  const spec = getPath(mapping, ['spec']);
  const hostname = getPath(spec, ['hostname']);
  if (typeof hostname === 'string' && hostname !== '') return hostname;
  const host = getPath(spec, ['host']);
  // A regular expression could match anything: assume it matches the Host.
  if (typeof host !== 'string' || host === '' || getPath(spec, ['host_regex']) === true) return undefined;
  return host;
}

export interface StrandingHost {
  host: Indexed;
  /** The selector as written, for messages. */
  selector: unknown;
}

/**
 * The Hosts that take `mapping` through its labels but would not take a copy of it without labels (the controller's
 * canary), among `hosts`. A selector that an empty label set satisfies takes the copy too, and a Host whose hostname
 * the Mapping's does not match takes neither.
 */
export function hostsStrandingCopy(mapping: KubeObject, labels: Labels, hosts: readonly Indexed[]): StrandingHost[] {
  const hostname = mappingHostname(mapping);
  return hosts.flatMap((host) => {
    const selector = selectorOf(host.manifest.object);
    if (selector === undefined || !selectorMatches(selector, labels) || selectorMatches(selector, {})) return [];
    const hostHostname = getPath(host.manifest.object, ['spec', 'hostname']);
    const glob = typeof hostHostname === 'string' && hostHostname !== '' ? hostHostname : '*';
    return hostname === undefined || hostGlobsOverlap(glob, hostname) ? [{ host, selector }] : [];
  });
}

/** `matchLabels {app: identity}` and the like, for messages. */
export function describeSelector(selector: unknown): string {
  return JSON.stringify(selector);
}
