// Which Emissary Hosts a Mapping joins. With strict label selectors (Emissary's default), a Host that has a
// mappingSelector takes a Mapping only when the Mapping's labels match the selector, and, when the Mapping names a
// hostname, when that hostname matches the Host's too. The Argo Rollouts controller copies a base into its canary
// without any metadata: a base that joins a Host through its labels leaves its canary off that Host.
import { diagnostic, formatLocation, type Diagnostic } from '../diagnostics/diagnostics.js';
import { locate } from '../manifests/locate.js';
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

/** A Kubernetes label selector, read once: every matchLabels pair and every matchExpressions requirement must hold. */
function compileSelector(selector: unknown): (labels: Labels) => boolean {
  if (!isRecord(selector)) return () => false;
  const pairs = Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {});
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return (labels) => {
    for (const [key, value] of pairs) if (labels[key] !== value) return false;
    return expressions.every((e) => expressionMatches(e, labels));
  };
}

export function selectorMatches(selector: unknown, labels: Labels): boolean {
  return compileSelector(selector)(labels);
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

/** The Hosts that take a Mapping but not its copy: the first few by name, and how many in all. */
export interface Stranding {
  /** In the order of the input, at most NAMED_HOSTS: every Host may take every base, and N×M names help nobody. */
  hosts: StrandingHost[];
  count: number;
}

/** How many of the Hosts that take a base a message names; the rest are counted. */
export const NAMED_HOSTS = 5;

interface HostEntry extends StrandingHost {
  /** Position in the input, so that results keep its order. */
  order: number;
}

/** Hosts with one selector as written: it is checked once per base for all of them. */
interface SelectorGroup {
  selector: unknown;
  matches: (labels: Labels) => boolean;
  /** Its matchLabels and matchExpressions: what checking it against one label set costs. */
  requirements: number;
  /** By lower-cased hostname glob, each in input order. */
  byGlob: Map<string, HostEntry[]>;
}

/**
 * How many checks (a requirement of a Host selector, or a Host hostname, against one base) one render or audit may
 * spend on Hosts; about a second of work. A real app spends a few per base; only Hosts with thousands of distinct
 * selectors that each need checking against thousands of bases reach it (docs/performance.md).
 */
export const MAX_HOST_CHECKS = 5_000_000;

/**
 * The Hosts that may take a Mapping through its labels, compiled once per render: a Host whose selector an empty
 * label set satisfies, or that no label set satisfies, is dropped; the others are grouped by selector and each group
 * is filed under one label its selector requires, the one rarest among the Mappings' labels. A base is then checked
 * only against the groups filed under its own labels, and a group that requires a label no Mapping has is never
 * checked: the cost follows the matches, not Hosts × Mappings.
 */
export interface HostIndex {
  /** How many Hosts the render holds, selecting or not. */
  size: number;
  byPair: Map<string, Map<string, SelectorGroup[]>>;
  /** Groups that require a key only (`In`, `Exists`), filed under it. */
  byKey: Map<string, SelectorGroup[]>;
  /** Checks spent so far, up to MAX_HOST_CHECKS. */
  spent: number;
  /** The base whose checks would have passed MAX_HOST_CHECKS: it and every base after it are not checked. */
  exhaustedAt?: Indexed;
}

/** What a selector requires that an empty label set lacks: its matchLabels pairs, and the keys of In and Exists. */
function requirementsOf(selector: Record<string, unknown>): { pairs: Array<[string, string]>; keys: string[]; requirements: number } {
  const matchLabels = Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {});
  const pairs = matchLabels.filter((pair): pair is [string, string] => typeof pair[1] === 'string');
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const keys = expressions.flatMap((e) => (isRecord(e) && typeof e.key === 'string' && (e.operator === 'In' || e.operator === 'Exists') ? [e.key] : []));
  return { pairs, keys, requirements: matchLabels.length + expressions.length };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The item of least count, the first of equals; undefined for no items. */
function rarest<T>(items: readonly T[], count: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((a, b) => (a === undefined || count(b) < count(a) ? b : a), undefined);
}

/** `hosts` compiled for `hostsStrandingCopy`; `mappings` are the objects whose labels decide which label is rare. */
export function indexHosts(hosts: readonly Indexed[], mappings: readonly Indexed[]): HostIndex {
  const pairCount = new Map<string, Map<string, number>>();
  const keyCount = new Map<string, number>();
  for (const mapping of mappings) {
    for (const [key, value] of Object.entries(labelsOf(mapping.manifest.object))) {
      const values = pairCount.get(key) ?? new Map<string, number>();
      pairCount.set(key, values.set(value, (values.get(value) ?? 0) + 1));
      keyCount.set(key, (keyCount.get(key) ?? 0) + 1);
    }
  }
  const groups = new Map<string, SelectorGroup>();
  const index: HostIndex = { size: hosts.length, byPair: new Map(), byKey: new Map(), spent: 0 };
  hosts.forEach((host, order) => {
    const selector = selectorOf(host.manifest.object);
    if (!isRecord(selector) || selectorMatches(selector, {})) return;
    const hostHostname = getPath(host.manifest.object, ['spec', 'hostname']);
    const glob = typeof hostHostname === 'string' && hostHostname !== '' ? hostHostname.toLowerCase() : '*';
    const written = describeSelector(selector);
    const known = groups.get(written);
    if (known) {
      push(known.byGlob, glob, { host, selector: known.selector, order });
      return;
    }
    // An empty label set fails the selector, so it requires a pair or a key; a requirement no label set meets
    // (a value that is not a string, an unknown operator) leaves neither, and the Host selects nothing.
    const { pairs, keys, requirements } = requirementsOf(selector);
    const group: SelectorGroup = { selector, matches: compileSelector(selector), requirements, byGlob: new Map([[glob, [{ host, selector, order }]]]) };
    groups.set(written, group);
    const pair = rarest(pairs, ([k, v]) => pairCount.get(k)?.get(v) ?? 0);
    const key = rarest(keys, (k) => keyCount.get(k) ?? 0);
    if (pair) {
      const values = index.byPair.get(pair[0]) ?? new Map<string, SelectorGroup[]>();
      index.byPair.set(pair[0], values);
      push(values, pair[1], group);
    } else if (key !== undefined) push(index.byKey, key, group);
  });
  return index;
}

/**
 * The Hosts that take `mapping` through its labels but would not take a copy of it without labels (the controller's
 * canary), nor, when `copyLabels` are given, a copy with those (a live canary). A selector that an empty label set
 * satisfies takes the copy too, and a Host whose hostname the Mapping's does not match takes neither.
 */
export function hostsStrandingCopy(mapping: Indexed, index: HostIndex, copyLabels?: Labels): Stranding {
  if (index.exhaustedAt) return { hosts: [], count: 0 };
  const labels = labelsOf(mapping.manifest.object);
  const hostname = mappingHostname(mapping.manifest.object);
  const candidates = Object.entries(labels).flatMap(([key, value]) => [...(index.byPair.get(key)?.get(value) ?? []), ...(index.byKey.get(key) ?? [])]);
  const cost = candidates.reduce((sum, group) => sum + group.requirements + group.byGlob.size, 0);
  if (index.spent + cost > MAX_HOST_CHECKS) {
    index.exhaustedAt = mapping;
    return { hosts: [], count: 0 };
  }
  index.spent += cost;
  const buckets = candidates
    .filter(({ matches }) => matches(labels) && !(copyLabels && matches(copyLabels)))
    .flatMap(({ byGlob }) => [...byGlob].filter(([glob]) => hostname === undefined || hostGlobsOverlap(glob, hostname)).map(([, entries]) => entries));
  // The first few of each bucket, merged: never all of them, which may be every Host for every base.
  const first: HostEntry[] = [];
  for (const entry of buckets.flatMap((entries) => entries.slice(0, NAMED_HOSTS))) {
    if (first.length === NAMED_HOSTS && entry.order > first[NAMED_HOSTS - 1]!.order) continue;
    const at = first.findIndex((e) => e.order > entry.order);
    first.splice(at === -1 ? first.length : at, 0, entry);
    first.length = Math.min(first.length, NAMED_HOSTS);
  }
  return {
    hosts: first.map(({ host, selector }) => ({ host, selector })),
    count: buckets.reduce((sum, entries) => sum + entries.length, 0),
  };
}

/** The error of a render or audit whose Hosts needed more than MAX_HOST_CHECKS checks, at the first base left out. */
export function hostChecksExhausted(index: HostIndex): Diagnostic | undefined {
  const base = index.exhaustedAt;
  if (!base) return undefined;
  return diagnostic(
    'too-many-host-checks',
    `checking which Hosts take Mapping ${base.namespace}/${base.name} through its labels would pass ${MAX_HOST_CHECKS.toLocaleString('en')} checks of Host selectors against base Mappings (${index.size.toLocaleString('en')} Hosts); that Mapping and the rest were not checked`,
    locate(base.manifest.origin, ['metadata', 'labels']),
    "give each Host's mappingSelector a label that only the Mappings it takes carry (a base is checked against the Hosts whose rarest required label it has), or put the hostnames on the Mappings and drop the selectors, or split the app",
  );
}

/** `ns/a, ns/b and 3 more`: the Hosts a message names, each with `detail` when given. */
export function describeStranding({ hosts, count }: Stranding, detail?: (host: StrandingHost) => string): string {
  const names = hosts.map((h) => `${h.host.namespace}/${h.host.name}${detail ? ` (${detail(h)})` : ''}`).join(', ');
  return count > hosts.length ? `${names} and ${(count - hosts.length).toLocaleString('en')} more` : names;
}

/** `Host ns/a (file:line:col) takes Mapping m through its labels (mappingSelector …)`, or the same of several Hosts. */
export function describeTaking(stranding: Stranding, mapping: string): string {
  const at = ({ host }: StrandingHost) => formatLocation(locate(host.manifest.origin, ['spec']));
  const selectors = new Set(stranding.hosts.map(({ selector }) => describeSelector(selector)));
  const [shared] = selectors;
  // One selector (the usual case: a Host per hostname, all selecting one label) is said once, after the Hosts.
  const hosts = describeStranding(stranding, selectors.size === 1 ? at : (h) => `${at(h)}, mappingSelector ${describeSelector(h.selector)}`);
  const takes = stranding.count === 1 ? `Host ${hosts} takes` : `Hosts ${hosts} take`;
  return `${takes} Mapping ${mapping} through its labels${selectors.size === 1 ? ` (mappingSelector ${shared})` : ''}`;
}

/** `matchLabels {app: identity}` and the like, for messages. */
export function describeSelector(selector: unknown): string {
  return JSON.stringify(selector);
}
