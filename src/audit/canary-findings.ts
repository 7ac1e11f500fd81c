// How a canary (live, or a controller's copy) reads as findings: the differences come from the model generate and
// explain use (differencesOf); this module only words them as audit does, "Mapping … speaks plain HTTP, but …".
import { splitService } from '../ambassador/service-url.js';
import { describeHost, tlsOnlyThroughUnseenContext, type MappingUpstream, type UpstreamDifference } from '../ambassador/upstream.js';
import type { Difference } from './entry.js';

export interface Observed {
  code: Difference;
  /** A predicate of the canary: "speaks plain HTTP, but …". */
  text: string;
}

/** A difference between a canary and the declared one (typed by the shared model), as audit words it: "the canary …". */
function observed(difference: UpstreamDifference, written: string): Observed {
  switch (difference.code) {
    case 'canary-unparseable':
      return { code: difference.code, text: `has a service Emissary routes nothing for: ${difference.read.errorText.join('; ')}` };
    case 'unexpected-tls':
      return { code: difference.code, text: 'originates TLS, but the declared canary speaks plain HTTP' };
    case 'lost-scheme':
      return { code: difference.code, text: 'speaks plain HTTP, but the declared canary originates TLS' };
    case 'points-at-stable': {
      const which = difference.stable === 0 ? 'the upstream of the base' : "the Rollout's stableService";
      return { code: difference.code, text: `dials ${describeHost(difference.actual)}, ${which}: the canary's share of the traffic goes to stable pods` };
    }
    case 'wrong-namespace': {
      const { actual, expected } = difference;
      const text = written.includes('.')
        ? `dials namespace ${actual.namespace} instead of ${expected.namespace}`
        : `names no namespace, so Emissary looks for Service ${actual.name} in ${actual.namespace}, the Mapping's namespace, instead of ${expected.namespace}`;
      return { code: difference.code, text };
    }
    case 'wrong-service':
      return { code: difference.code, text: `dials ${describeHost(difference.actual)} instead of ${describeHost(difference.expected)}` };
    case 'wrong-port':
      return { code: difference.code, text: `dials port ${difference.actual} instead of ${difference.expected}` };
  }
}

/**
 * What is wrong with a canary (live, or a controller's copy read by Emissary), from the shared difference model; a
 * TLSContext missing among the live ones comes first, since then nothing else about its TLS holds.
 */
export function observe(canary: { service?: unknown; tls?: unknown }, read: MappingUpstream | undefined, differences: readonly UpstreamDifference[], liveTlsContexts: readonly string[]): Observed[] {
  if (typeof canary.service !== 'string' || !read) return [{ code: 'canary-unparseable', text: 'has no spec.service' }];
  if (liveTlsContexts.length > 0 && tlsOnlyThroughUnseenContext(read)) {
    const text = `originates TLS only through TLSContext ${String(canary.tls)}, which is not among the live TLSContexts (${liveTlsContexts.join(', ')}): Emissary speaks plain HTTP to it`;
    return [{ code: 'tls-context-missing', text }];
  }
  const url = splitService(canary.service);
  // A scheme the copy mangled (`ht-canarytp://`) is stripped: Emissary still routes the rest, often to stable.
  const stripped = read.errors.includes('unknown-scheme') ? `has the scheme \`${url.scheme}://\`, which Emissary strips with an error, and ` : '';
  return differences.map((difference, index) => {
    const o = observed(difference, url.host);
    return index === 0 && difference.code !== 'canary-unparseable' ? { ...o, text: `${stripped}${o.text}` } : o;
  });
}
