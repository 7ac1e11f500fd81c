// The canary the user declares for a base Mapping, from the first source that gives one: an annotation on the base,
// the app's config file, or derived from the base itself. Always written as an explicit full URL.
import { checkService, formatServiceUrl, type ServiceUrl } from '../ambassador/service-url.js';
import type { EmissarySetup, Upstream } from '../ambassador/upstream.js';
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
