// `canary-mapping audit`: live Rollouts and Mappings in, findings out. For every base Mapping of every Rollout that
// routes through Ambassador, the live `<base>-canary` is compared with the declared canary; while no canary exists,
// what each targeted controller logic would copy the live base into is. Pure: no I/O.
import { describeSelector, hostsStrandingCopy, isHostKind, labelsOf, selectorMatches, type StrandingHost } from '../ambassador/host-association.js';
import { groupOf, isMappingKind, kindReadThrough, type AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { emissarySetup, tlsContextNames } from '../ambassador/emissary-setup.js';
import { splitService } from '../ambassador/service-url.js';
import { describeHost, differencesOf, readMappingUpstream, tlsOnlyThroughUnseenContext, type EmissarySetup, type MappingUpstream, type UpstreamDifference, type UpstreamHost } from '../ambassador/upstream.js';
import { declarationContextOf, declareCanary, derivedCanary, type DeclarationContext, type DeclaredCanary } from '../canary/declared-canary.js';
import { CANARY_SERVICE_ANNOTATION, GUARD_LABEL } from '../canary/labels.js';
import { planCopies, uncopyable, type CopyPlan } from '../canary/plan-mapping.js';
import { predict, type Prediction } from '../canary/clone-safe-solver.js';
import { formatLocation, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostics.js';
import { lookUpBase, mappingsNamed, readBase, routingOf, skipOf } from '../canary/base-mappings.js';
import { indexObjects } from '../core/object-index.js';
import { locate } from '../manifests/locate.js';
import { getPath, metadataOf, type Indexed, type Manifest } from '../manifests/manifest.js';
import { canaryMappingName } from '../rollouts/canary-name.js';
import { describeEmulatedCanary, stableServiceHost, type RolloutServices } from '../rollouts/clone-emulation.js';
import { LOGIC_LABELS, logicsFor, type ControllerLogic } from '../rollouts/controller-logic.js';
import { CANARY_PATH, MAPPINGS_PATH } from '../rollouts/rollout.js';

/** How a canary, live or as a controller would create it, differs from the declared canary. */
export type Difference =
  | 'lost-scheme'
  | 'unexpected-tls'
  | 'wrong-namespace'
  | 'wrong-port'
  | 'points-at-stable'
  | 'wrong-service'
  | 'canary-unparseable'
  | 'tls-context-missing';

export const FINDING_CODES = [
  'lost-scheme',
  'unexpected-tls',
  'wrong-namespace',
  'wrong-port',
  'points-at-stable',
  'wrong-service',
  'canary-unparseable',
  'tls-context-missing',
  'would-break',
  'base-missing',
  'base-invalid',
  'base-not-stable-service',
  'declaration-invalid',
  'rollout-invalid',
  'host-selects-base',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  message: string;
  location: SourceLocation;
  /** would-break: the controller logic whose copy would be wrong, and how. */
  logic?: ControllerLogic;
  because?: Difference[];
}

/** What one controller logic would create from the live base now. */
export interface Copy {
  logic: ControllerLogic;
  service: string;
  tls?: unknown;
  differences: Difference[];
}

export interface AuditEntry {
  rollout: { namespace: string; name: string };
  /** Absent when the Rollout names no usable base; only the name when the base is not in the input. */
  base?: { name: string; apiVersion?: string; kind?: string; service?: string; tls?: unknown };
  status: 'findings' | 'clean' | 'skipped';
  declared?: { url: string; source: DeclaredCanary['source'] };
  /** Why no declared canary is known; the canary is then only checked for pointing at stable. */
  undeclared?: string;
  /** The live `<base>-canary`; `guarded` when the plugin emitted it (it carries the guard label). */
  canary?: { name: string; service?: string; tls?: unknown; guarded: boolean };
  copies: Copy[];
  findings: Finding[];
  /** What `canary-mapping generate` decides for the live base: clone-safe, or guarded when the live canary is guarded. */
  cloneSafe?: CloneSafeVerdict;
  /** What to do about the findings. */
  fix?: string;
}

/** As generate decides: a kept or rewritten base, or its refusal (the declared canary is no copy of the base, or no form is safe). */
export type CloneSafeVerdict = { ok: true; rewritten: boolean; service: string; tls?: unknown } | { ok: false; refusal: 'needs-guarded' | 'no-clone-safe-form' };

export interface AuditSettings {
  rolloutsVersion: string;
  ambassadorApiVersion: AmbassadorApiVersion;
  /** The app's legacy-tls-context, which lets clone-safe carry https:// in a v3alpha1 base's spec.tls. */
  legacyTlsContext?: string;
  /** Where Emissary resolves bare Service names when the input holds no Module saying so. */
  serviceNamespace?: 'mapping' | 'emissary';
}

export interface AuditResult {
  targeted: ControllerLogic[];
  entries: AuditEntry[];
  /** Problems with the input itself (an object given twice): the audit cannot be trusted. */
  diagnostics: Diagnostic[];
}

interface Lookup {
  mappings: readonly Indexed[];
  hosts: readonly Indexed[];
  settings: AuditSettings;
  /** What the input shows of Emissary: its Module and TLSContexts. */
  setup: EmissarySetup;
  tlsContexts: string[];
  targeted: ControllerLogic[];
}

interface Observed {
  code: Difference;
  /** A predicate of the canary: "speaks plain HTTP, but …". */
  text: string;
}

/** A difference between a canary and the declared one (typed by the shared model), as audit words it: "the canary …". */
function observed(difference: UpstreamDifference, written: string): Observed {
  switch (difference.code) {
    case 'canary-unparseable':
      return { code: difference.code, text: `has a service Emissary routes nothing for: ${difference.read.errorText.join('; ')}` };
    case 'unexpected-tls':
      return { code: difference.code, text: 'originates TLS, but the declared canary speaks plain HTTP' };
    case 'lost-scheme':
      return { code: difference.code, text: 'speaks plain HTTP, but the declared canary originates TLS' };
    case 'points-at-stable': {
      const which = difference.stable === 0 ? 'the upstream of the base' : "the Rollout's stableService";
      return { code: difference.code, text: `dials ${describeHost(difference.actual)}, ${which}: the canary's share of the traffic goes to stable pods` };
    }
    case 'wrong-namespace': {
      const { actual, expected } = difference;
      const text = written.includes('.')
        ? `dials namespace ${actual.namespace} instead of ${expected.namespace}`
        : `names no namespace, so Emissary looks for Service ${actual.name} in ${actual.namespace}, the Mapping's namespace, instead of ${expected.namespace}`;
      return { code: difference.code, text };
    }
    case 'wrong-service':
      return { code: difference.code, text: `dials ${describeHost(difference.actual)} instead of ${describeHost(difference.expected)}` };
    case 'wrong-port':
      return { code: difference.code, text: `dials port ${difference.actual} instead of ${difference.expected}` };
  }
}

/**
 * What is wrong with a canary (live, or a controller's copy read by Emissary), from the shared difference model; a
 * TLSContext missing among the live ones comes first, since then nothing else about its TLS holds.
 */
function observe(canary: { service?: unknown; tls?: unknown }, read: MappingUpstream | undefined, differences: readonly UpstreamDifference[], lookup: Lookup): Observed[] {
  if (typeof canary.service !== 'string' || !read) return [{ code: 'canary-unparseable', text: 'has no spec.service' }];
  if (lookup.tlsContexts.length > 0 && tlsOnlyThroughUnseenContext(read)) {
    const text = `originates TLS only through TLSContext ${String(canary.tls)}, which is not among the live TLSContexts (${lookup.tlsContexts.join(', ')}): Emissary speaks plain HTTP to it`;
    return [{ code: 'tls-context-missing', text }];
  }
  const url = splitService(canary.service);
  // A scheme the copy mangled (`ht-canarytp://`) is stripped: Emissary still routes the rest, often to stable.
  const stripped = read.errors.includes('unknown-scheme') ? `has the scheme \`${url.scheme}://\`, which Emissary strips with an error, and ` : '';
  return differences.map((difference, index) => {
    const o = observed(difference, url.host);
    return index === 0 && difference.code !== 'canary-unparseable' ? { ...o, text: `${stripped}${o.text}` } : o;
  });
}

function invalidRollout(rollout: Indexed, missing: string[]): AuditEntry {
  return {
    rollout: { namespace: rollout.namespace, name: rollout.name },
    status: 'findings',
    copies: [],
    findings: [
      {
        code: 'rollout-invalid',
        message: `Rollout ${rollout.namespace}/${rollout.name} routes through Ambassador, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or invalid: the controller creates no canary`,
        location: locate(rollout.manifest.origin, CANARY_PATH, { key: true }),
      },
    ],
    fix: 'Set spec.strategy.canary.stableService, canaryService and trafficRouting.ambassador.mappings (a list of base Mapping names) in Git and sync.',
  };
}

/** The base the controller finds under `baseName`, or the finding that it finds none. */
function findBase(rollout: Indexed, baseName: string, position: number, lookup: Lookup): Indexed | AuditEntry {
  const apiVersion = lookup.settings.ambassadorApiVersion;
  const kind = kindReadThrough(apiVersion);
  const { base, inNamespace: other } = lookUpBase(lookup.mappings, rollout, baseName, apiVersion);
  if (base) return base;
  const where = `namespace ${rollout.namespace}`;
  const [message, fix] = other
    ? [
        `Rollout ${rollout.namespace}/${rollout.name} names Mapping ${baseName}; the input has it as a ${other.kind} of ${other.manifest.object.apiVersion}, but the controller reads ${kind}s through ${apiVersion} and finds no base`,
        `Pass --ambassador-api-version with the controller's --ambassador-api-version; if it is ${apiVersion}, create the base as a ${kind} of ${groupOf(apiVersion)}.`,
      ]
    : [
        `Rollout ${rollout.namespace}/${rollout.name} names Mapping ${baseName}, which is not in the input in ${where}`,
        `If the input leaves out the Mappings of ${where}, include them (kubectl get rollouts.argoproj.io,mappings.getambassador.io -n ${rollout.namespace} -o yaml). Otherwise the controller cannot find the base either: create it, or fix the name in trafficRouting.ambassador.mappings.`,
      ];
  return {
    rollout: { namespace: rollout.namespace, name: rollout.name },
    base: { name: baseName },
    status: 'findings',
    copies: [],
    findings: [{ code: 'base-missing', message, location: locate(rollout.manifest.origin, [...MAPPINGS_PATH, position]) }],
    fix,
  };
}

interface AuditDeclaration {
  declared?: DeclaredCanary;
  undeclared?: string;
  finding?: Finding;
}

/**
 * The annotation on the live base (the user's template, or the URL the plugin wrote when it rewrote the base), read
 * as generate reads it, else the canary derived from the base. The config file is not in the cluster: a guarded
 * canary declared only there is checked for pointing at stable alone.
 */
function declare(base: Indexed, context: DeclarationContext, derived: DeclaredCanary | undefined, guarded: boolean): AuditDeclaration {
  const declaration = declareCanary(base, undefined, context);
  if (declaration.kind === 'declared') return { declared: declaration.declared };
  if (declaration.kind === 'invalid') {
    const { where, at } = declaration.written;
    return {
      undeclared: `${where} of the base gives no canary URL`,
      finding: { code: 'declaration-invalid', message: `${where} of Mapping ${base.namespace}/${base.name}: ${declaration.problem ?? 'it is not a string'}`, location: at() },
    };
  }
  if (guarded) return { undeclared: 'the plugin emitted the canary from a declaration in Git that the cluster does not record' };
  if (derived) return { declared: derived };
  return { undeclared: "none can be derived from a base that does not dial the Rollout's stableService" };
}

interface FixInput {
  namespace: string;
  base: string;
  services: RolloutServices;
  findings: Finding[];
  canary?: { name: string; guarded: boolean; wrong: boolean };
  /** The declared canary cannot be copied from the base by any controller. */
  uncopyable: boolean;
  /** Whether generate finds a clone-safe form of the base; absent when it refuses the base before trying. */
  cloneSafe?: CloneSafeVerdict;
  /** What else gives the declared canary when generate refuses the base, as generate's refusal says. */
  remedies: string[];
  copies: Copy[];
  targeted: ControllerLogic[];
}

function fixFor(input: FixInput): string | undefined {
  const { namespace, canary, findings } = input;
  if (findings.length === 0) return undefined;
  const codes = new Set(findings.map((f) => f.code));
  const deletion = canary?.wrong
    ? `delete Mapping ${namespace}/${canary.name} (the controller never recomputes an existing canary's service; it creates a new one from the base while the canary weight is above 0)`
    : undefined;
  const deleteCanary = deletion ? ` Then ${deletion}.` : '';
  if (codes.has('base-not-stable-service')) {
    return `Point spec.service of base Mapping ${namespace}/${input.base} at the stableService ${input.services.stableService} in Git (canary-mapping generate refuses this base) and sync.${deleteCanary}`;
  }
  if (codes.has('declaration-invalid')) {
    return `Fix annotation ${CANARY_SERVICE_ANNOTATION} of Mapping ${namespace}/${input.base} in Git (an explicit full URL, e.g. https://{{canaryService}}.{{namespace}}:8443) and sync.${deleteCanary}`;
  }
  if (canary?.guarded) return `Sync the app: the plugin emitted this canary (label ${GUARD_LABEL}) and it was changed in the cluster; Argo CD puts the declared one back.`;
  if (input.uncopyable) {
    const after = canary ? " Argo CD then applies the declared canary over the controller's copy." : ' Do it before the next update.';
    return `No controller copies this base into the declared canary: render the app with strategy guarded, install the guard policy (deploy/guard/) and sync.${after}`;
  }
  const breaking = input.copies.filter((copy) => copy.differences.length > 0);
  if (breaking.length === 0 && deletion) return `The base is safe now: ${deletion}.`;
  if (input.cloneSafe && !input.cloneSafe.ok) {
    return `canary-mapping generate refuses this base in clone-safe mode (no-clone-safe-form): ${input.remedies.join('; ')}; then sync.${deleteCanary}`;
  }
  const safe = input.targeted.filter((logic) => !breaking.some((copy) => copy.logic === logic));
  const version = safe.length > 0 ? ` If every controller you run is ${LOGIC_LABELS[safe[0]!]}, audit with --rollouts-version set to its version.` : '';
  const when = canary ? '' : ' before the next update';
  return `Re-render the app with canary-mapping and sync${when}: clone-safe rewrites the base so that every targeted controller copies it into the declared canary (or set strategy guarded).${deleteCanary}${version}`;
}

/** The fields of a live Mapping that decide its upstream, as far as they are there. */
function liveUpstreamFields(mapping: Indexed): { service?: string; tls?: unknown } {
  const service = getPath(mapping.manifest.object, ['spec', 'service']);
  const tls = getPath(mapping.manifest.object, ['spec', 'tls']);
  return { ...(typeof service === 'string' ? { service } : {}), ...(tls !== undefined ? { tls } : {}) };
}

/** The canary the controller creates for this base now: from the plan's prediction, or for a base without a derived canary, the emulation alone. */
function copiesOf(plan: CopyPlan | undefined, base: { apiVersion: string; form: { service: string; tls?: unknown } }, services: RolloutServices, declared: DeclaredCanary | undefined, stableHosts: UpstreamHost[], lookup: Lookup): Prediction[] {
  if (plan) return plan.fromWritten;
  const { settings, setup, targeted } = lookup;
  const input = { apiVersion: base.apiVersion, rollout: services, declared, stableHosts, logics: targeted, controllerApiVersion: settings.ambassadorApiVersion, legacyTlsContext: '', setup };
  return predict(input, base.form);
}

/** What generate decides for the live base, from the plan: the same solver, for the derived canary (clone-safe copies nothing else). */
function verdictOf(plan: CopyPlan | undefined, needsGuarded: boolean): CloneSafeVerdict | undefined {
  if (needsGuarded) return { ok: false, refusal: 'needs-guarded' };
  if (!plan) return undefined;
  return plan.outcome.ok ? { ok: true, rewritten: plan.outcome.rewritten, ...plan.outcome.form } : { ok: false, refusal: 'no-clone-safe-form' };
}

function auditBase(rollout: Indexed, services: RolloutServices, baseName: string, position: number, lookup: Lookup): AuditEntry {
  const found = findBase(rollout, baseName, position, lookup);
  if ('findings' in found) return found;
  const base = found;
  const { namespace } = rollout;
  const object = base.manifest.object;
  const start = { rollout: { namespace, name: rollout.name }, base: { name: base.name, apiVersion: object.apiVersion, kind: object.kind, ...liveUpstreamFields(base) } };
  if (skipOf(base) === 'skip') return { ...start, status: 'skipped', copies: [], findings: [] };
  const serviceAt = () => locate(base.manifest.origin, ['spec', 'service']);
  const read = readBase(base, services, lookup.setup);
  if (!read.ok) {
    const refusal = read.problem === 'service-invalid' ? undefined : read.refusal;
    const problem = refusal
      ? `base Mapping ${base.name}: ${refusal}; the API server refuses it`
      : read.problem === 'service-invalid'
      ? `base Mapping ${base.name}: ${read.message}`
      : `base Mapping ${base.name} has no spec.service`;
    const fix = `Fix spec.service of Mapping ${namespace}/${base.name} in Git: neither Emissary nor the controller can use it.`;
    return { ...start, status: 'findings', copies: [], findings: [{ code: 'base-invalid', message: problem, location: serviceAt() }], fix };
  }
  const { service, tls, parsed, dialsStable } = read;
  const stable = parsed.upstream;
  const canaryName = canaryMappingName(base.name);
  const live = mappingsNamed(lookup.mappings, canaryName).find((m) => m.namespace === namespace && m.group === base.group && m.kind === base.kind);
  const guarded = live !== undefined && getPath(metadataOf(live.manifest.object).labels, [GUARD_LABEL]) === 'true';
  const context = declarationContextOf(rollout, services, { name: base.name, url: parsed.url, stable }, lookup.setup);
  // Only a base that dials the stableService has a canary derived from it: its first host label is replaced.
  const derived = dialsStable ? derivedCanary(context) : undefined;
  const declaration = declare(base, context, derived, guarded);
  const declared = declaration.declared;
  const stableHosts = [stable.host, stableServiceHost(services)];
  const plan = derived && planCopies({ base: { apiVersion: object.apiVersion, service, tls, stable }, services, derived, declared, settings: lookup.settings, setup: lookup.setup });

  const findings: Finding[] = [];
  if (!dialsStable) {
    findings.push({
      code: 'base-not-stable-service',
      message: `base Mapping ${base.name} dials ${describeHost(stable.host)}, not the Rollout's stableService ${services.stableService}: the controller only knows how to turn the stable Service into the canary Service, so its copy of this base may keep serving stable`,
      location: serviceAt(),
    });
  }
  if (declaration.finding) findings.push(declaration.finding);
  const form = { service, ...(tls !== undefined ? { tls } : {}) };
  const copies = copiesOf(plan, { apiVersion: object.apiVersion, form }, services, declared, stableHosts, lookup).map(({ logic, canary, differences }): Copy & { observed: Observed[] } => {
    const found = observe(canary, canary.upstream, differences, lookup);
    return { logic, service: canary.service, ...(canary.tls !== undefined ? { tls: canary.tls } : {}), differences: found.map((o) => o.code), observed: found };
  });
  const canary = live && { name: canaryName, ...liveUpstreamFields(live), guarded };
  const liveRead = canary?.service !== undefined ? readMappingUpstream(live!.manifest.object.apiVersion, { service: canary.service, ...(canary.tls !== undefined ? { tls: canary.tls } : {}) }, namespace, lookup.setup) : undefined;
  const canaryFindings = canary ? observe(canary, liveRead, liveRead ? differencesOf(liveRead, declared?.upstream, stableHosts) : [], lookup) : [];
  if (live && canaryFindings.length > 0) {
    const location = locate(live.manifest.origin, ['spec', 'service']);
    findings.push(...canaryFindings.map((o): Finding => ({ code: o.code, message: `Mapping ${namespace}/${canaryName} ${o.text}`, location })));
  }
  // The base decides the next canary; while one exists, it is what carries traffic and what is checked.
  for (const copy of live ? [] : copies.filter((c) => c.observed.length > 0)) {
    findings.push({
      code: 'would-break',
      message: `${LOGIC_LABELS[copy.logic]} would copy the base into ${describeEmulatedCanary(copy)}, which ${copy.observed.map((o) => o.text).join('; ')}`,
      location: serviceAt(),
      logic: copy.logic,
      because: copy.differences,
    });
  }
  // A guarded canary is emitted as declared; its base is still made as clone-safe as the controller allows.
  const notCopied = declared !== undefined && derived !== undefined && uncopyable(derived, declared).length > 0;
  const cloneSafe = verdictOf(plan, notCopied && !guarded);
  const remedies = cloneSafe?.ok === false && cloneSafe.refusal === 'no-clone-safe-form' && plan && !plan.outcome.ok ? plan.outcome.remedies() : [];
  const stranding = strandingHosts(base, live, lookup.hosts);
  const hostFindings = stranding.map((h) => hostFinding(h, base, live));
  const fix = fixFor({
    namespace,
    base: base.name,
    services,
    findings,
    ...(canary ? { canary: { name: canaryName, guarded, wrong: canaryFindings.length > 0 } } : {}),
    uncopyable: notCopied,
    ...(cloneSafe ? { cloneSafe } : {}),
    remedies,
    copies,
    targeted: lookup.targeted,
  });
  const hostFix = stranding.length > 0 ? hostsFix(base, stranding, live, guarded) : undefined;
  findings.push(...hostFindings);
  const fixes = [hostFix, fix].filter((text): text is string => text !== undefined);
  return {
    ...start,
    status: findings.length > 0 ? 'findings' : 'clean',
    ...(declaration.declared ? { declared: { url: declaration.declared.url, source: declaration.declared.source } } : {}),
    ...(declaration.undeclared ? { undeclared: declaration.undeclared } : {}),
    ...(canary ? { canary } : {}),
    copies: copies.map(({ observed: _, ...copy }) => copy),
    findings,
    ...(cloneSafe ? { cloneSafe } : {}),
    ...(fixes.length > 0 ? { fix: fixes.join(' ') } : {}),
  };
}

/**
 * Live Hosts that take the base through its labels but not its canary: the live canary when there is one (a guarded
 * canary carries the base's labels), else the controller's next copy, which carries none.
 */
function strandingHosts(base: Indexed, live: Indexed | undefined, hosts: readonly Indexed[]): StrandingHost[] {
  const byBase = hostsStrandingCopy(base.manifest.object, labelsOf(base.manifest.object), hosts);
  return live ? byBase.filter(({ selector }) => !selectorMatches(selector, labelsOf(live.manifest.object))) : byBase;
}

function hostFinding({ host, selector }: StrandingHost, base: Indexed, live: Indexed | undefined): Finding {
  const hostAt = formatLocation(locate(host.manifest.origin, ['spec']));
  const takes = `Host ${host.namespace}/${host.name} (${hostAt}) takes Mapping ${base.namespace}/${base.name} through its labels (mappingSelector ${describeSelector(selector)})`;
  return live
    ? {
        code: 'host-selects-base',
        message: `${takes}, but not its canary ${live.name}, whose labels do not match: the canary gets none of that Host's traffic`,
        location: locate(live.manifest.origin, ['metadata']),
      }
    : {
        code: 'host-selects-base',
        message: `${takes}; the canary Argo Rollouts copies from the base carries no labels, so Emissary will not attach it to that Host and the canary will get none of its traffic`,
        location: locate(base.manifest.origin, ['metadata', 'labels']),
      };
}

function hostsFix(base: Indexed, stranding: readonly StrandingHost[], live: Indexed | undefined, guarded: boolean): string {
  const names = stranding.map(({ host }) => `${host.namespace}/${host.name}`).join(', ');
  if (guarded) return `Re-render the app with this version of canary-mapping, whose guarded canary Mapping carries the base's labels, and sync, or put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git.`;
  const then = live ? ` Then delete Mapping ${live.namespace}/${live.name}, so that the next copy is made from the fixed base.` : '';
  return `Put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git, or render the app with strategy guarded (its canary Mapping carries the base's labels), and sync.${then}`;
}

function auditRollout(rollout: Indexed, lookup: Lookup): AuditEntry[] {
  const routing = routingOf(rollout);
  if (!routing) return [];
  if (!routing.ok) {
    const { problems } = routing;
    const missing = [
      ...(problems.includes('stableService-missing') ? ['stableService'] : []),
      ...(problems.some((p) => p.startsWith('canaryService')) ? ['canaryService'] : []),
      ...(problems.includes('mappings-invalid') ? ['trafficRouting.ambassador.mappings'] : []),
    ];
    return [invalidRollout(rollout, missing)];
  }
  return routing.names.map((name, position) => auditBase(rollout, routing.services, name, position, lookup));
}

export function audit(manifests: readonly Manifest[], settings: AuditSettings): AuditResult {
  const diagnostics: Diagnostic[] = [];
  const objects = indexObjects(manifests, undefined, diagnostics);
  const lookup: Lookup = {
    mappings: objects.filter((o) => isMappingKind(o.manifest.object.apiVersion, o.kind)),
    hosts: objects.filter((o) => isHostKind(o.manifest.object.apiVersion, o.kind)),
    settings,
    setup: emissarySetup(objects, settings.serviceNamespace ?? 'mapping'),
    tlsContexts: tlsContextNames(objects),
    targeted: logicsFor(settings.rolloutsVersion),
  };
  return { targeted: lookup.targeted, entries: objects.flatMap((o) => auditRollout(o, lookup)), diagnostics };
}
