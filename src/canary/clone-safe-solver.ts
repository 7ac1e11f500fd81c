// Clone-safe: find the least change to a base Mapping that keeps its stable upstream and makes every targeted
// controller logic copy it into exactly the declared canary. Each candidate is proved by the emulation (the API
// server's conversion, the controller's derivation, Emissary's reading), so a refusal means that no spelling of the
// base in the searched space works: scheme, host, port and `tls` as written or in each equivalent form.
import { rejection } from '../ambassador/api-conversion.js';
import { acceptsTlsTrue, type AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { formatServiceUrl, splitService, type ServiceUrl } from '../ambassador/service-url.js';
import { differencesOf, readMappingUpstream, sameHost, type EmissarySetup, type MappingUpstream, type Upstream, type UpstreamDifference, type UpstreamHost } from '../ambassador/upstream.js';
import { emulateCanary, type EmulatedCanary, type RolloutServices } from '../rollouts/clone-emulation.js';
import type { ControllerLogic } from '../rollouts/controller-logic.js';
import type { DeclaredCanary } from './declared-canary.js';

export interface SolverInput {
  apiVersion: string;
  /** The base's `spec.service` and `spec.tls` as written (tls undefined when absent). */
  service: string;
  tls: unknown;
  rollout: RolloutServices;
  declared: Pick<DeclaredCanary, 'upstream'>;
  /** The hosts that serve stable (what the base dials, then the stableService): a copy dialling one points at stable. */
  stableHosts: readonly UpstreamHost[];
  logics: ControllerLogic[];
  controllerApiVersion: AmbassadorApiVersion;
  legacyTlsContext: string;
  setup: EmissarySetup;
}

/** The fields of the base that decide its upstream, as the plugin would emit them. */
export interface BaseForm {
  service: string;
  tls?: unknown;
}

export interface Prediction {
  logic: ControllerLogic;
  canary: EmulatedCanary;
  /** How the copy differs from the declared canary; without one, whether it points at stable. */
  differences: UpstreamDifference[];
}

export interface Solution {
  ok: true;
  form: BaseForm;
  rewritten: boolean;
  predictions: Prediction[];
  /** What each targeted logic would create from the base as written. */
  asWritten: Prediction[];
}

export interface NoSolution {
  ok: false;
  /** What each targeted logic would create from the base as written. */
  asWritten: Prediction[];
  tried: number;
}

const ABSENT = Symbol('absent');

function unique<T>(items: T[]): T[] {
  return items.filter((item, index) => items.indexOf(item) === index);
}

/** The values each field of a spelling may take, the field as written first. */
function alternativesOf(input: SolverInput, stable: Upstream) {
  const url = splitService(input.service);
  const host = stable.host;
  return {
    tls: unique<unknown>([
      input.tls === undefined ? ABSENT : input.tls,
      ABSENT,
      '',
      ...(acceptsTlsTrue(input.apiVersion) ? [true] : []),
      ...(input.legacyTlsContext ? [input.legacyTlsContext] : []),
    ]),
    schemes: unique<string | undefined>([url.scheme, url.scheme?.toLowerCase(), undefined, 'http', 'https']),
    hosts: unique([
      url.host,
      url.host.toLowerCase(),
      ...(host.kind === 'service' ? [host.name, `${host.name}.${host.namespace}`, `${host.name}.${host.namespace}.svc`, `${host.name}.${host.namespace}.svc.cluster.local`] : []),
    ]),
    ports: unique<string | undefined>([url.port, undefined, String(stable.port)]),
    paths: unique([url.path, '']),
  };
}

/**
 * Every spelling in the search space, nearest first: fewest fields changed, and among those, a different port before
 * a different host, before a different scheme, before a different `tls`. Made as they are tried, since a solution
 * usually comes within the first few dozen of several hundred.
 */
export function* candidateForms(input: SolverInput, stable: Upstream): Generator<BaseForm> {
  const { tls, schemes, hosts, ports, paths } = alternativesOf(input, stable);
  for (let changes = 0; changes <= 5; changes++) {
    for (let t = 0; t < tls.length; t++) {
      for (let s = 0; s < schemes.length; s++) {
        for (let o = 0; o < hosts.length; o++) {
          for (let p = 0; p < ports.length; p++) {
            for (let a = 0; a < paths.length; a++) {
              if ([t, s, o, p, a].filter((i) => i > 0).length !== changes) continue;
              const scheme = schemes[s];
              const port = ports[p];
              const service = formatServiceUrl({ ...(scheme !== undefined ? { scheme } : {}), host: hosts[o]!, ...(port !== undefined ? { port } : {}), path: paths[a]! } as ServiceUrl);
              yield tls[t] === ABSENT ? { service } : { service, tls: tls[t] };
            }
          }
        }
      }
    }
  }
}

/** How many spellings candidateForms yields. */
function formCount(input: SolverInput, stable: Upstream): number {
  const { tls, schemes, hosts, ports, paths } = alternativesOf(input, stable);
  return tls.length * schemes.length * hosts.length * ports.length * paths.length;
}

/** What each logic copies from a base form, against the declared canary (audit may know none). */
export function predict(input: Omit<SolverInput, 'service' | 'tls' | 'declared' | 'legacyTlsContext'> & { declared: Pick<DeclaredCanary, 'upstream'> | undefined }, form: BaseForm): Prediction[] {
  return input.logics.map((logic) => {
    const canary = emulateCanary({ apiVersion: input.apiVersion, spec: form }, input.rollout, logic, input.controllerApiVersion, input.setup);
    if (!canary) throw new Error('bug: solver called for a base the controller cannot read');
    return { logic, canary, differences: differencesOf(canary.upstream, input.declared?.upstream, input.stableHosts) };
  });
}

function sameTuple(a: Upstream | undefined, b: Upstream | undefined): boolean {
  if (!a || !b) return a === b;
  return a.tls === b.tls && a.port === b.port && sameHost(a.host, b.host);
}

/**
 * A form keeps the stable route when Emissary reads it as the written base: same TLS, host and port whether or not
 * the TLSContexts the render does not hold exist, and the same TLS context, unless the form names the context the
 * user gave in legacy-tls-context. So the stable route never comes to depend on a context nobody can see.
 */
export function keepsStable(written: MappingUpstream, form: BaseForm, read: MappingUpstream, legacyTlsContext: string): boolean {
  if (!sameTuple(read.upstream, written.upstream) || !sameTuple(read.withoutUnseenContexts, written.withoutUnseenContexts)) return false;
  if (legacyTlsContext !== '' && form.tls === legacyTlsContext) return true;
  return read.upstream?.tlsContext === written.upstream?.tlsContext;
}

/** Emissary errors a form may not add to the base: the plugin does not write a spelling Emissary complains about. */
function addsErrors(written: MappingUpstream, read: MappingUpstream): boolean {
  return read.errors.some((code) => !written.errors.includes(code));
}

export function solveCloneSafe(input: SolverInput): Solution | NoSolution {
  const { apiVersion, rollout, setup } = input;
  const writtenForm: BaseForm = { service: input.service, ...(input.tls !== undefined ? { tls: input.tls } : {}) };
  const written = readMappingUpstream(apiVersion, writtenForm, rollout.namespace, setup);
  const stable = written.upstream;
  if (!stable) throw new Error('bug: solver called for a base Emissary does not route');
  // The first spelling is the base as written, which always keeps its own route.
  let asWritten: Prediction[] | undefined;
  for (const form of candidateForms(input, stable)) {
    const first = asWritten === undefined;
    if (!first && rejection(apiVersion, form)) continue;
    const read = first ? written : readMappingUpstream(apiVersion, form, rollout.namespace, setup);
    if (!first && (addsErrors(written, read) || !keepsStable(written, form, read, input.legacyTlsContext))) continue;
    const predictions = predict(input, form);
    asWritten ??= predictions;
    if (predictions.every((p) => p.differences.length === 0)) return { ok: true, form, rewritten: !first, predictions, asWritten };
  }
  return { ok: false, asWritten: asWritten ?? predict(input, writtenForm), tried: formCount(input, stable) };
}
