// The pure core: manifests and settings in; edits to the manifests, objects to add, a plan per base Mapping and
// diagnostics out. No I/O.
import { emissarySetup, tlsContextNames } from '../ambassador/emissary-setup.js';
import { hostChecksExhausted, indexHosts, isHostKind } from '../ambassador/host-association.js';
import { groupOf, isMappingKind } from '../ambassador/mapping-kinds.js';
import { GUARD_POLICY_API, guardPolicyObjects } from '../canary/guard-policy.js';
import { isOwnOutput } from '../canary/labels.js';
import { planMapping, skippedPlan, type MappingPlan } from '../canary/plan-mapping.js';
import type { FieldEdit } from '../manifests/emit.js';
import { nameOf, namespaceOf, type Indexed, type KubeObject, type Manifest } from '../manifests/manifest.js';
import type { LocatedMappingConfig } from '../settings/mapping-config.js';
import type { Settings } from '../settings/table.js';
import { mappingsNamed, resolveBases, type BaseLookup } from '../canary/base-mappings.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
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
  /** The plugin's own earlier output in the input, replaced by what this render emits: left out of the output. */
  superseded: Set<Manifest>;
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

/** Input objects that carry the plugin's label and that it emits again: generate is idempotent on its own output. */
function supersededBy(emitted: readonly KubeObject[], objects: readonly Indexed[], destinationNamespace: string | undefined): Set<Manifest> {
  const key = (group: string, kind: string, namespace: string, name: string | undefined) => JSON.stringify([group, kind, namespace, name]);
  const emittedKeys = new Set(emitted.map((o) => key(groupOf(o.apiVersion), o.kind, namespaceOf(o, destinationNamespace), nameOf(o))));
  return new Set(
    objects.filter((o) => isOwnOutput(o.manifest.object) && emittedKeys.has(key(o.group, o.kind, o.namespace, o.name))).map((o) => o.manifest),
  );
}

export function render(manifests: readonly Manifest[], context: RenderContext): RenderResult {
  const { settings } = context;
  // A Map: a Mapping may be named `constructor`, which a plain object would answer with its prototype's member.
  const entries = new Map(Object.entries(context.mappings ?? {}));
  const diagnostics: Diagnostic[] = [];
  const result: RenderResult = { edits: new Map(), generated: new Map(), trailing: [], superseded: new Set(), plans: [], diagnostics };
  const objects = indexObjects(manifests, context.destinationNamespace, diagnostics);
  const mappings = objects.filter((o) => isMappingKind(o.manifest.object.apiVersion, o.kind));
  const setup = { emissary: emissarySetup(objects, settings.serviceNamespace), tlsContexts: tlsContextNames(objects) };
  const lookup: BaseLookup = { mappings, settings, setup: setup.emissary, claimedBy: new Map(), canaryNames: new Map() };
  const mappingNamed = (name: string, namespace: string) => mappingsNamed(mappings, name).find((m) => m.namespace === namespace);
  const hosts = indexHosts(objects.filter((o) => isHostKind(o.manifest.object.apiVersion, o.kind)), mappings);

  for (const rollout of objects) {
    for (const resolution of resolveBases(rollout, lookup, diagnostics)) {
      if (resolution.skipped) {
        result.plans.push(skippedPlan(resolution.rollout, resolution.base, settings));
        continue;
      }
      const entry = entries.get(resolution.context.base.name);
      const planned = planMapping({ context: resolution.context, settings, ...(entry ? { entry } : {}), mappingNamed, hosts, setup, diagnostics });
      if (planned.plan) result.plans.push(planned.plan);
      if (planned.edits) result.edits.set(resolution.context.base.manifest, planned.edits);
      if (planned.generated.length > 0) result.generated.set(resolution.context.base.manifest, planned.generated);
    }
  }
  const exhausted = hostChecksExhausted(hosts);
  // First: the errors of the bases checked before it are real, but this one says why the rest were not checked.
  if (exhausted) diagnostics.unshift(exhausted);
  const claimed = new Set([...lookup.claimedBy.keys()].map((base) => base.name));
  for (const [name, entry] of entries) {
    if (claimed.has(name)) continue;
    diagnostics.push(
      diagnostic('config-mapping-unknown', `${entry.keyPath}: no Rollout in this app routes through a Mapping named ${name}`, entry.at(''), 'fix the name, or remove the entry'),
    );
  }
  result.trailing = guardPolicy(settings, context.kubeApiVersions, diagnostics);
  result.superseded = supersededBy([...[...result.generated.values()].flat(), ...result.trailing], objects, context.destinationNamespace);
  return result;
}
