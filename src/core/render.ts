// The pure core: manifests and settings in; edits to the manifests, a plan per base Mapping and diagnostics out.
import { groupOf, isMappingKind, kindReadThrough } from '../ambassador/mapping-kinds.js';
import { parseServiceUrl } from '../ambassador/service-url.js';
import { describeHost, resolveUpstream } from '../ambassador/upstream.js';
import { solveCloneSafe, type Solution } from '../canary/clone-safe-solver.js';
import { deriveDeclaredCanary, type DeclaredCanary } from '../canary/declared-canary.js';
import type { FieldEdit } from '../manifests/emit.js';
import { locate } from '../manifests/locate.js';
import { getPath, nameOf, namespaceOf, renaming, type Manifest } from '../manifests/manifest.js';
import { canaryMappingName } from '../rollouts/canary-name.js';
import { describeEmulatedCanary } from '../rollouts/clone-emulation.js';
import { LOGIC_LABELS, logicsFor } from '../rollouts/controller-logic.js';
import { ambassadorRoutingOf, CANARY_PATH, MAPPINGS_PATH } from '../rollouts/rollout.js';
import type { Settings } from '../settings/table.js';
import { diagnostic, formatLocation, type Diagnostic } from './diagnostics.js';

export const ANNOTATION_PREFIX = 'canary-mapping.dev/';
export const ORIGINAL_SERVICE_ANNOTATION = `${ANNOTATION_PREFIX}original-service`;
export const ORIGINAL_TLS_ANNOTATION = `${ANNOTATION_PREFIX}original-tls`;
export const CANARY_SERVICE_ANNOTATION = `${ANNOTATION_PREFIX}canary-service`;

export interface RenderContext {
  settings: Settings;
  /** The Application's destination namespace (ARGOCD_APP_NAMESPACE). */
  destinationNamespace?: string;
}

export interface MappingPlan {
  rollout: { name: string; namespace: string };
  base: { name: string; apiVersion: string; kind: string; service: string };
  declared: DeclaredCanary;
  solution: Solution;
}

export interface RenderResult {
  edits: Map<Manifest, FieldEdit[]>;
  plans: MappingPlan[];
  diagnostics: Diagnostic[];
}

