// Live Hosts that take a base through its labels but never its canary: the finding, and what to do about it.
import { describeSelector, hostsStrandingCopy, labelsOf, selectorMatches, type StrandingHost } from '../ambassador/host-association.js';
import { formatLocation } from '../diagnostics/diagnostics.js';
import { locate } from '../manifests/locate.js';
import type { Indexed } from '../manifests/manifest.js';
import type { Finding } from './entry.js';

/**
 * Live Hosts that take the base through its labels but not its canary: the live canary when there is one (a guarded
 * canary carries the base's labels), else the controller's next copy, which carries none.
 */
export function strandingHosts(base: Indexed, live: Indexed | undefined, hosts: readonly Indexed[]): StrandingHost[] {
  const byBase = hostsStrandingCopy(base.manifest.object, labelsOf(base.manifest.object), hosts);
  return live ? byBase.filter(({ selector }) => !selectorMatches(selector, labelsOf(live.manifest.object))) : byBase;
}

export function hostFinding({ host, selector }: StrandingHost, base: Indexed, live: Indexed | undefined): Finding {
  const hostAt = formatLocation(locate(host.manifest.origin, ['spec']));
  const takes = `Host ${host.namespace}/${host.name} (${hostAt}) takes Mapping ${base.namespace}/${base.name} through its labels (mappingSelector ${describeSelector(selector)})`;
  return live
    ? {
        code: 'host-selects-base',
        message: `${takes}, but not its canary ${live.name}, whose labels do not match: the canary gets none of that Host's traffic`,
        location: locate(live.manifest.origin, ['metadata']),
      }
    : {
        code: 'host-selects-base',
        message: `${takes}; the canary Argo Rollouts copies from the base carries no labels, so Emissary will not attach it to that Host and the canary will get none of its traffic`,
        location: locate(base.manifest.origin, ['metadata', 'labels']),
      };
}

export function hostsFix(base: Indexed, stranding: readonly StrandingHost[], live: Indexed | undefined, guarded: boolean): string {
  const names = stranding.map(({ host }) => `${host.namespace}/${host.name}`).join(', ');
  if (guarded) return `Re-render the app with this version of canary-mapping, whose guarded canary Mapping carries the base's labels, and sync, or put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git.`;
  const then = live ? ` Then delete Mapping ${live.namespace}/${live.name}, so that the next copy is made from the fixed base.` : '';
  return `Put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git, or render the app with strategy guarded (its canary Mapping carries the base's labels), and sync.${then}`;
}
