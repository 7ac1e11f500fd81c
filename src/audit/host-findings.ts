// Live Hosts that take a base through its labels but never its canary: the finding, and what to do about it.
import { describeStranding, describeTaking, hostsStrandingCopy, labelsOf, type HostIndex, type Stranding } from '../ambassador/host-association.js';
import { locate } from '../manifests/locate.js';
import type { Indexed } from '../manifests/manifest.js';
import type { Finding } from './entry.js';

/**
 * Live Hosts that take the base through its labels but not its canary: the live canary when there is one (a guarded
 * canary carries the base's labels), else the controller's next copy, which carries none.
 */
export function strandingHosts(base: Indexed, live: Indexed | undefined, hosts: HostIndex): Stranding {
  return hostsStrandingCopy(base, hosts, live && labelsOf(live.manifest.object));
}

/** One finding per base, however many Hosts take it: the first few are named, the rest counted. */
export function hostFinding(stranding: Stranding, base: Indexed, live: Indexed | undefined): Finding {
  const takes = describeTaking(stranding, `${base.namespace}/${base.name}`);
  const [that, thats, its] = stranding.count === 1 ? ['that Host', "that Host's", 'its'] : ['those Hosts', "those Hosts'", 'their'];
  return live
    ? {
        code: 'host-selects-base',
        message: `${takes}, but not its canary ${live.name}, whose labels do not match: the canary gets none of ${thats} traffic`,
        location: locate(live.manifest.origin, ['metadata']),
      }
    : {
        code: 'host-selects-base',
        message: `${takes}; the canary Argo Rollouts copies from the base carries no labels, so Emissary will not attach it to ${that} and the canary will get none of ${its} traffic`,
        location: locate(base.manifest.origin, ['metadata', 'labels']),
      };
}

export function hostsFix(base: Indexed, stranding: Stranding, live: Indexed | undefined, guarded: boolean): string {
  const names = describeStranding(stranding);
  if (guarded) return `Re-render the app with this version of canary-mapping, whose guarded canary Mapping carries the base's labels, and sync, or put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git.`;
  const then = live ? ` Then delete Mapping ${live.namespace}/${live.name}, so that the next copy is made from the fixed base.` : '';
  return `Put the Host's hostname on Mapping ${base.namespace}/${base.name} (spec.hostname) and drop the mappingSelector of Host ${names} in Git, or render the app with strategy guarded (its canary Mapping carries the base's labels), and sync.${then}`;
}
