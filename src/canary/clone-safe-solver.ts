// Clone-safe: find the least change to a base Mapping that keeps its stable upstream and makes every targeted
// controller logic copy it into exactly the declared canary. Each candidate is proved by the emulation.
import { acceptsTlsTrue, type AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { formatServiceUrl, type ServiceUrl } from '../ambassador/service-url.js';
import {
  CLUSTER_DOMAIN,
  resolveUpstream,
  sameUpstream,
  upstreamDifferences,
  upstreamOf,
  type Upstream,
} from '../ambassador/upstream.js';
import { emulateCanary, type EmulatedCanary, type RolloutServices } from '../rollouts/clone-emulation.js';
import type { ControllerLogic } from '../rollouts/controller-logic.js';
import type { DeclaredCanary } from './declared-canary.js';

export interface SolverInput {
  apiVersion: string;
  url: ServiceUrl;
  tls: unknown;
  rollout: RolloutServices;
  declared: DeclaredCanary;
  logics: ControllerLogic[];
  controllerApiVersion: AmbassadorApiVersion;
  legacyTlsContext: string;
}

/** The fields of the base that decide its upstream, as the plugin would emit them. */
export interface BaseForm {
  service: string;
  tls?: unknown;
}

export interface Prediction {
  logic: ControllerLogic;
  canary: EmulatedCanary;
  differences: string[];
}

export interface Solution {
  ok: true;
  form: BaseForm;
  rewritten: boolean;
  predictions: Prediction[];
}

export interface NoSolution {
  ok: false;
  /** What each targeted logic would create from the base as written. */
  asWritten: Prediction[];
  tried: number;
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)) !== undefined);
}

function formKey(form: BaseForm): string {
  return JSON.stringify([form.service, form.tls]);
}

/** Candidates in order of preference: as written, explicit port, explicit namespace, FQDN; then with the scheme in spec.tls. */
export function candidateForms(input: SolverInput, stable: Upstream): BaseForm[] {
  const { url, tls } = input;
  const hosts = [url.host];
  if (stable.host.kind === 'service') {
    hosts.push(`${stable.host.name}.${stable.host.namespace}`, `${stable.host.name}.${stable.host.namespace}.${CLUSTER_DOMAIN}`);
  }
  const ports = url.port === undefined ? [undefined, stable.port] : [url.port];
  const tlsCarriers: unknown[] = [];
  if (stable.tls) {
    if (typeof tls === 'string' && tls !== '') tlsCarriers.push(tls);
    if (acceptsTlsTrue(input.apiVersion)) tlsCarriers.push(true);
    if (input.legacyTlsContext) tlsCarriers.push(input.legacyTlsContext);
  }
  const schemes: Array<Pick<ServiceUrl, 'scheme'> & { tls: unknown }> = [
    { ...(url.scheme ? { scheme: url.scheme } : {}), tls },
    ...tlsCarriers.map((carrier) => ({ tls: carrier })),
  ];
  const forms = schemes.flatMap((scheme) =>
    hosts.flatMap((host) =>
      ports.map((port): BaseForm => {
        const service = formatServiceUrl({ ...url, scheme: scheme.scheme, host, port });
        return scheme.tls === undefined ? { service } : { service, tls: scheme.tls };
      }),
    ),
  );
  return unique(forms, formKey);
}

export function predict(input: SolverInput, form: BaseForm): Prediction[] {
  return input.logics.map((logic) => {
    const canary = emulateCanary({ apiVersion: input.apiVersion, spec: form }, input.rollout, logic, input.controllerApiVersion);
    if (!canary) throw new Error('bug: solver called for a base the controller cannot read');
    return { logic, canary, differences: upstreamDifferences(canary.upstream, input.declared.upstream) };
  });
}

export function solveCloneSafe(input: SolverInput): Solution | NoSolution {
  const stable = resolveUpstream(input.url, input.tls, input.rollout.namespace);
  const forms = candidateForms(input, stable);
  for (const [index, form] of forms.entries()) {
    if (!sameUpstream(upstreamOf(form.service, form.tls, input.rollout.namespace), stable)) continue;
    const predictions = predict(input, form);
    if (predictions.every((p) => p.differences.length === 0)) return { ok: true, form, rewritten: index > 0, predictions };
  }
  return { ok: false, asWritten: predict(input, forms[0]!), tried: forms.length };
}
