// The canary the user declares for a base Mapping, from the first source that gives one: an annotation on the base,
// the app's config file, or derived from the base itself. Always written as an explicit full URL.
import { checkService, formatServiceUrl, type ServiceUrl } from '../ambassador/service-url.js';
import type { EmissarySetup, Upstream } from '../ambassador/upstream.js';
import type { SourceLocation } from '../diagnostics/diagnostics.js';
import { locate } from '../manifests/locate.js';
import { getPath, metadataOf, type Indexed } from '../manifests/manifest.js';
import type { LocatedMappingConfig } from '../settings/mapping-config.js';
import { CANARY_SERVICE_ANNOTATION } from './labels.js';
import { parseTemplate, renderTemplate, type TemplateValues } from './url-template.js';

export type DeclaredCanarySource = 'annotation' | 'config' | 'derived';

export interface DeclaredCanary {
  /** Explicit full URL: always a scheme and a port. */
  url: string;
  upstream: Upstream;
  source: DeclaredCanarySource;
}

export interface DeclarationContext {
  /** The base's service URL as written, and what it means. */
  base: ServiceUrl;
  stable: Upstream;
  rollout: { name: string; namespace: string; stableService: string; canaryService: string };
  mapping: string;
  setup: EmissarySetup;
}

/** The context of a base as generate and audit read it: its Rollout, its services and what the base dials. */
export function declarationContextOf(
  rollout: Indexed,
  services: { stableService: string; canaryService: string },
  base: { name: string; url: ServiceUrl; stable: Upstream },
  setup: EmissarySetup,
): DeclarationContext {
  return {
    base: base.url,
    stable: base.stable,
    rollout: { name: rollout.name, namespace: rollout.namespace, stableService: services.stableService, canaryService: services.canaryService },
    mapping: base.name,
    setup,
  };
}

export interface CanaryTemplate {
  text: string;
  source: Exclude<DeclaredCanarySource, 'derived'>;
}

/** The written base's host, lower-cased as Emissary reads it, without brackets or a trailing dot. */
function baseHost(context: DeclarationContext): string {
  return context.base.host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** A declared canary is read like a Mapping without `tls` in the Rollout's namespace. */
function explicit(text: string, context: DeclarationContext, source: DeclaredCanarySource): { ok: true; declared: DeclaredCanary } | { ok: false; problem: string } {
  const checked = checkService('getambassador.io/v2', { service: text }, context.rollout.namespace, context.setup);
  if (!checked.ok) return { ok: false, problem: checked.problem };
  const url = formatServiceUrl({ scheme: checked.url.scheme?.toLowerCase(), host: checked.url.host, port: String(checked.upstream.port), path: '' });
  return { ok: true, declared: { url, upstream: checked.upstream, source } };
}

/**
 * The base URL with its first host label (the stable Service, checked by the caller) replaced by the canary Service;
 * the rest of the host, the TLS decision and the port after defaults are kept. This is also the best any controller
 * version can copy from the base.
 */
export function derivedCanary(context: DeclarationContext): DeclaredCanary {
  const [, ...rest] = baseHost(context).split('.');
  const host = [context.rollout.canaryService, ...rest].join('.');
  const derived = explicit(`${context.stable.tls ? 'https' : 'http'}://${host}:${context.stable.port}`, context, 'derived');
  if (!derived.ok) throw new Error(`bug: the derived canary does not parse: ${derived.problem}`);
  return derived.declared;
}

export function templateValues(context: DeclarationContext): TemplateValues {
  return {
    stableService: context.rollout.stableService,
    canaryService: context.rollout.canaryService,
    namespace: context.rollout.namespace,
    scheme: context.stable.tls ? 'https' : 'http',
    port: String(context.stable.port),
    host: baseHost(context),
    mapping: context.mapping,
    rollout: context.rollout.name,
  };
}

/** The declared canary from a URL template; a problem says what is wrong with the template or what it produced. */
export function templatedCanary(context: DeclarationContext, template: CanaryTemplate): { ok: true; declared: DeclaredCanary } | { ok: false; problem: string } {
  const parsed = parseTemplate(template.text);
  if (!parsed.ok) return parsed;
  const text = renderTemplate(parsed.parts, templateValues(context));
  const result = explicit(text, context, template.source);
  if (!result.ok) return { ok: false, problem: `\`${template.text}\` gives \`${text}\`: ${result.problem}` };
  if (!/^https?:\/\//i.test(text)) {
    return { ok: false, problem: `\`${template.text}\` gives \`${text}\`, which does not start with http:// or https://; a declared canary is an explicit full URL such as https://name.namespace:8443` };
  }
  return result;
}

/** Where a declaration is written, and what is written there. */
export interface WrittenDeclaration {
  template: unknown;
  source: CanaryTemplate['source'];
  /** `annotation canary-mapping.…/canary-service`, `mappings.web.canaryService`. */
  where: string;
  at: () => SourceLocation;
}

/**
 * What a base declares, read the same way by generate (annotation > config entry) and audit (the annotation only:
 * the config file is not in the cluster). `none`: nothing is written, and the caller decides what the default is.
 */
export type Declaration =
  | { kind: 'declared'; declared: DeclaredCanary; written: WrittenDeclaration }
  /** problem undefined: the value is not a string. */
  | { kind: 'invalid'; written: WrittenDeclaration; problem?: string }
  | { kind: 'none' };

export function writtenDeclaration(base: Indexed, entry: LocatedMappingConfig | undefined): WrittenDeclaration | undefined {
  const annotation = getPath(metadataOf(base.manifest.object).annotations, [CANARY_SERVICE_ANNOTATION]);
  if (annotation !== undefined) {
    const at = () => locate(base.manifest.origin, ['metadata', 'annotations', CANARY_SERVICE_ANNOTATION]);
    return { template: annotation, source: 'annotation', where: `annotation ${CANARY_SERVICE_ANNOTATION}`, at };
  }
  const configured = entry?.config.canaryService;
  if (entry === undefined || configured === undefined) return undefined;
  return { template: configured, source: 'config', where: `${entry.keyPath}.canaryService`, at: () => entry.at('canaryService') };
}

export function declareCanary(base: Indexed, entry: LocatedMappingConfig | undefined, context: DeclarationContext): Declaration {
  const written = writtenDeclaration(base, entry);
  if (!written) return { kind: 'none' };
  if (typeof written.template !== 'string') return { kind: 'invalid', written };
  const result = templatedCanary(context, { text: written.template, source: written.source });
  return result.ok ? { kind: 'declared', declared: result.declared, written } : { kind: 'invalid', written, problem: result.problem };
}
