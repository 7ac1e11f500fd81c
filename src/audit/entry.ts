// What audit reports, as data: one entry per base Mapping of each Rollout, with its findings and what to do. The text
// and JSON reports (src/report/audit.ts) are views of it.
import type { AmbassadorApiVersion } from '../ambassador/mapping-kinds.js';
import type { UpstreamDifference } from '../ambassador/upstream.js';
import type { DeclaredCanary } from '../canary/declared-canary.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostics.js';
import type { ControllerLogic } from '../rollouts/controller-logic.js';

/** How a canary, live or as a controller would create it, differs from the declared canary. */
export type Difference = UpstreamDifference['code'] | 'tls-context-missing';

/** What generate refuses about a base that the live state does not make right: reported as findings in generate's words. */
export const REFUSAL_FINDINGS = ['mapping-listed-twice', 'mapping-shared', 'skip-invalid', 'base-weight', 'canary-name-collision'] as const;

export type RefusalFinding = (typeof REFUSAL_FINDINGS)[number];

export const FINDING_CODES = [
  'lost-scheme',
  'unexpected-tls',
  'wrong-namespace',
  'wrong-port',
  'points-at-stable',
  'wrong-service',
  'canary-unparseable',
  'tls-context-missing',
  'would-break',
  'base-missing',
  'base-invalid',
  'base-not-stable-service',
  'declaration-invalid',
  'rollout-invalid',
  'host-selects-base',
  ...REFUSAL_FINDINGS,
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  message: string;
  location: SourceLocation;
  /** would-break: the controller logic whose copy would be wrong, and how. */
  logic?: ControllerLogic;
  because?: Difference[];
}

/** What one controller logic would create from the live base now. */
export interface Copy {
  logic: ControllerLogic;
  service: string;
  tls?: unknown;
  differences: Difference[];
}

export interface AuditEntry {
  rollout: { namespace: string; name: string };
  /** Absent when the Rollout names no usable base; only the name when the base is not in the input. */
  base?: { name: string; apiVersion?: string; kind?: string; service?: string; tls?: unknown };
  status: 'findings' | 'clean' | 'skipped';
  declared?: { url: string; source: DeclaredCanary['source'] };
  /** Why no declared canary is known; the canary is then only checked for pointing at stable. */
  undeclared?: string;
  /** The live `<base>-canary`; `guarded` when the plugin emitted it (it carries the guard label). */
  canary?: { name: string; service?: string; tls?: unknown; guarded: boolean };
  copies: Copy[];
  findings: Finding[];
  /** What `canary-mapping generate` decides for the live base: clone-safe, or guarded when the live canary is guarded. */
  cloneSafe?: CloneSafeVerdict;
  /** What to do about the findings. */
  fix?: string;
}

/** As generate decides: a kept or rewritten base, or its refusal (the declared canary is no copy of the base, no form is safe, or a refusal finding). */
export type CloneSafeVerdict = { ok: true; rewritten: boolean; service: string; tls?: unknown } | { ok: false; refusal: 'needs-guarded' | 'no-clone-safe-form' | RefusalFinding };

export interface AuditSettings {
  rolloutsVersion: string;
  ambassadorApiVersion: AmbassadorApiVersion;
  /** The app's legacy-tls-context, which lets clone-safe carry https:// in a v3alpha1 base's spec.tls. */
  legacyTlsContext?: string;
  /** Where Emissary resolves bare Service names when the input holds no Module saying so. */
  serviceNamespace?: 'mapping' | 'emissary';
}

export interface AuditResult {
  targeted: ControllerLogic[];
  entries: AuditEntry[];
  /** Problems with the input itself (an object given twice): the audit cannot be trusted. */
  diagnostics: Diagnostic[];
}
