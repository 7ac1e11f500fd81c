// `canary-mapping explain`: per Rollout and base Mapping, what is declared, what each controller version would make
// of the base as written and as emitted, and the verdict. Text for people, JSON (the same data) for scripts.
import { describeDifference } from '../ambassador/upstream.js';
import type { MappingPlan } from '../canary/plan-mapping.js';
import type { BaseForm, Prediction } from '../canary/clone-safe-solver.js';
import { describeEmulatedCanary } from '../rollouts/clone-emulation.js';
import { LOGIC_LABELS } from '../rollouts/controller-logic.js';
import type { Settings } from '../settings/table.js';

export const GUARDED_TRADE_OFF =
  'While a Rollout is fully promoted, every reconcile asks to delete its canary Mapping; the guard policy refuses, ' +
  'the controller logs the refused delete and waits 5 s before it goes on. That is the price of a canary that is ' +
  'never re-created from the base.';

/** What an Application using the guarded strategy needs, so Argo CD neither reverts nor flags the controller's weights. */
export const GUARDED_APPLICATION_SNIPPET = `spec:
  ignoreDifferences:
    - group: getambassador.io
      kind: Mapping
      jsonPointers:
        - /spec/weight
    - group: x.getambassador.io
      kind: AmbassadorMapping
      jsonPointers:
        - /spec/weight
  syncPolicy:
    syncOptions:
      - RespectIgnoreDifferences=true
`;

export function describeForm(form: BaseForm): string {
  return form.tls === undefined ? form.service : `${form.service} with tls: ${JSON.stringify(form.tls)}`;
}

function describePrediction(prediction: Prediction): string {
  const outcome = prediction.differences.length === 0 ? 'as declared' : prediction.differences.map(describeDifference).join(', ');
  return `${describeEmulatedCanary(prediction.canary).replace(/`/g, '')} — ${outcome}`;
}

export function verdict(plan: MappingPlan): string {
  if (plan.strategy === 'skip') return 'skipped (canary-mapping.dev/skip): the plugin leaves this Mapping and its canary alone';
  const targeted = plan.targeted.map((logic) => LOGIC_LABELS[logic]).join(' and ');
  const { copies } = plan;
  const base = copies.rewritten ? 'the rewritten base' : 'the base as written';
  const fallback = copies.emitted.filter((p) => plan.targeted.includes(p.logic) && p.differences.length > 0);
  if (plan.strategy === 'clone-safe') {
    if (plan.strandedBy) return `unsafe: Host ${plan.strandedBy.join(', ')} takes the base through its labels, never the controller's unlabelled copy (see the error)`;
    return plan.cloneSafe ? `safe: ${targeted} copy ${base} into the declared canary` : 'unsafe: no equivalent base gives the declared canary (see the error)';
  }
  const guarded = `guarded: the plugin emits ${plan.canaryMapping ?? 'the canary Mapping'} as declared and the guard policy keeps it`;
  if (fallback.length === 0) return `${guarded}; without the policy, ${targeted} still copy ${base} into the declared canary`;
  return `${guarded}; without the policy, ${fallback.map((p) => `${LOGIC_LABELS[p.logic]} would create ${describePrediction(p)}`).join('; ')}`;
}

function rows(plan: MappingPlan): Array<[string, string]> {
  if (plan.strategy === 'skip') return [['verdict', verdict(plan)]];
  const { copies } = plan;
  const predictions = (label: string, list: Prediction[]) => list.map((p): [string, string] => [`${LOGIC_LABELS[p.logic]} from ${label}`, describePrediction(p)]);
  return [
    ['base service', describeForm({ service: plan.base.service!, ...(plan.base.tls !== undefined ? { tls: plan.base.tls } : {}) })],
    ...(plan.base.notes ?? []).map((note): [string, string] => ['Emissary', note]),
    ['declared canary', `${plan.declared.url} (${plan.declared.source})`],
    ...predictions('written base', copies.fromWritten),
    ['emitted base', `${describeForm(copies.form)}${copies.rewritten ? ' (rewritten)' : ' (as written)'}`],
    ...predictions('emitted base', copies.emitted),
    ...(plan.reliesOnTlsContexts ?? []).map(({ name, logics }): [string, string] => [
      'TLS context',
      `the canary ${logics.map((logic) => LOGIC_LABELS[logic]).join(' and ')} copies originates TLS only if TLSContext ${name} exists in the cluster; the stable route does not depend on it`,
    ]),
    ...(plan.canaryMapping ? [['canary Mapping', `${plan.canaryMapping} (emitted, weight 0)`] as [string, string]] : []),
    ...(plan.previewMapping ? [['preview route', plan.previewMapping] as [string, string]] : []),
    ['strategy', plan.strategy],
    ['verdict', verdict(plan)],
    ...plan.warnings.map((warning): [string, string] => ['warning', warning]),
  ];
}

