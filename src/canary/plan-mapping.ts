// One base Mapping of one Rollout: the declared canary, how the strategy makes it the running canary, and what that
// means for every controller version. The output: edits to the base, objects to emit after it, and a plan for explain.
import { describeStranding, describeTaking, hostsStrandingCopy, labelsOf, type HostIndex } from '../ambassador/host-association.js';
import type { AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { describeDifference, tlsOnlyThroughUnseenContext, upstreamDifferences, type EmissarySetup, type Upstream } from '../ambassador/upstream.js';
import type { BaseContext } from './base-mappings.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { applyEdits, type FieldEdit } from '../manifests/emit.js';
import { locate } from '../manifests/locate.js';
import { getPath, metadataOf, type Indexed, type KubeObject } from '../manifests/manifest.js';
import { LOGIC_LABELS, logicsFor, type ControllerLogic } from '../rollouts/controller-logic.js';
import { describeEmulatedCanary, stableServiceHost, type RolloutServices } from '../rollouts/clone-emulation.js';
import type { LocatedMappingConfig, PatchOperation } from '../settings/mapping-config.js';
import type { Settings } from '../settings/table.js';
import { predict, solveCloneSafe, type BaseForm, type NoSolution, type Prediction, type Solution, type SolverInput } from './clone-safe-solver.js';
import { declarationContextOf, declareCanary, derivedCanary, type DeclaredCanary, type WrittenDeclaration } from './declared-canary.js';
import { guardedCanary, syncWaveOf } from './guarded-canary.js';
import { CANARY_SERVICE_ANNOTATION, isOwnOutput, ORIGINAL_SERVICE_ANNOTATION, ORIGINAL_TLS_ANNOTATION, SYNC_WAVE_ANNOTATION } from './labels.js';
import { checkPatches } from './patches.js';
import { previewMappingName, previewRoute } from './preview-route.js';

interface PlanHeader {
  rollout: { name: string; namespace: string };
  base: { name: string; apiVersion: string; kind: string; service?: string; tls?: unknown; notes?: string[] };
  /** The controller versions the output must be safe for. */
  targeted: ControllerLogic[];
  /** What the render cannot see but the cluster may hold, for explain. */
  warnings: string[];
}

/** A base the user asked the plugin to leave alone (canary-mapping.dev/skip). */
export interface SkippedPlan extends PlanHeader {
  strategy: 'skip';
}

/** A base the plugin makes safe: what generate emits, what explain prints. */
export interface ActivePlan extends PlanHeader {
  strategy: Settings['strategy'];
  declared: DeclaredCanary;
  /** What each targeted controller copies the base into, as written and as emitted (audit builds the same for a live base). */
  copies: CopyPlan;
  /** Every targeted logic copies the emitted base into the declared canary (guarded: into the closest it can). */
  cloneSafe: boolean;
  /** TLSContexts the canary a targeted controller copies from the emitted base needs for its TLS, and which copies. */
  reliesOnTlsContexts?: Array<{ name: string; logics: ControllerLogic[] }>;
  /** Names of the objects emitted after the base. */
  canaryMapping?: string;
  previewMapping?: string;
  /** clone-safe: Hosts (`namespace/name`, the first few) that take the base through its labels, and so never its unlabelled copy. */
  strandedBy?: string[];
}

export type MappingPlan = SkippedPlan | ActivePlan;

export interface PlanInput {
  context: BaseContext;
  settings: Settings;
  entry?: LocatedMappingConfig;
  /** An object of this name in this namespace that is in the app already, if any. */
  mappingNamed: (name: string, namespace: string) => Indexed | undefined;
  /** The app's Emissary Hosts. */
  hosts: HostIndex;
  /** What the render shows of Emissary, and the names of its TLSContexts. */
  setup: { emissary: EmissarySetup; tlsContexts: string[] };
  diagnostics: Diagnostic[];
}

export interface PlanResult {
  plan?: MappingPlan;
  edits?: FieldEdit[];
  generated: KubeObject[];
}

export function skippedPlan(rollout: Indexed, base: Indexed, settings: Settings): SkippedPlan {
  const { apiVersion, kind } = base.manifest.object;
  return {
    rollout: { name: rollout.name, namespace: rollout.namespace },
    base: { name: base.name, apiVersion, kind },
    strategy: 'skip',
    targeted: logicsFor(settings.rolloutsVersion),
    warnings: [],
  };
}

function rewriteEdits(context: BaseContext, form: BaseForm, declared: DeclaredCanary): FieldEdit[] {
  const service = getPath(context.base.manifest.object, ['spec', 'service']) as string;
  const annotation = (key: string, value: string): FieldEdit => ({ path: ['metadata', 'annotations', key], value });
  const edits = [annotation(ORIGINAL_SERVICE_ANNOTATION, service), annotation(CANARY_SERVICE_ANNOTATION, declared.url), { path: ['spec', 'service'], value: form.service }];
  if (form.tls !== context.tls) {
    edits.push({ path: ['spec', 'tls'], value: form.tls });
    if (context.tls !== undefined) edits.push(annotation(ORIGINAL_TLS_ANNOTATION, JSON.stringify(context.tls)));
  }
  return edits;
}

const VERSION_OF: Record<ControllerLogic, string> = { 'host-rebuild': '1.6', 'first-replace': '1.7 or later' };

/**
 * The alternatives that do give the declared canary when no base is clone-safe: each is checked with the solver, so
 * none is offered in vain.
 */
function cloneSafeAlternatives(solverInput: SolverInput, stableTls: boolean): string[] {
  const found: string[] = [];
  if (solverInput.logics.length > 1) {
    const alone = solverInput.logics.filter((logic) => solveCloneSafe({ ...solverInput, logics: [logic] }).ok);
    for (const logic of alone) found.push(`set rollouts-version to ${VERSION_OF[logic]}, if every Argo Rollouts controller that serves this app is ${LOGIC_LABELS[logic]}`);
  }
  if (stableTls && !solverInput.legacyTlsContext && solveCloneSafe({ ...solverInput, legacyTlsContext: 'upstream-tls' }).ok) {
    found.push('set legacy-tls-context to the name of a TLSContext that exists in the cluster: the base keeps its scheme and also names the context, which the ≤ 1.6.6 copy keeps');
  }
  return [...found, 'set strategy guarded, which emits the canary Mapping itself'];
}

/** Generate's and audit's clone-safe outcome for a base: the solver's form, or none and what else gives the declared canary. */
export type CloneSafeOutcome = Solution | (NoSolution & { remedies: () => string[] });

function solveBase(solverInput: SolverInput, stableTls: boolean): CloneSafeOutcome {
  const solution = solveCloneSafe(solverInput);
  // Each remedy costs a solver run: only a refusal that is reported pays for them.
  return solution.ok ? solution : { ...solution, remedies: () => cloneSafeAlternatives(solverInput, stableTls) };
}

/** What clone-safe cannot give: how the declared canary differs from the copy the controller can make of the base. */
export function uncopyable(derived: DeclaredCanary, declared: DeclaredCanary): string[] {
  return upstreamDifferences(derived.upstream, declared.upstream);
}

function noCloneSafeForm(input: PlanInput, declared: DeclaredCanary, solution: NoSolution & { remedies: () => string[] }): Diagnostic {
  const { context } = input;
  const breaks = solution.asWritten
    .filter((p) => p.differences.length > 0)
    .map((p) => `${LOGIC_LABELS[p.logic]} would create ${describeEmulatedCanary(p.canary)} (${p.differences.map(describeDifference).join(', ')})`);
  const remedies = solution.remedies();
  return diagnostic(
    'no-clone-safe-form',
    `no rewrite of base Mapping ${context.base.name} makes the controller create the declared canary ${declared.url}: ${breaks.join('; ')}; none of the ${solution.tried} spellings of scheme, host, port and tls tried keeps the stable route and gives that canary`,
    context.at(['spec', 'service']),
    remedies.length > 1 ? `either ${remedies.slice(0, -1).join('; or ')}; or ${remedies.at(-1)}` : remedies[0],
  );
}

/** Clone-safe mode can only give what the controller copies: the base's own canary, without patches. */
function needsGuarded(input: PlanInput, declared: Declared): boolean {
  const { context, diagnostics } = input;
  const name = context.base.name;
  // A derived canary is the copy itself: only a written declaration can differ from it.
  const differences = declared.written ? uncopyable(declared.derived, declared.canary) : [];
  const hint = 'set strategy guarded: the plugin then emits the canary Mapping exactly as declared';
  if (declared.written && differences.length > 0) {
    diagnostics.push(
      diagnostic(
        'needs-guarded',
        `the declared canary ${declared.canary.url} of Mapping ${name} is not what Argo Rollouts can copy from it in clone-safe mode: its copy would be ${declared.derived.url}: ${differences.join(', ')}`,
        declared.written.at(),
        hint,
      ),
    );
  }
  const { patches } = declared;
  if (patches) {
    diagnostics.push(
      diagnostic('needs-guarded', `${patches.entry.keyPath}.patches change the canary Mapping, which Argo Rollouts copies from ${name} in clone-safe mode`, patches.entry.at('patches'), hint),
    );
  }
  return differences.length > 0 || patches !== undefined;
}

/**
 * A Host that takes the base through its labels never takes the controller's copy, which has none; the canary then
 * gets no traffic from that Host. clone-safe: an error naming both places; with no Host in the render, a base with
 * labels only gets a warning, since a Host in the cluster may still select it. guarded: the emitted canary carries the
 * labels, so only the fallback without the guard policy is affected, which explain says.
 */
function checkHosts(input: PlanInput, guarded: boolean): { strandedBy: string[]; warnings: string[] } {
  const { context, hosts } = input;
  const { base } = context;
  const labels = labelsOf(base.manifest.object);
  const names = Object.keys(labels);
  if (guarded) {
    const stranding = hostsStrandingCopy(base, hosts);
    const [noun, verb] = stranding.count === 1 ? ['Host', 'takes'] : ['Hosts', 'take'];
    const warning = `without the guard policy, the controller's own copy of ${base.name} carries no labels, and ${noun} ${describeStranding(stranding)}, which ${verb} the base through its labels, would not take it`;
    return { strandedBy: [], warnings: stranding.count > 0 ? [warning] : [] };
  }
  if (hosts.size === 0) {
    const warning =
      names.length === 0
        ? []
        : [
            `${base.name} carries labels (${names.join(', ')}) and the render holds no Host: a Host in the cluster whose mappingSelector selects them would never take the controller's canary copy, which carries no labels (check the live Hosts with canary-mapping audit, or use strategy guarded)`,
          ];
    return { strandedBy: [], warnings: warning };
  }
  const stranding = hostsStrandingCopy(base, hosts);
  const [first] = stranding.hosts;
  if (!first) return { strandedBy: [], warnings: [] };
  const one = stranding.count === 1;
  input.diagnostics.push(
    diagnostic(
      'host-selects-base',
      `${describeTaking(stranding, base.name)}; the canary Argo Rollouts copies from ${base.name} carries no labels, so Emissary never attaches it to ${one ? 'that Host' : 'those Hosts'} and the canary gets none of ${one ? 'its' : 'their'} traffic`,
      locate(base.manifest.origin, ['metadata', 'labels']),
      one
        ? `put the Host's hostname on ${base.name} (spec.hostname) and drop the mappingSelector from Host ${first.host.name}, so that base and canary join it by hostname; or set strategy guarded, whose canary Mapping carries the base's labels`
        : `put the Hosts' hostnames on ${base.name} (spec.hostname, one Mapping per hostname) and drop their mappingSelectors, so that base and canary join them by hostname; or set strategy guarded, whose canary Mapping carries the base's labels`,
    ),
  );
  return { strandedBy: stranding.hosts.map(({ host }) => `${host.namespace}/${host.name}`), warnings: [] };
}

/** Contexts a canary needs for TLS: it originates TLS only if the TLSContext it names exists. */
function reliedOn(predictions: Prediction[]): Array<{ name: string; logics: ControllerLogic[] }> {
  const relying = predictions.filter((p) => tlsOnlyThroughUnseenContext(p.canary.upstream) && typeof p.canary.tls === 'string');
  const names = [...new Set(relying.map((p) => p.canary.tls as string))];
  return names.map((name) => ({ name, logics: relying.filter((p) => p.canary.tls === name).map((p) => p.logic) }));
}

/** A TLSContext the canary needs, where the render holds TLSContexts but none of that name. */
function missingContexts(input: PlanInput, relied: Array<{ name: string }>): void {
  const { context, setup } = input;
  if (setup.tlsContexts.length === 0) return;
  for (const { name } of relied.filter((r) => !setup.tlsContexts.includes(r.name))) {
    input.diagnostics.push(
      diagnostic(
        'tls-context-missing',
        `the canary Argo Rollouts copies from base Mapping ${context.base.name} originates TLS only through TLSContext ${name}, but the app's TLSContexts are ${setup.tlsContexts.join(', ')}`,
        context.at(['spec', 'service']),
        name === input.settings.legacyTlsContext
          ? `add TLSContext ${name} to the app, or set legacy-tls-context to one of ${setup.tlsContexts.join(', ')}`
          : `add TLSContext ${name} to the app, or name one of ${setup.tlsContexts.join(', ')} in spec.tls of ${context.base.name}`,
      ),
    );
  }
}

/** The declare step's result: the declared canary, what the controller copies from the base, and the patches. */
interface Declared {
  canary: DeclaredCanary;
  derived: DeclaredCanary;
  /** Where the declaration is written; absent for a derived canary. */
  written?: WrittenDeclaration;
  /** The entry's patches, when it has any. */
  patches?: { entry: LocatedMappingConfig; operations: readonly PatchOperation[] };
}

/** Declare: annotation > config entry > derived, and the entry's patches checked; a problem is reported where it is written. */
function declareStep(input: PlanInput): Declared | undefined {
  const { context, entry, diagnostics } = input;
  const { rollout, services, base, url, stable } = context;
  const declarationContext = declarationContextOf(rollout, services, { name: base.name, url, stable }, input.setup.emissary);
  const derived = derivedCanary(declarationContext);
  const declaration = declareCanary(context.base, entry, declarationContext);
  if (declaration.kind === 'invalid') {
    const { where, at } = declaration.written;
    const what = declaration.problem === undefined ? ' is not a string' : `: ${declaration.problem}`;
    diagnostics.push(diagnostic('template-invalid', `${where} of Mapping ${context.base.name}${what}`, at(), 'write an explicit full URL, e.g. https://{{canaryService}}.{{namespace}}:8443'));
  }
  const operations = entry?.config.patches ?? [];
  const patchProblems = checkPatches(operations);
  const hint = 'patches may change anything of the canary Mapping but apiVersion, kind, metadata.name, metadata.namespace and spec.weight';
  if (entry) {
    for (const { index, message } of patchProblems) diagnostics.push(diagnostic('patch-invalid', `${entry.keyPath}.patches[${index}]: ${message}`, entry.at(`patches[${index}]`), hint));
  }
  if (declaration.kind === 'invalid' || patchProblems.length > 0) return undefined;
  return {
    ...(declaration.kind === 'declared' ? { canary: declaration.declared, written: declaration.written } : { canary: derived }),
    derived,
    ...(entry && operations.length > 0 ? { patches: { entry, operations } } : {}),
  };
}

/** Check: what clone-safe cannot give, and Hosts that would strand the canary. */
function checkStep(input: PlanInput, declared: Declared): { guarded: boolean; strandedBy: string[]; warnings: string[] } | undefined {
  const guarded = input.settings.strategy === 'guarded';
  if (!guarded && needsGuarded(input, declared)) return undefined;
  return { guarded, ...checkHosts(input, guarded) };
}

/**
 * What the controller copies from a base, as written and as clone-safe emits it: the part of the plan that generate,
 * explain and audit all consume, computed once per base by the same solver run.
 */
export interface CopyPlan {
  targeted: ControllerLogic[];
  written: BaseForm;
  /** clone-safe's outcome for the canary derived from the base, the only canary a controller can copy from it. */
  outcome: CloneSafeOutcome;
  /** The emitted form: the solver's, or the base as written when it finds none (guarded keeps it). */
  form: BaseForm;
  rewritten: boolean;
  /** What each targeted logic copies the written and the emitted base into, against the declared canary. */
  fromWritten: Prediction[];
  emitted: Prediction[];
}

export interface CopyInput {
  base: { apiVersion: string; service: string; tls: unknown; stable: Upstream };
  services: RolloutServices;
  derived: DeclaredCanary;
  /** Absent when audit cannot know it (declared only in Git): the copies are then checked for serving stable only. */
  declared: DeclaredCanary | undefined;
  settings: { rolloutsVersion: string; ambassadorApiVersion: AmbassadorApiVersion; legacyTlsContext?: string };
  setup: EmissarySetup;
}

export function planCopies(input: CopyInput): CopyPlan {
  const { base, services, derived, declared, settings, setup } = input;
  const targeted = logicsFor(settings.rolloutsVersion);
  const solverInput: SolverInput = {
    apiVersion: base.apiVersion,
    service: base.service,
    tls: base.tls,
    rollout: services,
    declared: derived,
    stableHosts: [base.stable.host, stableServiceHost(services)],
    logics: targeted,
    controllerApiVersion: settings.ambassadorApiVersion,
    legacyTlsContext: settings.legacyTlsContext ?? '',
    setup,
  };
  const outcome = solveBase(solverInput, base.stable.tls);
  const written: BaseForm = { service: base.service, ...(base.tls !== undefined ? { tls: base.tls } : {}) };
  const form = outcome.ok ? outcome.form : written;
  // The solver predicted for the canary derived from the base; where the declared canary is that one, its predictions
  // are the plan's.
  const sameCanary = declared !== undefined && uncopyable(derived, declared).length === 0;
  const against = { ...solverInput, declared };
  const fromWritten = sameCanary ? outcome.asWritten : predict(against, written);
  const emitted = sameCanary ? (outcome.ok ? outcome.predictions : outcome.asWritten) : predict(against, form);
  return { targeted, written, outcome, form, rewritten: outcome.ok && outcome.rewritten, fromWritten, emitted };
}

/**
 * Solve: the base made as safe as the controller allows, for the declared canary, or in guarded mode for the closest
 * canary the controller can copy, so that a cluster without the guard policy still gets the right protocol.
 */
function solveStep(input: PlanInput, declared: Declared, guarded: boolean): { copies: CopyPlan; reliesOn: Array<{ name: string; logics: ControllerLogic[] }> } {
  const { context, settings } = input;
  const copies = planCopies({
    base: { apiVersion: context.base.manifest.object.apiVersion, service: context.service, tls: context.tls, stable: context.stable },
    services: context.services,
    derived: declared.derived,
    declared: declared.canary,
    settings,
    setup: input.setup.emissary,
  });
  if (!copies.outcome.ok && !guarded) input.diagnostics.push(noCloneSafeForm(input, declared.canary, copies.outcome));
  const reliesOn = reliedOn(copies.emitted);
  missingContexts(input, reliesOn);
  return { copies, reliesOn };
}

/** Emit: the edits to the base, and the guarded canary and preview route built from the base as emitted. */
function emitStep(input: PlanInput, declared: Declared, solved: CopyPlan, guarded: boolean): { edits?: FieldEdit[]; generated: KubeObject[]; canaryMapping?: string; previewMapping?: string } {
  const { context, entry, diagnostics } = input;
  const { rollout, base } = context;
  const object = base.manifest.object;
  const edits = solved.rewritten ? rewriteEdits(context, solved.form, declared.canary) : undefined;
  // The canary and the preview route start from the base as emitted, as the controller's copy does: fed its own
  // output, the plugin then makes the same objects again.
  const emittedObject = edits ? applyEdits(object, edits) : object;
  const generated: KubeObject[] = [];
  let canaryMapping: string | undefined;
  let previewMapping: string | undefined;
  if (guarded) {
    const wave = syncWaveOf(rollout.manifest.object);
    if (wave === undefined) {
      diagnostics.push(
        diagnostic(
          'sync-wave-invalid',
          `Rollout ${rollout.namespace}/${rollout.name}: annotation ${SYNC_WAVE_ANNOTATION} is ${JSON.stringify(getPath(metadataOf(rollout.manifest.object).annotations, [SYNC_WAVE_ANNOTATION]))}, not an integer`,
          locate(rollout.manifest.origin, ['metadata', 'annotations', SYNC_WAVE_ANNOTATION]),
          'write the wave as a quoted integer, e.g. "2"',
        ),
      );
    } else {
      const patches = declared.patches;
      const canary = guardedCanary({ base: emittedObject, baseName: base.name, namespace: rollout.namespace, rolloutWave: wave, canaryUrl: declared.canary.url, patches: patches?.operations ?? [] });
      if (canary.ok) {
        generated.push(canary.object);
        canaryMapping = String(getPath(canary.object, ['metadata', 'name']));
      } else if (patches) {
        const { index, message } = canary.problem;
        const hint = 'a patch applies to the canary Mapping as the plugin builds it: the base spec, then service and weight';
        diagnostics.push(diagnostic('patch-failed', `${patches.entry.keyPath}.patches[${index}] does not apply to the canary Mapping: ${message}`, patches.entry.at(`patches[${index}]`), hint));
      }
    }
  }
  const preview = entry?.config.preview;
  if (entry && preview) {
    const name = previewMappingName(base.name);
    const taken = input.mappingNamed(name, rollout.namespace);
    // The plugin's own earlier preview route is replaced by this one.
    if (taken && !isOwnOutput(taken.manifest.object)) {
      diagnostics.push(
        diagnostic(
          'preview-mapping-exists',
          `${entry.keyPath}.preview would emit Mapping ${name}, which is already in the app`,
          locate(taken.manifest.origin, ['metadata', 'name']),
          `rename or remove ${name}, or drop the preview entry`,
        ),
      );
    } else {
      generated.push(previewRoute(emittedObject, base.name, rollout.namespace, declared.canary.url, preview));
      previewMapping = name;
    }
  }
  return { ...(edits ? { edits } : {}), generated, ...(canaryMapping ? { canaryMapping } : {}), ...(previewMapping ? { previewMapping } : {}) };
}

/** One base: declare -> check -> solve -> emit; a step that fails has reported why, and the base gets no plan. */
export function planMapping(input: PlanInput): PlanResult {
  const declared = declareStep(input);
  if (!declared) return { generated: [] };
  const checked = checkStep(input, declared);
  if (!checked) return { generated: [] };
  const solved = solveStep(input, declared, checked.guarded);
  const { edits, generated, canaryMapping, previewMapping } = emitStep(input, declared, solved.copies, checked.guarded);
  const { context, settings } = input;
  const { rollout, base, tls } = context;
  const plan: ActivePlan = {
    rollout: { name: rollout.name, namespace: rollout.namespace },
    base: { name: base.name, apiVersion: base.manifest.object.apiVersion, kind: base.manifest.object.kind, service: solved.copies.written.service, tls, ...(context.notes.length > 0 ? { notes: context.notes } : {}) },
    strategy: settings.strategy,
    declared: declared.canary,
    copies: solved.copies,
    targeted: solved.copies.targeted,
    cloneSafe: solved.copies.outcome.ok && checked.strandedBy.length === 0,
    ...(checked.strandedBy.length > 0 ? { strandedBy: checked.strandedBy } : {}),
    warnings: checked.warnings,
    ...(solved.reliesOn.length > 0 ? { reliesOnTlsContexts: solved.reliesOn } : {}),
    ...(canaryMapping ? { canaryMapping } : {}),
    ...(previewMapping ? { previewMapping } : {}),
  };
  return { plan, ...(edits ? { edits } : {}), generated };
}
