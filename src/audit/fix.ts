// What to do about a base's findings: one sentence a platform engineer can act on, in Git first, then in the cluster.
import { CANARY_SERVICE_ANNOTATION, GUARD_LABEL } from '../canary/labels.js';
import type { RolloutServices } from '../rollouts/clone-emulation.js';
import { LOGIC_LABELS, type ControllerLogic } from '../rollouts/controller-logic.js';
import type { CloneSafeVerdict, Copy, Finding } from './entry.js';

export interface FixInput {
  namespace: string;
  base: string;
  services: RolloutServices;
  findings: Finding[];
  canary?: { name: string; guarded: boolean; wrong: boolean };
  /** What to fix in Git first, since generate refuses the base as it is (refusal findings). */
  refused?: string;
  /** The declared canary cannot be copied from the base by any controller. */
  uncopyable: boolean;
  /** Whether generate finds a clone-safe form of the base; absent when it refuses the base before trying. */
  cloneSafe?: CloneSafeVerdict;
  /** What else gives the declared canary when generate refuses the base, as generate's refusal says. */
  remedies: string[];
  copies: Copy[];
  targeted: ControllerLogic[];
}

export function fixFor(input: FixInput): string | undefined {
  const { namespace, canary, findings } = input;
  if (findings.length === 0) return undefined;
  const codes = new Set(findings.map((f) => f.code));
  const deletion = canary?.wrong
    ? `delete Mapping ${namespace}/${canary.name} (the controller never recomputes an existing canary's service; it creates a new one from the base while the canary weight is above 0)`
    : undefined;
  const deleteCanary = deletion ? ` Then ${deletion}.` : '';
  if (input.refused) return `${input.refused}${deleteCanary}`;
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
