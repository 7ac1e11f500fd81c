// The controller names the canary copy after its base: the base name cut to 246 characters, plus `-canary`, so the
// result stays within the 253 characters of a Kubernetes name.
export const CANARY_SUFFIX = '-canary';
const BASE_NAME_LIMIT = 253 - CANARY_SUFFIX.length;

export function canaryMappingName(baseName: string): string {
  return `${baseName.slice(0, BASE_NAME_LIMIT)}${CANARY_SUFFIX}`;
}
