// Argo Rollouts has derived the canary Mapping's service in two ways over its history; which ones a render must be
// safe for follows from the `rollouts-version` setting.

export type ControllerLogic = 'host-rebuild' | 'first-replace';

export const CONTROLLER_LOGICS: readonly ControllerLogic[] = ['host-rebuild', 'first-replace'];

export const LOGIC_LABELS: Record<ControllerLogic, string> = {
  'host-rebuild': 'Argo Rollouts ≤ 1.6.6',
  'first-replace': 'Argo Rollouts ≥ 1.7.0',
};

/** `any` targets both logics; a version targets the one that version runs (1.7.0 changed it). */
export function logicsFor(rolloutsVersion: string): ControllerLogic[] {
  if (rolloutsVersion === 'any') return [...CONTROLLER_LOGICS];
  const [major = 0, minor = 0] = rolloutsVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 7) ? ['first-replace'] : ['host-rebuild'];
}

/** Go's strconv.Atoi on a 64-bit controller: optional sign, ASCII digits, within int64. */
function isGoInt(text: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(text)) return false;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

/**
 * The service string the controller writes into a new canary Mapping, from the service it read on the base.
 * ≤ 1.6.6 keeps only a trailing part that parses as an integer, as written; ≥ 1.7.0 replaces the first occurrence of the stable name anywhere.
 */
export function deriveCanaryService(
  baseService: string,
  stableService: string,
  canaryService: string,
  logic: ControllerLogic,
): string {
  if (logic === 'first-replace') return baseService.replace(stableService, () => canaryService);
  const parts = baseService.split(':');
  const last = parts[parts.length - 1]!;
  return parts.length > 1 && isGoInt(last) ? `${canaryService}:${last}` : canaryService;
}
