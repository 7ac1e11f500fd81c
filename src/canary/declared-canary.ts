// The canary the user declares for a base Mapping, from the first source that gives one: an annotation on the base,
// the app's config file, or derived from the base itself. Always written as an explicit full URL.
import { formatServiceUrl, parseServiceUrl, type ServiceUrl } from '../ambassador/service-url.js';
import { resolveUpstream, type Upstream } from '../ambassador/upstream.js';
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
}

export interface CanaryTemplate {
  text: string;
  source: Exclude<DeclaredCanarySource, 'derived'>;
}

function explicit(url: ServiceUrl, namespace: string, source: DeclaredCanarySource): DeclaredCanary {
  const upstream = resolveUpstream(url, undefined, namespace);
  return { url: formatServiceUrl({ ...url, port: upstream.port }), upstream, source };
}

/**
 * The base URL with its first host label (the stable Service, checked by the caller) replaced by the canary Service;
 * the rest of the host, the TLS decision and the port after defaults are kept. This is also the best any controller
 * version can copy from the base.
 */
export function derivedCanary(context: DeclarationContext): DeclaredCanary {
  const [, ...rest] = context.base.host.split('.');
  const host = [context.rollout.canaryService, ...rest].join('.');
  const url: ServiceUrl = { scheme: context.stable.tls ? 'https' : 'http', host, hostKind: 'name', port: context.stable.port };
  return explicit(url, context.rollout.namespace, 'derived');
}

export function templateValues(context: DeclarationContext): TemplateValues {
  return {
    stableService: context.rollout.stableService,
    canaryService: context.rollout.canaryService,
    namespace: context.rollout.namespace,
    scheme: context.stable.tls ? 'https' : 'http',
    port: String(context.stable.port),
    host: context.base.host,
    mapping: context.mapping,
    rollout: context.rollout.name,
  };
}

/** The declared canary from a URL template; a problem says what is wrong with the template or what it produced. */
export function templatedCanary(context: DeclarationContext, template: CanaryTemplate): { ok: true; declared: DeclaredCanary } | { ok: false; problem: string } {
  const parsed = parseTemplate(template.text);
  if (!parsed.ok) return parsed;
  const text = renderTemplate(parsed.parts, templateValues(context));
  const url = parseServiceUrl(text);
  if (!url.ok) return { ok: false, problem: `\`${template.text}\` gives \`${text}\`: ${url.problem}` };
  if (!url.url.scheme) {
    return { ok: false, problem: `\`${template.text}\` gives \`${text}\`, which has no scheme; a declared canary is an explicit full URL such as https://name.namespace:8443` };
  }
  return { ok: true, declared: explicit(url.url, context.rollout.namespace, template.source) };
}
