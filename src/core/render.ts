// The pure core: manifests and settings in; edits to the manifests, objects to add, a plan per base Mapping and
// diagnostics out. No I/O.
import { emissarySetup, tlsContextNames } from '../ambassador/emissary-setup.js';
import { isMappingKind } from '../ambassador/mapping-kinds.js';
import { GUARD_POLICY_API, guardPolicyObjects } from '../canary/guard-policy.js';
import { planMapping, skippedPlan, type MappingPlan } from '../canary/plan-mapping.js';
import type { FieldEdit } from '../manifests/emit.js';
import type { KubeObject, Manifest } from '../manifests/manifest.js';
import type { LocatedMappingConfig } from '../settings/mapping-config.js';
import type { Settings } from '../settings/table.js';
import { resolveBases, type BaseLookup } from './base-mappings.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { indexObjects } from './object-index.js';

export type { MappingPlan } from '../canary/plan-mapping.js';

export interface RenderContext {
  settings: Settings;
  /** The Application's destination namespace (ARGOCD_APP_NAMESPACE). */
  destinationNamespace?: string;
  /** The config file's per-Mapping entries, by base Mapping name. */
  mappings?: Record<string, LocatedMappingConfig>;
  /** KUBE_API_VERSIONS as Argo CD passes it; undefined outside Argo CD. */
  kubeApiVersions?: readonly string[];
}

export interface RenderResult {
  edits: Map<Manifest, FieldEdit[]>;
  /** Objects to output right after a manifest (a base Mapping's canary and preview route). */
  generated: Map<Manifest, KubeObject[]>;
  /** Objects to output once, after everything else (the guard policy). */
  trailing: KubeObject[];
  plans: MappingPlan[];
  diagnostics: Diagnostic[];
}

function guardPolicy(settings: Settings, kubeApiVersions: readonly string[] | undefined, diagnostics: Diagnostic[]): KubeObject[] {
  if (settings.guardPolicy !== 'emit') return [];
  if (kubeApiVersions && !kubeApiVersions.includes(GUARD_POLICY_API)) {
    diagnostics.push(
      diagnostic(
        'guard-policy-unsupported',
        `guard-policy is emit, but the destination cluster does not serve ${GUARD_POLICY_API} (KUBE_API_VERSIONS)`,
        undefined,
        'ValidatingAdmissionPolicy is GA from Kubernetes 1.30; on an older cluster set guard-policy omit and use strategy clone-safe',
      ),
    );
    return [];
  }
  return guardPolicyObjects(settings.rolloutsServiceAccount);
}

export function render(manifests: readonly Manifest[], context: RenderContext): RenderResult {
  const { settings } = context;
  // A Map: a Mapping may be named `constructor`, which a plain object would answer with its prototype's member.
  const entries = new Map(Object.entries(context.mappings ?? {}));
  const diagnostics: Diagnostic[] = [];
  const result: RenderResult = { edits: new Map(), generated: new Map(), trailing: [], plans: [], diagnostics };
  const objects = indexObjects(manifests, context.destinationNamespace, diagnostics);
  const mappings = objects.filter((o) => isMappingKind(o.manifest.object.apiVersion, o.kind));
  const setup = { emissary: emissarySetup(objects, settings.serviceNamespace), tlsContexts: tlsContextNames(objects) };
  const lookup: BaseLookup = { mappings, settings, setup: setup.emissary, claimedBy: new Map(), diagnostics };
  const mappingNamed = (name: string, namespace: string) => mappings.find((m) => m.name === name && m.namespace === namespace);

  for (const rollout of objects) {
    for (const resolution of resolveBases(rollout, lookup)) {
      if (resolution.skipped) {
        result.plans.push(skippedPlan(resolution.rollout, resolution.base, settings));
        continue;
      }
      const entry = entries.get(resolution.context.base.name);
      const planned = planMapping({ context: resolution.context, settings, ...(entry ? { entry } : {}), mappingNamed, setup, diagnostics });
      if (planned.plan) result.plans.push(planned.plan);
      if (planned.edits) result.edits.set(resolution.context.base.manifest, planned.edits);
      if (planned.generated.length > 0) result.generated.set(resolution.context.base.manifest, planned.generated);
    }
  }
  const claimed = new Set([...lookup.claimedBy.keys()].map((base) => base.name));
  for (const [name, entry] of entries) {
    if (claimed.has(name)) continue;
    diagnostics.push(
      diagnostic('config-mapping-unknown', `${entry.keyPath}: no Rollout in this app routes through a Mapping named ${name}`, entry.at(''), 'fix the name, or remove the entry'),
    );
  }
  result.trailing = guardPolicy(settings, context.kubeApiVersions, diagnostics);
  return result;
}
