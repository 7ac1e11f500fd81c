// `canary-mapping audit`: live Rollouts and Mappings in, findings out. For every base Mapping of every Rollout that
// routes through Ambassador, the live `<base>-canary` is compared with the declared canary; while no canary exists,
// what each targeted controller logic would copy the live base into is. Pure: no I/O.
import { hostChecksExhausted, indexHosts, isHostKind, type HostIndex } from '../ambassador/host-association.js';
import { groupOf, isMappingKind, kindReadThrough } from '../ambassador/mapping-kinds.js';
import { emissarySetup, tlsContextNames } from '../ambassador/emissary-setup.js';
import { describeHost, differencesOf, readMappingUpstream, type EmissarySetup, type UpstreamHost } from '../ambassador/upstream.js';
import { mappingsNamed, readBase, resolveRollout, skipOf, type BaseLookup, type BaseProblem, type ResolvedName } from '../canary/base-mappings.js';
import { predict, type Prediction } from '../canary/clone-safe-solver.js';
import { declarationContextOf, declareCanary, derivedCanary, type DeclarationContext, type DeclaredCanary } from '../canary/declared-canary.js';
import { GUARD_LABEL } from '../canary/labels.js';
import { planCopies, uncopyable, type CopyPlan } from '../canary/plan-mapping.js';
import { indexObjects } from '../core/object-index.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostics.js';
import { locate } from '../manifests/locate.js';
import { getPath, metadataOf, type Indexed, type Manifest } from '../manifests/manifest.js';
import { canaryMappingName } from '../rollouts/canary-name.js';
import { describeEmulatedCanary, stableServiceHost, type RolloutServices } from '../rollouts/clone-emulation.js';
import { LOGIC_LABELS, logicsFor, type ControllerLogic } from '../rollouts/controller-logic.js';
import { CANARY_PATH, MAPPINGS_PATH } from '../rollouts/rollout.js';
import { observe, type Observed } from './canary-findings.js';
import { REFUSAL_FINDINGS, type RefusalFinding, type AuditEntry, type AuditResult, type AuditSettings, type CloneSafeVerdict, type Copy, type Finding } from './entry.js';
import { fixFor } from './fix.js';
import { hostFinding, hostsFix, strandingHosts } from './host-findings.js';