interface Indexed {
  manifest: Manifest;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

function identity(group: string, kind: string, namespace: string, name: string): string {
  return JSON.stringify([group, kind, namespace, name]);
}

function index(manifests: readonly Manifest[], destinationNamespace: string | undefined, diagnostics: Diagnostic[]): Indexed[] {
  const seen = new Map<string, Indexed>();
  const indexed: Indexed[] = [];
  for (const manifest of manifests) {
    const name = nameOf(manifest.object);
    if (!name) continue;
    const entry = {
      manifest,
      group: groupOf(manifest.object.apiVersion),
      kind: manifest.object.kind,
      namespace: namespaceOf(manifest.object, destinationNamespace),
      name,
    };
    const key = identity(entry.group, entry.kind, entry.namespace, entry.name);
    const first = seen.get(key);
    if (first) {
      diagnostics.push(
        diagnostic(
          'duplicate-object',
          `${entry.kind} ${entry.namespace}/${name} is defined twice; first at ${formatLocation(locate(first.manifest.origin))}`,
          locate(manifest.origin),
          'keep one definition: Argo CD would apply only one of them',
        ),
      );
      continue;
    }
    seen.set(key, entry);
    indexed.push(entry);
  }
  return indexed;
}

export function render(manifests: readonly Manifest[], context: RenderContext): RenderResult {
  const { settings, destinationNamespace } = context;
  const diagnostics: Diagnostic[] = [];
  const edits = new Map<Manifest, FieldEdit[]>();
  const plans: MappingPlan[] = [];
  const objects = index(manifests, destinationNamespace, diagnostics);
  const mappings = objects.filter((o) => isMappingKind(o.manifest.object.apiVersion, o.kind));
  const claimedBy = new Map<Indexed, Manifest>();
  const logics = logicsFor(settings.rolloutsVersion);
  const controllerKind = kindReadThrough(settings.ambassadorApiVersion);
  const controllerGroup = groupOf(settings.ambassadorApiVersion);

  for (const rollout of objects) {
    const routing = ambassadorRoutingOf(rollout.manifest.object);
    if (!routing) continue;
    const at = (path: readonly (string | number)[], key = false) => locate(rollout.manifest.origin, path, { key });
    const who = `Rollout ${rollout.namespace}/${rollout.name}`;
    const serviceProblems = (['stableService', 'canaryService'] as const).filter((field) => {
      const value = routing[field];
      if (typeof value === 'string' && value !== '') return false;
      diagnostics.push(
        diagnostic(
          'rollout-service-missing',
          `${who} routes through Ambassador but has no ${field}`,
          at(CANARY_PATH, true),
          `set spec.strategy.canary.${field} to the name of the ${field === 'stableService' ? 'stable' : 'canary'} Service; the controller needs both to copy the Mapping`,
        ),
      );
      return true;
    });
    const { mappings: names, stableService, canaryService } = routing;
    if (typeof canaryService === 'string' && canaryService.includes('.')) {
      diagnostics.push(
        diagnostic(
          'canary-service-not-bare',
          `${who}: canaryService \`${canaryService}\` must be a bare Service name in the Rollout's namespace`,
          at([...CANARY_PATH, 'canaryService']),
          'write only the Service name; the Service must live in the namespace of the Rollout',
        ),
      );
      serviceProblems.push('canaryService');
    }
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) {
      diagnostics.push(
        diagnostic(
          'rollout-mappings-invalid',
          `${who}: trafficRouting.ambassador.mappings must be a non-empty list of Mapping names`,
          at(MAPPINGS_PATH),
          'list the names of the base Mappings in the namespace of the Rollout',
        ),
      );
      continue;
    }
    if (serviceProblems.length > 0) continue;
    const services = { stableService: stableService as string, canaryService: canaryService as string, namespace: rollout.namespace };

    (names as string[]).forEach((baseName, position) => {
      // Positions cost a parse of the file: look them up only for a diagnostic.
      const nameAt = () => at([...MAPPINGS_PATH, position]);
      const sameName = mappings.filter((m) => m.name === baseName);
      const base = sameName.find((m) => m.namespace === rollout.namespace && m.group === controllerGroup && m.kind === controllerKind);
      if (!base) {
        const inNamespace = sameName.find((m) => m.namespace === rollout.namespace);
        const elsewhere = sameName.find((m) => m.namespace !== rollout.namespace);
        const renamed = inNamespace ? undefined : renamedMapping(mappings, baseName, rollout.namespace);
        const [message, hint] = renamed
          ? [
              `${who} names Mapping ${baseName}, which is not in this app in namespace ${rollout.namespace}: ${renamed.renderer} renamed it to ${renamed.name} (written at ${formatLocation(renamed.at)}) but left the Rollout's reference to it as it was`,
              renamed.hint,
            ]
          : inNamespace
          ? [
              `${who} names Mapping ${baseName}, which is of kind ${inNamespace.kind} (${inNamespace.manifest.object.apiVersion}), but the controller reads ${controllerKind}s through ${settings.ambassadorApiVersion} and would never find it`,
              `set ambassador-api-version to the controller's --ambassador-api-version, or write ${baseName} as a ${controllerGroup} ${controllerKind}`,
            ]
          : [
              `${who} names Mapping ${baseName}, which is not in this app in namespace ${rollout.namespace}`,
              elsewhere
                ? `a Mapping ${baseName} exists in namespace ${elsewhere.namespace} (${formatLocation(locate(elsewhere.manifest.origin))}); base Mappings must live in the Rollout's namespace`
                : 'add the base Mapping to the app, or fix the name in trafficRouting.ambassador.mappings',
            ];
        diagnostics.push(diagnostic(inNamespace ? 'mapping-not-visible' : 'mapping-not-found', message, nameAt(), hint));
        return;
      }
      const baseAt = (path: readonly string[]) => locate(base.manifest.origin, path);
      const owner = claimedBy.get(base);
      if (owner) {
        diagnostics.push(
          diagnostic(
            'mapping-shared',
            `Mapping ${base.namespace}/${baseName} is named by two Rollouts; the other is at ${formatLocation(locate(owner.origin))}`,
            nameAt(),
            'give each Rollout its own base Mapping: both controllers would fight over one canary copy',
          ),
        );
        return;
      }
      claimedBy.set(base, rollout.manifest);

      const canaryName = canaryMappingName(baseName);
      const existing = mappings.find((m) => m.name === canaryName && m.namespace === rollout.namespace);
      if (existing) {
        diagnostics.push(
          diagnostic(
            'canary-mapping-exists',
            `Mapping ${canaryName} is already in the app, but Argo Rollouts owns that name: it adopts the object, resets it from ${baseName} and deletes it at every update`,
            locate(existing.manifest.origin, ['metadata', 'name']),
            `remove ${canaryName}; declare the canary through ${baseName} instead`,
          ),
        );
      }
      const spec = getPath(base.manifest.object, ['spec']);
      const weight = getPath(spec, ['weight']);
      if (weight !== undefined && weight !== 0) {
        diagnostics.push(
          diagnostic(
            'base-weight',
            `base Mapping ${baseName} sets weight ${JSON.stringify(weight)}; Argo Rollouts rejects a Rollout whose base Mapping has a weight`,
            baseAt(['spec', 'weight']),
            'remove spec.weight from the base Mapping: the controller sets the weight of the canary copy',
          ),
        );
      }
      const service = getPath(spec, ['service']);
      if (typeof service !== 'string') {
        diagnostics.push(diagnostic('service-missing', `base Mapping ${baseName} has no spec.service`, baseAt(['spec']), 'set spec.service to the stable Service URL, e.g. https://identity:443'));
        return;
      }
      const parsed = parseServiceUrl(service);
      if (!parsed.ok) {
        diagnostics.push(diagnostic('service-invalid', parsed.problem, baseAt(['spec', 'service']), parsed.hint));
        return;
      }
      const tls = getPath(spec, ['tls']);
      const stable = resolveUpstream(parsed.url, tls, rollout.namespace);
      if (stable.host.kind !== 'service' || stable.host.name !== services.stableService || stable.host.namespace !== rollout.namespace) {
        diagnostics.push(
          diagnostic(
            'base-not-stable-service',
            `base Mapping ${baseName} sends traffic to ${describeHost(stable.host)}, not to the Rollout's stableService ${services.stableService} in namespace ${rollout.namespace}; the controller would copy it into a canary that still serves stable`,
            baseAt(['spec', 'service']),
            `point spec.service at the stable Service (e.g. ${stable.tls ? 'https' : 'http'}://${services.stableService}:${stable.port}), or give this route its own Mapping outside the Rollout`,
          ),
        );
        return;
      }
      if (weight !== undefined && weight !== 0) return;
      const declared = deriveDeclaredCanary(parsed.url, stable, services.canaryService);
      const solution = solveCloneSafe({
        apiVersion: base.manifest.object.apiVersion,
        url: parsed.url,
        tls,
        rollout: services,
        declared,
        logics,
        controllerApiVersion: settings.ambassadorApiVersion,
        legacyTlsContext: settings.legacyTlsContext,
      });
      if (!solution.ok) {
        const breaks = solution.asWritten
          .filter((p) => p.differences.length > 0)
          .map((p) => `${LOGIC_LABELS[p.logic]} would create ${describeEmulatedCanary(p.canary)} (${p.differences.join(', ')})`);
        const remedies = [
          logics.length > 1 ? 'set rollouts-version to the Argo Rollouts version you run, if no other version serves this app' : '',
          stable.tls && !settings.legacyTlsContext
            ? 'set legacy-tls-context to the name of a TLSContext, so https:// can travel in spec.tls where every controller copies it'
            : '',
          'or, once available, use the guarded strategy, which emits the canary Mapping itself',
        ].filter(Boolean);
        diagnostics.push(
          diagnostic(
            'no-clone-safe-form',
            `no rewrite of base Mapping ${baseName} makes the controller create the declared canary ${declared.url}: ${breaks.join('; ')}; tried ${solution.tried} equivalent form${solution.tried === 1 ? '' : 's'}`,
            baseAt(['spec', 'service']),
            remedies.join('; '),
          ),
        );
        return;
      }
      plans.push({
        rollout: { name: rollout.name, namespace: rollout.namespace },
        base: { name: baseName, apiVersion: base.manifest.object.apiVersion, kind: base.kind, service },
        declared,
        solution,
      });
      if (solution.rewritten) edits.set(base.manifest, rewriteEdits(service, tls, solution, declared));
    });
  }
  return { edits, plans, diagnostics };
}

/** A Mapping a renderer (Kustomize's namePrefix, say) renamed away from the name a Rollout still uses. */
function renamedMapping(mappings: readonly Indexed[], writtenName: string, namespace: string) {
  for (const mapping of mappings) {
    const renamed = mapping.namespace === namespace ? renaming(mapping.manifest.origin) : undefined;
    if (renamed?.written === writtenName) return { ...renamed, name: mapping.name, at: locate(mapping.manifest.origin) };
  }
  return undefined;
}

function rewriteEdits(service: string, tls: unknown, solution: Solution, declared: DeclaredCanary): FieldEdit[] {
  const annotation = (key: string, value: string): FieldEdit => ({ path: ['metadata', 'annotations', key], value });
  const edits: FieldEdit[] = [
    annotation(ORIGINAL_SERVICE_ANNOTATION, service),
    annotation(CANARY_SERVICE_ANNOTATION, declared.url),
    { path: ['spec', 'service'], value: solution.form.service },
  ];
  if (solution.form.tls !== tls) {
    edits.push({ path: ['spec', 'tls'], value: solution.form.tls });
    if (tls !== undefined) edits.push(annotation(ORIGINAL_TLS_ANNOTATION, JSON.stringify(tls)));
  }
  return edits;
}
