// What the Argo Rollouts controller creates as `<base>-canary` from a base Mapping: read the base through the
// controller's API version, deep-copy its spec, derive the service, set the weight. Used to prove the emitted base.
import { groupOf, hasV2Schema, type AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import { parseServiceUrl } from '../ambassador/service-url.js';
import { resolveUpstream, type Upstream } from '../ambassador/upstream.js';
import { deriveCanaryService, type ControllerLogic } from './controller-logic.js';

export interface MappingSpecView {
  service: string;
  tls?: unknown;
}

export interface BaseMappingObject {
  apiVersion: string;
  spec: MappingSpecView;
}

export interface RolloutServices {
  stableService: string;
  canaryService: string;
  namespace: string;
}

export interface EmulatedCanary {
  /** The spec fields that decide the upstream, as the controller writes them. */
  service: string;
  tls?: unknown;
  upstream: Upstream | undefined;
}

/** The base's spec as the controller reads it; undefined when that API group cannot see the object at all. */
export function readThrough(base: BaseMappingObject, controllerApiVersion: AmbassadorApiVersion): MappingSpecView | undefined {
  if (groupOf(base.apiVersion) !== groupOf(controllerApiVersion)) return undefined;
  const { tls, ...rest } = base.spec;
  const viewedAsV3 = controllerApiVersion === 'getambassador.io/v3alpha1' && hasV2Schema(base.apiVersion);
  // The conversion webhook has no boolean tls in v3alpha1: `tls: true` becomes an https:// prefix, false disappears.
  if (viewedAsV3 && typeof tls === 'boolean') {
    const parsed = parseServiceUrl(rest.service);
    const scheme = tls && parsed.ok && !parsed.url.scheme ? 'https://' : '';
    return { ...rest, service: `${scheme}${rest.service}` };
  }
  return tls === undefined ? rest : { ...rest, tls };
}

export function emulateCanary(
  base: BaseMappingObject,
  rollout: RolloutServices,
  logic: ControllerLogic,
  controllerApiVersion: AmbassadorApiVersion,
): EmulatedCanary | undefined {
  const view = readThrough(base, controllerApiVersion);
  if (!view) return undefined;
  const service = deriveCanaryService(view.service, rollout.stableService, rollout.canaryService, logic);
  const parsed = parseServiceUrl(service);
  return {
    service,
    ...(view.tls !== undefined ? { tls: view.tls } : {}),
    upstream: parsed.ok ? resolveUpstream(parsed.url, view.tls, rollout.namespace) : undefined,
  };
}

/** `identity-canary:443` or `identity-canary:443 with tls: true`: how the canary reads in a message. */
export function describeEmulatedCanary(canary: Pick<EmulatedCanary, 'service' | 'tls'>): string {
  return canary.tls === undefined ? `\`${canary.service}\`` : `\`${canary.service}\` with tls: ${JSON.stringify(canary.tls)}`;
}