interface Lookup {
  mappings: readonly Indexed[];
  hosts: HostIndex;
  settings: AuditSettings;
  /** What the input shows of Emissary: its Module and TLSContexts. */
  setup: EmissarySetup;
  tlsContexts: string[];
  targeted: ControllerLogic[];
  bases: BaseLookup;
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
/** The controller finds no base under a name: audit's words for the shared lookup's outcome (the input may be partial). */
function baseMissing(rollout: Indexed, { name, position, found }: ResolvedName, lookup: Lookup): AuditEntry {
  const apiVersion = lookup.settings.ambassadorApiVersion;
  const kind = kindReadThrough(apiVersion);
  const other = found.inNamespace;
  const where = `namespace ${rollout.namespace}`;
  const [message, fix] = other
    ? [
        `Rollout ${rollout.namespace}/${rollout.name} names Mapping ${name}; the input has it as a ${other.kind} of ${other.manifest.object.apiVersion}, but the controller reads ${kind}s through ${apiVersion} and finds no base`,
        `Pass --ambassador-api-version with the controller's --ambassador-api-version; if it is ${apiVersion}, create the base as a ${kind} of ${groupOf(apiVersion)}.`,
      ]
    : [
        `Rollout ${rollout.namespace}/${rollout.name} names Mapping ${name}, which is not in the input in ${where}`,
        `If the input leaves out the Mappings of ${where}, include them (kubectl get rollouts.argoproj.io,mappings.getambassador.io -n ${rollout.namespace} -o yaml). Otherwise the controller cannot find the base either: create it, or fix the name in trafficRouting.ambassador.mappings.`,
      ];
  return {
    rollout: { namespace: rollout.namespace, name: rollout.name },
    base: { name },
    status: 'findings',
    copies: [],
    findings: [{ code: 'base-missing', message, location: locate(rollout.manifest.origin, [...MAPPINGS_PATH, position]) }],
    fix,
  };
}

/**
 * What generate refuses about a name or its base that audit does not word itself, as findings in generate's words:
 * the live state does not make them right (a base with a weight, a name listed twice). The rest audit reports in its
 * own terms (a missing or invalid base), or does not apply to live objects (the live canary is no committed one).
 */
function refusalsOf(named: ResolvedName, base: Indexed): { findings: Finding[]; fix?: string } {
  const refused = named.problems.flatMap((problem) => {
    const code = REFUSAL_FINDINGS.find((c) => c === problem.code);
    return code ? [{ finding: { code, message: problem.message, location: problem.location ?? locate(base.manifest.origin) }, hint: problem.hint }] : [];
  });
  if (refused.length === 0) return { findings: [] };
  const hints = refused.flatMap(({ hint }) => (hint ? [hint] : []));
  return { findings: refused.map(({ finding }) => finding), fix: `Fix in Git what canary-mapping generate refuses (${hints.join('; ')}), then re-render the app with canary-mapping and sync.` };
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

/** The fields of a live Mapping that decide its upstream, as far as they are there. */
function liveUpstreamFields(mapping: Indexed): { service?: string; tls?: unknown } {
  const service = getPath(mapping.manifest.object, ['spec', 'service']);
  const tls = getPath(mapping.manifest.object, ['spec', 'tls']);
  return { ...(typeof service === 'string' ? { service } : {}), ...(tls !== undefined ? { tls } : {}) };
}

/** A base neither Emissary nor the controller can use. */
function baseInvalid(read: BaseProblem, base: Indexed): Pick<AuditEntry, 'status' | 'copies' | 'findings' | 'fix'> {
  const refusal = read.problem === 'service-invalid' ? undefined : read.refusal;
  const problem = refusal
    ? `base Mapping ${base.name}: ${refusal}; the API server refuses it`
    : read.problem === 'service-invalid'
    ? `base Mapping ${base.name}: ${read.message}`
    : `base Mapping ${base.name} has no spec.service`;
  const fix = `Fix spec.service of Mapping ${base.namespace}/${base.name} in Git: neither Emissary nor the controller can use it.`;
  return { status: 'findings', copies: [], findings: [{ code: 'base-invalid', message: problem, location: locate(base.manifest.origin, ['spec', 'service']) }], fix };
}

/** The live canary read by Emissary, against the declared canary (or, without one, against stable). */
function liveCanaryFindings(live: Indexed, declared: DeclaredCanary | undefined, stableHosts: readonly UpstreamHost[], lookup: Lookup): Finding[] {
  const fields = liveUpstreamFields(live);
  const { service, tls } = fields;
  const read = service !== undefined ? readMappingUpstream(live.manifest.object.apiVersion, { service, ...(tls !== undefined ? { tls } : {}) }, live.namespace, lookup.setup) : undefined;
  const observed = observe(fields, read, read ? differencesOf(read, declared?.upstream, stableHosts) : [], lookup.tlsContexts);
  const location = locate(live.manifest.origin, ['spec', 'service']);
  return observed.map((o): Finding => ({ code: o.code, message: `Mapping ${live.namespace}/${live.name} ${o.text}`, location }));
}

/** The copies a controller would make of the base that are not the declared canary. */
function wouldBreak(copies: ReadonlyArray<Copy & { observed: Observed[] }>, serviceAt: () => SourceLocation): Finding[] {
  return copies
    .filter((copy) => copy.observed.length > 0)
    .map((copy) => ({
      code: 'would-break',
      message: `${LOGIC_LABELS[copy.logic]} would copy the base into ${describeEmulatedCanary(copy)}, which ${copy.observed.map((o) => o.text).join('; ')}`,
      location: serviceAt(),
      logic: copy.logic,
      because: copy.differences,
    }));
}

/** The canary the controller creates for this base now: from the plan's prediction, or for a base without a derived canary, the emulation alone. */
function copiesOf(plan: CopyPlan | undefined, base: { apiVersion: string; form: { service: string; tls?: unknown } }, services: RolloutServices, declared: DeclaredCanary | undefined, stableHosts: UpstreamHost[], lookup: Lookup): Prediction[] {
  if (plan) return plan.fromWritten;
  const { settings, setup, targeted } = lookup;
  const input = { apiVersion: base.apiVersion, rollout: services, declared, stableHosts, logics: targeted, controllerApiVersion: settings.ambassadorApiVersion, setup };
  return predict(input, base.form);
}

/** What generate decides for the live base, from the plan: the same solver, for the derived canary (clone-safe copies nothing else). */
function verdictOf(plan: CopyPlan | undefined, needsGuarded: boolean): CloneSafeVerdict | undefined {
  if (needsGuarded) return { ok: false, refusal: 'needs-guarded' };
  if (!plan) return undefined;
  return plan.outcome.ok ? { ok: true, rewritten: plan.outcome.rewritten, ...plan.outcome.form } : { ok: false, refusal: 'no-clone-safe-form' };
}

function auditBase(rollout: Indexed, services: RolloutServices, named: ResolvedName, lookup: Lookup): AuditEntry {
  const { base } = named.found;
  if (!base) return baseMissing(rollout, named, lookup);
  const { namespace } = rollout;
  const object = base.manifest.object;
  const start = { rollout: { namespace, name: rollout.name }, base: { name: base.name, apiVersion: object.apiVersion, kind: object.kind, ...liveUpstreamFields(base) } };
  const refusals = refusalsOf(named, base);
  // A name listed twice, or a base another Rollout names, is audited where it is listed first.
  if (refusals.findings.some((f) => f.code === 'mapping-listed-twice' || f.code === 'mapping-shared')) {
    return { ...start, status: 'findings', copies: [], findings: refusals.findings, ...(refusals.fix ? { fix: refusals.fix } : {}) };
  }
  if (skipOf(base) === 'skip') return { ...start, status: 'skipped', copies: [], findings: [] };
  const serviceAt = () => locate(base.manifest.origin, ['spec', 'service']);
  const read = readBase(base, services, lookup.setup);
  if (!read.ok) return { ...start, ...baseInvalid(read, base) };
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

  const findings: Finding[] = [...refusals.findings];
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
    const found = observe(canary, canary.upstream, differences, lookup.tlsContexts);
    return { logic, service: canary.service, ...(canary.tls !== undefined ? { tls: canary.tls } : {}), differences: found.map((o) => o.code), observed: found };
  });
  const canary = live && { name: canaryName, ...liveUpstreamFields(live), guarded };
  const canaryFindings = live ? liveCanaryFindings(live, declared, stableHosts, lookup) : [];
  // The base decides the next canary; while one exists, it is what carries traffic and what is checked.
  findings.push(...canaryFindings, ...(live ? [] : wouldBreak(copies, serviceAt)));
  // A guarded canary is emitted as declared; its base is still made as clone-safe as the controller allows.
  const notCopied = declared !== undefined && derived !== undefined && uncopyable(derived, declared).length > 0;
  const refusal = refusals.findings[0]?.code;
  const cloneSafe: CloneSafeVerdict | undefined = refusal ? { ok: false, refusal: refusal as RefusalFinding } : verdictOf(plan, notCopied && !guarded);
  const remedies = cloneSafe?.ok === false && cloneSafe.refusal === 'no-clone-safe-form' && plan && !plan.outcome.ok ? plan.outcome.remedies() : [];
  const stranding = strandingHosts(base, live, lookup.hosts);
  const hostFindings = stranding.count > 0 ? [hostFinding(stranding, base, live)] : [];
  const fix = fixFor({
    namespace,
    base: base.name,
    services,
    findings,
    ...(canary ? { canary: { name: canaryName, guarded, wrong: canaryFindings.length > 0 } } : {}),
    uncopyable: notCopied,
    ...(refusals.fix ? { refused: refusals.fix } : {}),
    ...(cloneSafe ? { cloneSafe } : {}),
    remedies,
    copies,
    targeted: lookup.targeted,
  });
  const hostFix = stranding.count > 0 ? hostsFix(base, stranding, live, guarded) : undefined;
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

function auditRollout(rollout: Indexed, lookup: Lookup): AuditEntry[] {
  const resolved = resolveRollout(rollout, lookup.bases);
  if (!resolved) return [];
  const { routing } = resolved;
  if (!routing.ok) {
    const { problems } = routing;
    const missing = [
      ...(problems.includes('stableService-missing') ? ['stableService'] : []),
      ...(problems.some((p) => p.startsWith('canaryService')) ? ['canaryService'] : []),
      ...(problems.includes('mappings-invalid') ? ['trafficRouting.ambassador.mappings'] : []),
    ];
    return [invalidRollout(rollout, missing)];
  }
  return resolved.names.map((named) => auditBase(rollout, routing.services, named, lookup));
}

export function audit(manifests: readonly Manifest[], settings: AuditSettings): AuditResult {
  const diagnostics: Diagnostic[] = [];
  const objects = indexObjects(manifests, undefined, diagnostics);
  const mappings = objects.filter((o) => isMappingKind(o.manifest.object.apiVersion, o.kind));
  const setup = emissarySetup(objects, settings.serviceNamespace ?? 'mapping');
  const lookup: Lookup = {
    mappings,
    hosts: indexHosts(objects.filter((o) => isHostKind(o.manifest.object.apiVersion, o.kind)), mappings),
    settings,
    setup,
    tlsContexts: tlsContextNames(objects),
    targeted: logicsFor(settings.rolloutsVersion),
    // Generate's lookup, as for a clone-safe app: the live canary next to its base is expected, not committed.
    bases: { mappings, settings: { strategy: 'clone-safe', ambassadorApiVersion: settings.ambassadorApiVersion }, setup, claimedBy: new Map(), canaryNames: new Map() },
  };
  const entries = objects.flatMap((o) => auditRollout(o, lookup));
  const exhausted = hostChecksExhausted(lookup.hosts);
  if (exhausted) diagnostics.push(exhausted);
  return { targeted: lookup.targeted, entries, diagnostics };
}
