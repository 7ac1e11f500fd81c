// The admission policy that makes guarded canaries survive: Argo Rollouts may not DELETE a Mapping that carries the
// guard label, so after its first reconcile it only ever updates the weight of the canary the plugin emitted.
import type { KubeObject } from '../manifests/manifest.js';
import { GUARD_LABEL, MANAGED_BY_LABEL, MANAGER } from './labels.js';

export const GUARD_POLICY_NAME = 'canary-mapping-guard';
/** What KUBE_API_VERSIONS must list for the policy to be applied (GA in Kubernetes 1.30). */
export const GUARD_POLICY_API = 'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';

export function guardPolicyObjects(rolloutsServiceAccount: string): KubeObject[] {
  const [namespace, name] = rolloutsServiceAccount.split('/') as [string, string];
  const metadata = { name: GUARD_POLICY_NAME, labels: { [MANAGED_BY_LABEL]: MANAGER } };
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['getambassador.io', 'x.getambassador.io'],
              apiVersions: ['*'],
              operations: ['DELETE'],
              resources: ['mappings', 'ambassadormappings'],
            },
          ],
          // For DELETE the selector is matched against the object being deleted.
          objectSelector: { matchLabels: { [GUARD_LABEL]: 'true' } },
        },
        matchConditions: [
          { name: 'from-argo-rollouts', expression: `request.userInfo.username == 'system:serviceaccount:${namespace}:${name}'` },
        ],
        validations: [
          {
            expression: 'false',
            reason: 'Forbidden',
            message: `canary-mapping: this canary Mapping is declared in Git and guarded; Argo Rollouts may change its weight but not delete it`,
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata,
      spec: { policyName: GUARD_POLICY_NAME, validationActions: ['Deny'] },
    },
  ];
}