export function explainText(plans: readonly MappingPlan[], settings: Settings): string {
  if (plans.length === 0) return 'No Rollout in this app routes through Ambassador Mappings: nothing to explain.\n';
  const blocks = plans.map((plan) => {
    const lines = rows(plan);
    const width = Math.max(...lines.map(([label]) => label.length));
    const title = `Rollout ${plan.rollout.namespace}/${plan.rollout.name} · ${plan.base.kind} ${plan.base.name} (${plan.base.apiVersion})`;
    return `${title}\n${lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
  });
  const guarded = settings.strategy === 'guarded' && plans.some((plan) => plan.strategy === 'guarded');
  const guardedNotes = guarded
    ? [
        `Guarded canaries need this in every Application that renders them, so that Argo CD ignores the weights Argo Rollouts sets:\n\n${GUARDED_APPLICATION_SNIPPET}`,
        `Trade-off: ${GUARDED_TRADE_OFF}\n`,
      ]
    : [];
  return [...blocks, ...guardedNotes].join('\n');
}

function predictionData(p: Prediction) {
  return {
    controller: LOGIC_LABELS[p.logic],
    logic: p.logic,
    service: p.canary.service,
    ...(p.canary.tls !== undefined ? { tls: p.canary.tls } : {}),
    asDeclared: p.differences.length === 0,
    differences: p.differences.map(describeDifference),
  };
}

function planData(plan: MappingPlan) {
  const head = { rollout: plan.rollout, base: plan.base, strategy: plan.strategy, targeted: plan.targeted.map((logic) => LOGIC_LABELS[logic]) };
  if (plan.strategy === 'skip') return { ...head, cloneSafe: false, verdict: verdict(plan) };
  const { copies } = plan;
  return {
    ...head,
    declared: { url: plan.declared.url, source: plan.declared.source },
    fromWritten: copies.fromWritten.map(predictionData),
    emitted: { ...copies.form, rewritten: copies.rewritten, predictions: copies.emitted.map(predictionData) },
    cloneSafe: plan.cloneSafe,
    ...(plan.strandedBy ? { strandedBy: plan.strandedBy } : {}),
    ...(plan.warnings.length > 0 ? { warnings: plan.warnings } : {}),
    ...(plan.reliesOnTlsContexts
      ? { reliesOnTlsContexts: plan.reliesOnTlsContexts.map(({ name, logics }) => ({ name, controllers: logics.map((logic) => LOGIC_LABELS[logic]) })) }
      : {}),
    ...(plan.canaryMapping ? { canaryMapping: plan.canaryMapping } : {}),
    ...(plan.previewMapping ? { previewMapping: plan.previewMapping } : {}),
    verdict: verdict(plan),
  };
}

export function explainData(plans: readonly MappingPlan[], settings: Settings): unknown {
  return {
    settings: {
      strategy: settings.strategy,
      rolloutsVersion: settings.rolloutsVersion,
      ambassadorApiVersion: settings.ambassadorApiVersion,
      ...(settings.legacyTlsContext ? { legacyTlsContext: settings.legacyTlsContext } : {}),
    },
    mappings: plans.map(planData),
    ...(settings.strategy === 'guarded' ? { guarded: { applicationSnippet: GUARDED_APPLICATION_SNIPPET, tradeOff: GUARDED_TRADE_OFF } } : {}),
  };
}
