// From a Rollout to its base Mappings, with every check that protects users: the routing the controller needs, base
// Mappings it can find, a base it can copy without silently serving stable, no canary name already taken.
import { groupOf, kindReadThrough, type AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { rejection } from '../ambassador/api-conversion.js';
import { checkService, isServiceName, type ServiceCheck, type ServiceUrl } from '../ambassador/service-url.js';
import { describeHost, sameHost, type EmissarySetup, type Upstream } from '../ambassador/upstream.js';
import { isOwnOutput, SKIP_ANNOTATION } from './labels.js';
import { locate } from '../manifests/locate.js';
import { getPath, metadataOf, renaming, type Indexed, type Manifest } from '../manifests/manifest.js';
import { canaryMappingName } from '../rollouts/canary-name.js';
import { stableServiceHost, type RolloutServices } from '../rollouts/clone-emulation.js';
import { ambassadorRoutingOf, CANARY_PATH, MAPPINGS_PATH, type AmbassadorRouting } from '../rollouts/rollout.js';
import type { Settings } from '../settings/table.js';
import { diagnostic, formatLocation, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostics.js';

export interface BaseContext {
  rollout: Indexed;
  base: Indexed;
  services: RolloutServices;
  /** The base's service URL as written (split) and its `tls` field. */
  url: ServiceUrl;
  service: string;
  tls: unknown;
  /** What Emissary warns or logs about the base's service although it routes it. */
  notes: string[];
  /** What the base dials. */
  stable: Upstream;
  at: (path: readonly string[]) => SourceLocation;
}

export type BaseResolution = { skipped: false; context: BaseContext } | { skipped: true; rollout: Indexed; base: Indexed };

export interface BaseLookup {
  mappings: readonly Indexed[];
  settings: Pick<Settings, 'strategy' | 'ambassadorApiVersion'>;
  /** What the render shows of Emissary: its Module and TLSContexts. */
  setup: EmissarySetup;
  /** Which Rollout already named a base, across all Rollouts of the app. */
  claimedBy: Map<Indexed, Manifest>;
  /** Which base a canary name (`namespace/name`) is derived from, to refuse two bases sharing one. */
  canaryNames: Map<string, Indexed>;
}

export type RoutingProblem = 'stableService-missing' | 'canaryService-missing' | 'canaryService-not-bare' | 'mappings-invalid';

/** What keeps the controller from copying any base of this routing, in the order the fields are checked. */
export function routingProblems(routing: AmbassadorRouting): RoutingProblem[] {
  const named = (value: unknown): value is string => typeof value === 'string' && value !== '';
  const { mappings, stableService, canaryService } = routing;
  const problems: RoutingProblem[] = [];
  if (!named(stableService)) problems.push('stableService-missing');
  if (!named(canaryService)) problems.push('canaryService-missing');
  else if (!isServiceName(canaryService)) problems.push('canaryService-not-bare');
  if (!Array.isArray(mappings) || mappings.length === 0 || !mappings.every(named)) problems.push('mappings-invalid');
  return problems;
}

function routingDiagnostic(problem: RoutingProblem, rollout: Indexed, routing: AmbassadorRouting): Diagnostic {
  const at = (path: readonly (string | number)[], key = false) => locate(rollout.manifest.origin, path, { key });
  const who = `Rollout ${rollout.namespace}/${rollout.name}`;
  if (problem === 'canaryService-not-bare') {
    return diagnostic(
      'canary-service-not-bare',
      `${who}: canaryService \`${String(routing.canaryService)}\` must be a bare Service name in the Rollout's namespace (lower-case letters, digits and -, at most 63)`,
      at([...CANARY_PATH, 'canaryService']),
      'write only the Service name; the Service must live in the namespace of the Rollout',
    );
  }
  if (problem === 'mappings-invalid') {
    return diagnostic(
      'rollout-mappings-invalid',
      `${who}: trafficRouting.ambassador.mappings must be a non-empty list of Mapping names`,
      at(MAPPINGS_PATH),
      'list the names of the base Mappings in the namespace of the Rollout',
    );
  }
  const field = problem === 'stableService-missing' ? 'stableService' : 'canaryService';
  return diagnostic(
    'rollout-service-missing',
    `${who} routes through Ambassador but has no ${field}`,
    at(CANARY_PATH, true),
    `set spec.strategy.canary.${field} to the name of the ${field === 'stableService' ? 'stable' : 'canary'} Service; the controller needs both to copy the Mapping`,
  );
}

/** A Rollout's Ambassador routing as the controller reads it: its services and base names, or what keeps it from copying any. */
export type Routing = { ok: true; services: RolloutServices; names: string[] } | { ok: false; routing: AmbassadorRouting; problems: RoutingProblem[] };

/** The routing of a Rollout that routes through Ambassador (undefined for any other object): generate and audit read it alike. */
export function routingOf(rollout: Indexed): Routing | undefined {
  const routing = ambassadorRoutingOf(rollout.manifest.object);
  if (!routing) return undefined;
  const problems = routingProblems(routing);
  if (problems.length > 0) return { ok: false, routing, problems };
  return {
    ok: true,
    services: { stableService: routing.stableService as string, canaryService: routing.canaryService as string, namespace: rollout.namespace },
    names: routing.mappings as string[],
  };
}

/**
 * Mappings by name, and renamed Mappings by namespace and written name, built once per list of Mappings (which is
 * never changed once made): a Rollout may name hundreds of thousands of Mappings, an app hold thousands, and a scan
 * of the list per name would take their product.
 */
interface MappingIndex {
  byName: Map<string, Indexed[]>;
  renamed?: Map<string, Indexed>;
}

const indexes = new WeakMap<readonly Indexed[], MappingIndex>();

function indexOf(mappings: readonly Indexed[]): MappingIndex {
  let index = indexes.get(mappings);
  if (!index) {
    index = { byName: groupBy(mappings, (mapping) => mapping.name) };
    indexes.set(mappings, index);
  }
  return index;
}

function groupBy(mappings: readonly Indexed[], key: (mapping: Indexed) => string | undefined): Map<string, Indexed[]> {
  const groups = new Map<string, Indexed[]>();
  for (const mapping of mappings) {
    const value = key(mapping);
    if (value === undefined) continue;
    const group = groups.get(value);
    if (group) group.push(mapping);
    else groups.set(value, [mapping]);
  }
  return groups;
}

/** The Mappings of the list named `name`, in list order. */
export function mappingsNamed(mappings: readonly Indexed[], name: string): readonly Indexed[] {
  return indexOf(mappings).byName.get(name) ?? [];
}

/**
 * What the controller finds under a Rollout's Mapping name: the base (same name and namespace, read through its API
 * version), else a Mapping of that name it cannot see (another kind in the namespace) or one in another namespace.
 * Shared by generate and audit, so both look up bases as the controller does.
 */
export interface BaseFound {
  base?: Indexed;
  /** A Mapping of that name in the Rollout's namespace, of a kind the controller may not read. */
  inNamespace?: Indexed;
  /** One of that name in another namespace. */
  elsewhere?: Indexed;
}

export function lookUpBase(mappings: readonly Indexed[], rollout: Indexed, baseName: string, apiVersion: AmbassadorApiVersion): BaseFound {
  const kind = kindReadThrough(apiVersion);
  const sameName = mappingsNamed(mappings, baseName);
  return {
    base: sameName.find((m) => m.namespace === rollout.namespace && m.group === groupOf(apiVersion) && m.kind === kind),
    inNamespace: sameName.find((m) => m.namespace === rollout.namespace),
    elsewhere: sameName.find((m) => m.namespace !== rollout.namespace),
  };
}

/** Why the controller finds no base under `baseName`. */
function baseNotFound(rollout: Indexed, baseName: string, found: BaseFound, nameAt: () => SourceLocation, lookup: BaseLookup): Diagnostic {
  const { settings } = lookup;
  const controllerKind = kindReadThrough(settings.ambassadorApiVersion);
  const controllerGroup = groupOf(settings.ambassadorApiVersion);
  const who = `Rollout ${rollout.namespace}/${rollout.name}`;
  const { inNamespace, elsewhere } = found;
  const renamed = inNamespace ? undefined : renamedMapping(lookup.mappings, baseName, rollout.namespace);
  const [message, hint] = renamed
    ? [
        `${who} names Mapping ${baseName}, which is not in this app in namespace ${rollout.namespace}: ${renamed.renderer} renamed it to ${renamed.name} (written at ${formatLocation(renamed.at)}) but left the Rollout's reference to it as it was`,
        renamed.hint,
      ]
    : inNamespace
    ? [
        `${who} names Mapping ${baseName}, which is of kind ${inNamespace.kind} (${inNamespace.manifest.object.apiVersion}), but the controller reads ${controllerKind}s through ${settings.ambassadorApiVersion} and would never find it`,
        `set ambassador-api-version to the controller's --ambassador-api-version, or write ${baseName} as a ${controllerGroup} ${controllerKind}`,
      ]
    : [
        `${who} names Mapping ${baseName}, which is not in this app in namespace ${rollout.namespace}`,
        elsewhere
          ? `a Mapping ${baseName} exists in namespace ${elsewhere.namespace} (${formatLocation(locate(elsewhere.manifest.origin))}); base Mappings must live in the Rollout's namespace`
          : 'add the base Mapping to the app, or fix the name in trafficRouting.ambassador.mappings',
      ];
  return diagnostic(inNamespace ? 'mapping-not-visible' : 'mapping-not-found', message, nameAt(), hint);
}

/**
 * A Mapping a renderer (Kustomize's namePrefix, say) renamed away from the name a Rollout still uses. Indexed on the
 * first name not found, since finding what a Mapping was called looks up its source.
 */
function renamedMapping(mappings: readonly Indexed[], writtenName: string, namespace: string) {
  const index = indexOf(mappings);
  const key = (namespace: string, written: string) => JSON.stringify([namespace, written]);
  index.renamed ??= new Map(
    [...groupBy(mappings, (mapping) => {
      const written = renaming(mapping.manifest.origin)?.written;
      return written === undefined ? undefined : key(mapping.namespace, written);
    })].map(([name, group]) => [name, group[0]!]),
  );
  const mapping = index.renamed.get(key(namespace, writtenName));
  const renamed = mapping && renaming(mapping.manifest.origin);
  return mapping && renamed ? { ...renamed, name: mapping.name, at: locate(mapping.manifest.origin) } : undefined;
}

/** The skip annotation as written: "true" skips, absent or "false" keeps, anything else is invalid. */
export function skipOf(base: Indexed): 'skip' | 'keep' | { invalid: unknown } {
  const value = getPath(metadataOf(base.manifest.object).annotations, [SKIP_ANNOTATION]);
  return value === 'true' ? 'skip' : value === undefined || value === 'false' ? 'keep' : { invalid: value };
}

/** Whether the base carries skip: "true"; any value other than "true" or "false" is reported. */
function isSkipped(base: Indexed, diagnostics: Diagnostic[]): boolean {
  const skip = skipOf(base);
  if (typeof skip === 'string') return skip === 'skip';
  diagnostics.push(
    diagnostic(
      'skip-invalid',
      `annotation ${SKIP_ANNOTATION} of Mapping ${base.namespace}/${base.name} is ${JSON.stringify(skip.invalid)}; expected "true" or "false"`,
      locate(base.manifest.origin, ['metadata', 'annotations', SKIP_ANNOTATION]),
      'set it to "true" to leave this Mapping and its canary alone, or remove it',
    ),
  );
  return false;
}

/** A `<base>-canary` committed next to its base, which the plugin does not manage (or, in clone-safe mode, at all). */
function committedCanary(existing: Indexed, base: Indexed, strategy: Settings['strategy']): Diagnostic {
  const weight = getPath(existing.manifest.object, ['spec', 'weight']);
  const weighted = typeof weight === 'number' && weight > 0 ? ` with weight ${weight}` : '';
  const own = isOwnOutput(existing.manifest.object, { guarded: true });
  const why = own
    ? `it is the guarded strategy's output, and this render uses ${strategy}, which leaves the canary to the controller`
    : 'the plugin does not manage it';
  return diagnostic(
    'canary-mapping-exists',
    `Mapping ${existing.name}${weighted} is committed next to its base ${base.name}, and ${why}: Argo Rollouts owns that name (it adopts the object, changes its weight and deletes it at every update) while Argo CD applies it as committed, so the two fight over it`,
    locate(existing.manifest.origin, ['metadata', 'name']),
    own
      ? `render the app's sources rather than the plugin's output, or set strategy guarded to keep emitting ${existing.name}`
      : `remove ${existing.name}; declare the canary through ${base.name} instead (an annotation or the config file; the guarded strategy emits the canary Mapping for you)`,
  );
}

/** The controller cuts base names to 246 characters: two bases that agree that far share one canary Mapping. */
function sharedCanaryName(base: Indexed, canaryName: string, lookup: BaseLookup, problems: Diagnostic[]): boolean {
  const key = `${base.namespace}/${canaryName}`;
  const first = lookup.canaryNames.get(key);
  if (!first) {
    lookup.canaryNames.set(key, base);
    return false;
  }
  problems.push(
    diagnostic(
      'canary-name-collision',
      `base Mappings ${first.name} (${formatLocation(locate(first.manifest.origin, ['metadata', 'name']))}) and ${base.name} share their first 246 characters, so both canaries are named ${canaryName}: the controller would route both Rollouts through one canary Mapping${lookup.settings.strategy === 'guarded' ? ', and the plugin would emit it twice' : ''}`,
      locate(base.manifest.origin, ['metadata', 'name']),
      'rename one of the base Mappings (and its Rollout reference) so that their first 246 characters differ',
    ),
  );
  return true;
}

/** Why neither Emissary nor the controller can use a base's upstream; a refused `tls` is named even without a service. */
export type BaseProblem =
  | { problem: 'service-missing'; refusal?: string }
  | { problem: 'tls-invalid'; refusal: string; tls: unknown }
  | { problem: 'service-invalid'; message: string; hint: string };

/** A base's spec.service and spec.tls as the API server and Emissary read them: generate and audit read bases alike. */
export function readBase(
  base: Indexed,
  services: RolloutServices,
  setup: EmissarySetup,
): { ok: true; service: string; tls: unknown; parsed: ServiceCheck & { ok: true }; dialsStable: boolean } | ({ ok: false } & BaseProblem) {
  const { namespace } = services;
  const { apiVersion } = base.manifest.object;
  const service = getPath(base.manifest.object, ['spec', 'service']);
  const tls = getPath(base.manifest.object, ['spec', 'tls']);
  const refusal = rejection(apiVersion, { tls });
  if (typeof service !== 'string') return { ok: false, problem: 'service-missing', ...(refusal ? { refusal } : {}) };
  if (refusal) return { ok: false, problem: 'tls-invalid', refusal, tls };
  const parsed = checkService(apiVersion, { service, ...(tls !== undefined ? { tls } : {}) }, namespace, setup);
  if (!parsed.ok) return { ok: false, problem: 'service-invalid', message: parsed.problem, hint: parsed.hint };
  // Only a base that dials the stableService is one the controller knows how to turn into the canary.
  return { ok: true, service, tls, parsed, dialsStable: sameHost(parsed.upstream.host, stableServiceHost(services)) };
}

function baseDiagnostic(read: BaseProblem, base: Indexed): Diagnostic {
  const at = (path: readonly string[]) => locate(base.manifest.origin, path);
  const { apiVersion } = base.manifest.object;
  if (read.problem === 'service-missing') {
    return diagnostic('service-missing', `base Mapping ${base.name} has no spec.service`, at(['spec']), 'set spec.service to the stable Service URL, e.g. https://identity:443');
  }
  if (read.problem === 'service-invalid') return diagnostic('service-invalid', `base Mapping ${base.name}: ${read.message}`, at(['spec', 'service']), read.hint);
  return diagnostic(
    'tls-invalid',
    `base Mapping ${base.name}: ${read.refusal} (${JSON.stringify(read.tls)}): the API server refuses the Mapping, so there is neither a base nor a canary`,
    at(['spec', 'tls']),
    `in ${apiVersion}, tls only names a TLSContext: write https:// in spec.service to originate TLS, or use getambassador.io/v2 for tls: true`,
  );
}

function checkBase(rollout: Indexed, base: Indexed, services: RolloutServices, lookup: BaseLookup, diagnostics: Diagnostic[]): BaseContext | undefined {
  const at = (path: readonly string[]) => locate(base.manifest.origin, path);
  const canaryName = canaryMappingName(base.name);
  const existing = mappingsNamed(lookup.mappings, canaryName).find((m) => m.namespace === rollout.namespace);
  // guarded: the plugin's own earlier output (its labels) is replaced by the canary it emits now.
  const refused = existing && !(lookup.settings.strategy === 'guarded' && isOwnOutput(existing.manifest.object, { guarded: true }));
  if (refused) diagnostics.push(committedCanary(existing, base, lookup.settings.strategy));
  const collides = sharedCanaryName(base, canaryName, lookup, diagnostics);
  const weight = getPath(base.manifest.object, ['spec', 'weight']);
  const weighted = weight !== undefined && weight !== 0;
  if (weighted) {
    diagnostics.push(
      diagnostic(
        'base-weight',
        `base Mapping ${base.name} sets weight ${JSON.stringify(weight)}; Argo Rollouts rejects a Rollout whose base Mapping has a weight`,
        at(['spec', 'weight']),
        'remove spec.weight from the base Mapping: the controller sets the weight of the canary copy',
      ),
    );
  }
  const read = readBase(base, services, lookup.setup);
  if (!read.ok) {
    diagnostics.push(baseDiagnostic(read, base));
    return undefined;
  }
  const { service, tls, parsed } = read;
  const stable = parsed.upstream;
  if (!read.dialsStable) {
    diagnostics.push(
      diagnostic(
        'base-not-stable-service',
        `base Mapping ${base.name} sends traffic to ${describeHost(stable.host)}, not to the Rollout's stableService ${services.stableService} in namespace ${rollout.namespace}; the controller would copy it into a canary that still serves stable`,
        at(['spec', 'service']),
        `point spec.service at the stable Service (e.g. ${stable.tls ? 'https' : 'http'}://${services.stableService}:${stable.port}), or give this route its own Mapping outside the Rollout`,
      ),
    );
    return undefined;
  }
  return refused || collides || weighted ? undefined : { rollout, base, services, url: parsed.url, service, tls, notes: parsed.notes, stable, at };
}

/** One name of a Rollout's mappings list, resolved as generate resolves it. */
export interface ResolvedName {
  name: string;
  position: number;
  /** What the controller finds under the name. */
  found: BaseFound;
  /** What generate refuses about the name or its base, each located where it is fixed; empty when it has nothing against them. */
  problems: Diagnostic[];
  resolution?: BaseResolution;
}

/**
 * A Rollout's routing and each base it names, with generate's verdict on each: the one lookup path that generate
 * (which reports the problems) and audit (which maps them to findings) share. Undefined for an object that does not
 * route through Ambassador.
 */
export function resolveRollout(rollout: Indexed, lookup: BaseLookup): { routing: Routing; names: ResolvedName[]; problems: Diagnostic[] } | undefined {
  const routing = routingOf(rollout);
  if (!routing) return undefined;
  if (!routing.ok) return { routing, names: [], problems: routing.problems.map((problem) => routingDiagnostic(problem, rollout, routing.routing)) };
  const { services, names } = routing;
  const resolved = names.map((name, position): ResolvedName => {
    const found = lookUpBase(lookup.mappings, rollout, name, lookup.settings.ambassadorApiVersion);
    const problems: Diagnostic[] = [];
    const resolution = resolveName(rollout, services, { name, position, found }, lookup, problems);
    return { name, position, found, problems, ...(resolution ? { resolution } : {}) };
  });
  return { routing, names: resolved, problems: [] };
}

function resolveName(rollout: Indexed, services: RolloutServices, named: { name: string; position: number; found: BaseFound }, lookup: BaseLookup, problems: Diagnostic[]): BaseResolution | undefined {
  const { name: baseName, position, found } = named;
  // Positions cost a parse of the file: look them up only for a diagnostic.
  const nameAt = () => locate(rollout.manifest.origin, [...MAPPINGS_PATH, position]);
  const { base } = found;
  if (!base) {
    problems.push(baseNotFound(rollout, baseName, found, nameAt, lookup));
    return undefined;
  }
  const owner = lookup.claimedBy.get(base);
  if (owner === rollout.manifest) {
    problems.push(
      diagnostic(
        'mapping-listed-twice',
        `Rollout ${rollout.namespace}/${rollout.name} lists Mapping ${baseName} twice in trafficRouting.ambassador.mappings`,
        nameAt(),
        'list each base Mapping once',
      ),
    );
    return undefined;
  }
  if (owner) {
    problems.push(
      diagnostic(
        'mapping-shared',
        `Mapping ${base.namespace}/${baseName} is named by two Rollouts; the other is at ${formatLocation(locate(owner.origin))}`,
        nameAt(),
        'give each Rollout its own base Mapping: both controllers would fight over one canary copy',
      ),
    );
    return undefined;
  }
  lookup.claimedBy.set(base, rollout.manifest);
  if (isSkipped(base, problems)) return { skipped: true, rollout, base };
  const context = checkBase(rollout, base, services, lookup, problems);
  return context ? { skipped: false, context } : undefined;
}

/** The base Mappings of one Rollout that routes through Ambassador (none for any other object); generate's problems go to `diagnostics`. */
export function resolveBases(rollout: Indexed, lookup: BaseLookup, diagnostics: Diagnostic[]): BaseResolution[] {
  const resolved = resolveRollout(rollout, lookup);
  if (!resolved) return [];
  diagnostics.push(...resolved.problems);
  return resolved.names.flatMap(({ problems, resolution }) => {
    diagnostics.push(...problems);
    return resolution ? [resolution] : [];
  });
}
