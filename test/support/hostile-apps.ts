// Inputs that once cost more than linear time or overflowed the stack (issue 10), within the default limits. The
// hostile-input tests check what each one gives; `npm run bench` times them (bench/hostile.ts). Pure: the files are
// returned, not written.

/** An app as files (paths relative to the app directory), the generate flags to render it with, and what it gives. */
export interface HostileApp {
  name: string;
  files: Record<string, string>;
  args: string[];
  /** The diagnostic code of a render that must fail, or undefined for one that must succeed. */
  fails?: string;
  /** What stderr must then show, beyond the code. */
  stderr?: RegExp;
}

/** A Mapping in namespace shop to the Service web, with `extra` lines at the end of its spec. */
export function mapping(name: string, extra = ''): string {
  return `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: ${name}
  namespace: shop
spec:
  prefix: /${name}/
  service: https://web:443
${extra}`;
}

/** The Rollout web in namespace shop, naming `mappings` as its base Mappings. */
export function rollout(mappings: readonly string[]): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: example/web:1.0
  strategy:
    canary:
      stableService: web
      canaryService: web-canary
      trafficRouting:
        ambassador:
          mappings:
${mappings.map((name) => `            - ${name}\n`).join('')}`;
}

function range<T>(count: number, item: (i: number) => T): T[] {
  return Array.from({ length: count }, (_, i) => item(i));
}

/** A Rollout naming `missing` Mappings that do not exist, next to `present` Mappings: each name a lookup. */
export function missingMappings(present = 9_000, missing = 200_000): HostileApp {
  return {
    name: `Rollout naming ${missing.toLocaleString('en')} missing Mappings, next to ${present.toLocaleString('en')} Mappings`,
    files: {
      'mappings.yaml': range(present, (i) => mapping(`m${i}`)).join('---\n'),
      'rollout.yaml': rollout(range(missing, (i) => `missing${i}`)),
    },
    args: [],
    fails: 'mapping-not-found',
  };
}

/** One Rollout naming all of `count` Mappings as its bases: every base rewritten, each checked for a canary clash. */
export function manyBases(count = 9_000): HostileApp {
  const names = range(count, (i) => `m${i}`);
  return {
    name: `Rollout naming ${count.toLocaleString('en')} base Mappings`,
    files: { 'mappings.yaml': names.map((name) => mapping(name)).join('---\n'), 'rollout.yaml': rollout(names) },
    args: [],
  };
}

/**
 * One Rollout naming `count` Mappings, each with 40 labels, and `count` Hosts whose mappingSelector asks for them:
 * `identical`, all 40, so that every Host takes every base, `count`² pairs; `missing`, the same and a label no Mapping
 * has, so that no Host takes any base but a naive check tries every pair; `distinct`, 28 of them and a different
 * choice of the other 12 for each Host (up to 4,096), so that every Host takes every base and no two are alike.
 */
export function hostsOverBases(count = 4_000, selectors: 'identical' | 'missing' | 'distinct' = 'identical'): HostileApp {
  const labels = range(40, (i) => `l${i}: v${i}`);
  const selector = (i: number) => (selectors === 'missing' ? [...labels, 'absent: x'] : selectors === 'identical' ? labels : labels.filter((_, j) => j >= 12 || (i >> j) & 1));
  const names = range(count, (i) => `m${i}`);
  const labelled = (name: string) => mapping(name).replace('  namespace: shop\n', `  namespace: shop\n  labels:\n${labels.map((l) => `    ${l}\n`).join('')}`);
  const host = (i: number) => `apiVersion: getambassador.io/v3alpha1
kind: Host
metadata:
  name: h${i}
  namespace: shop
spec:
  hostname: "*"
  mappingSelector:
    matchLabels:
${selector(i).map((l) => `      ${l}\n`).join('')}`;
  const takes = { identical: 'takes', missing: 'misses', distinct: 'takes, each in its own way,' }[selectors];
  const fails = { identical: 'host-selects-base', missing: undefined, distinct: 'too-many-host-checks' }[selectors];
  // The limit comes first, located at the first base left unchecked.
  const stderr = selectors === 'distinct' ? /^mappings\.yaml:\d+:5: error\[too-many-host-checks\]: checking which Hosts take Mapping shop\/m\d+ through its labels would pass 5,000,000 checks/ : undefined;
  return {
    name: `${count.toLocaleString('en')} Hosts whose mappingSelector ${takes} each of ${count.toLocaleString('en')} base Mappings`,
    files: { 'mappings.yaml': names.map(labelled).join('---\n'), 'hosts.yaml': range(count, host).join('---\n'), 'rollout.yaml': rollout(names) },
    args: [],
    ...(fails ? { fails } : {}),
    ...(stderr ? { stderr } : {}),
  };
}

/** A ConfigMap in every directory of a chain `levels` deep, as in d/d/d/…/cm.yaml. */
function deepTree(levels: number): Record<string, string> {
  return Object.fromEntries(
    range(levels, (level): [string, string] => [`${'d/'.repeat(level)}cm.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${level}\n  namespace: shop\n`]),
  );
}

/** `exclude` globs from the config file (the repository is what is hostile), over a tree `levels` directories deep. */
function globsOverDeepTree(name: string, globs: readonly string[], levels: number, fails?: string): HostileApp {
  const config = `exclude:\n${globs.map((glob) => `  - ${JSON.stringify(glob)}\n`).join('')}`;
  return { name, files: { ...deepTree(levels), '.canary-mapping.yaml': config }, args: [], ...(fails ? { fails } : {}) };
}

/** The costliest glob the bounds allow: 256 characters, 8 `**`, the rest `*?` pairs that keep states alive. */
const worstGlob = `${'**/'.repeat(8)}${'*?'.repeat(116)}`;

export const hostileApps: (() => HostileApp)[] = [
  missingMappings,
  manyBases,
  () => globsOverDeepTree('a 3 KB exclude glob (`**/` x 1000) over a 60-level tree', [`${'**/'.repeat(1000)}x.yaml`], 60, 'invalid-setting'),
  () => globsOverDeepTree('an exclude glob of 5,000 nested braces', ['{'.repeat(5000) + '}'.repeat(5000)], 60, 'invalid-setting'),
  () => globsOverDeepTree('the worst exclude glob within the bounds over a 60-level tree', [worstGlob], 60),
  () => globsOverDeepTree('3,000 exclude globs of 248 characters with 8 `**` each over a 40-level tree', Array.from({ length: 3_000 }, (_, i) => `${'**/a'.repeat(8)}${'*?'.repeat(107)}x${i % 10}`), 40, 'invalid-setting'),
  // Four of the worst glob fill the bound on the list's characters.
  () => globsOverDeepTree('the worst exclude list within the bounds over a 60-level tree', Array(4).fill(worstGlob), 60),
  () => hostsOverBases(4_000, 'identical'),
  () => hostsOverBases(4_000, 'missing'),
  () => hostsOverBases(4_000, 'distinct'),
];
