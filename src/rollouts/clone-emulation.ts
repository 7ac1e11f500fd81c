// What the Argo Rollouts controller creates as `<base>-canary` from a base Mapping: the API server hands it the base
// through the controller's API version, the controller deep-copies the spec and derives the service, the API server
// stores the copy, and Emissary reads it through v3alpha1. Used to prove the emitted base; measured in
// test/conformance.
import { readAs, rejection, stored, type UpstreamSpec } from '../ambassador/api-conversion.js';
import type { AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { readMappingUpstream, type EmissarySetup, type MappingUpstream, type UpstreamHost } from '../ambassador/upstream.js';
import { deriveCanaryService, type ControllerLogic } from './controller-logic.js';

export interface BaseMappingObject {
  apiVersion: string;
  spec: UpstreamSpec;
}

export interface RolloutServices {
  stableService: string;
  canaryService: string;
  namespace: string;
}

/** The Service that serves stable, as Emissary names hosts. */
export function stableServiceHost(services: RolloutServices): UpstreamHost {
  return { kind: 'service', name: services.stableService, namespace: services.namespace };
}

/** One controller run on a base: each stage of the canary's upstream fields. */
export interface ControllerRun {
  /** The base as the controller reads it. */
  reads: UpstreamSpec;
  /** The canary as the controller sends it (through its API version). */
  created: UpstreamSpec;
  /** As the API server keeps it, and as read back through the controller's API version. */
  stored: UpstreamSpec;
  readBack: UpstreamSpec;
}

export interface EmulatedCanary {
  /** The spec fields that decide the upstream, as the controller writes them. */
  service: string;
  tls?: unknown;
  /** What Emissary makes of the canary. */
  upstream: MappingUpstream;
}

/** undefined when the controller cannot see the base: another API group, or the API server refused it. */
export function runController(
  base: BaseMappingObject,
  rollout: Pick<RolloutServices, 'stableService' | 'canaryService'>,
  logic: ControllerLogic,
  controllerApiVersion: AmbassadorApiVersion,
): ControllerRun | undefined {
  if (rejection(base.apiVersion, base.spec)) return undefined;
  const reads = readAs(base.apiVersion, stored(base.apiVersion, base.spec), controllerApiVersion);
  if (!reads) return undefined;
  // Every other field is copied as read, v2ExplicitTLS included.
  const created = { ...reads, service: deriveCanaryService(reads.service, rollout.stableService, rollout.canaryService, logic) };
  const kept = stored(controllerApiVersion, created);
  return { reads, created, stored: kept, readBack: readAs(controllerApiVersion, kept, controllerApiVersion)! };
}

export function emulateCanary(
  base: BaseMappingObject,
  rollout: RolloutServices,
  logic: ControllerLogic,
  controllerApiVersion: AmbassadorApiVersion,
  setup: EmissarySetup,
): EmulatedCanary | undefined {
  const run = runController(base, rollout, logic, controllerApiVersion);
  if (!run) return undefined;
  return {
    service: run.created.service,
    ...(run.created.tls !== undefined ? { tls: run.created.tls } : {}),
    upstream: readMappingUpstream(controllerApiVersion, run.created, rollout.namespace, setup),
  };
}

/** `identity-canary:443` or `identity-canary:443 with tls: true`: how the canary reads in a message. */
export function describeEmulatedCanary(canary: Pick<EmulatedCanary, 'service' | 'tls'>): string {
  return canary.tls === undefined ? `\`${canary.service}\`` : `\`${canary.service}\` with tls: ${JSON.stringify(canary.tls)}`;
}
