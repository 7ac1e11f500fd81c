// The install kit, deploy/, rendered offline with `kubectl kustomize` on top of test/deploy/argocd-install: a
// kustomization shaped like the one users install Argo CD with (the stock repo server, the component, an image
// override). Checks that the sidecar lands in argocd-repo-server as Argo CD documents it; that the committed files are
// what scripts/docs/install-kit.ts generates; and that the argo-cd Helm chart values and the Argo CD Operator snippet add
// the same sidecar, volumes and plugin configuration as deploy/sidecar.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { installKitFiles } from '../scripts/docs/install-kit.js';
import { repoRoot } from './support/repo.js';

type Obj = Record<string, any>;

function kubectl(): string | undefined {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return 'kubectl';
  } catch {
    return undefined;
  }
}

const plugin = parseYaml(readFileSync(join(repoRoot, 'cmp-plugin.yaml'), 'utf8')) as Obj;

describe('deploy/ install kit', () => {
  it('adds the sidecar to argocd-repo-server, with the shared volumes, its own /tmp, UID 999 and the cmp-server', (t) => {
    const tool = kubectl();
    if (!tool) {
      t.skip('kubectl is not installed: the install kit was not rendered (install kubectl to run this test)');
      return;
    }
    // No KUBECONFIG and no network: kustomize reads only the local directories.
    const output = execFileSync(tool, ['kustomize', join(repoRoot, 'test', 'deploy', 'argocd-install')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const objects = parseAllDocuments(output).map((document) => document.toJS() as Obj);
    assert.equal(objects.length, 1, 'the component adds no objects of its own');
    const deployment = objects[0]!;
    assert.equal(deployment.metadata.name, 'argocd-repo-server');
    const pod = deployment.spec.template.spec;
    assert.deepEqual(pod.containers.map((c: Obj) => c.name), ['argocd-repo-server', 'canary-mapping'], 'appended: the repo server stays the first container');
    const repoServer = pod.containers[0];
    const sidecar = pod.containers[1];
    assert.deepEqual(sidecar.command, ['/var/run/argocd/argocd-cmp-server']);
    assert.equal(sidecar.image, 'registry.example.com/platform/canary-mapping-plugin:0.1.0', 'the images: override applies');
    assert.equal(sidecar.securityContext.runAsNonRoot, true);
    assert.equal(sidecar.securityContext.runAsUser, 999);
    assert.equal(sidecar.securityContext.readOnlyRootFilesystem, true);

    const mounts = new Map(sidecar.volumeMounts.map((m: Obj) => [m.mountPath, m.name]));
    assert.equal(mounts.get('/var/run/argocd'), 'var-files');
    assert.equal(mounts.get('/home/argocd/cmp-server/plugins'), 'plugins');
    assert.ok(!mounts.has('/home/argocd/cmp-server/config/plugin.yaml'), 'plugin.yaml comes from the image, not a mount');
    const volumes = new Map(pod.volumes.map((v: Obj) => [v.name, v]));
    const tmp = mounts.get('/tmp') as string;
    assert.ok((volumes.get(tmp) as Obj | undefined)?.emptyDir, '/tmp is an emptyDir');
    const repoServerTmp = repoServer.volumeMounts.find((m: Obj) => m.mountPath === '/tmp').name;
    assert.notEqual(tmp, repoServerTmp, 'the sidecar does not share the repo server /tmp');
    for (const shared of ['var-files', 'plugins']) assert.equal(pod.volumes.filter((v: Obj) => v.name === shared).length, 1, `${shared} is declared once`);
  });

  it('deploy/guard renders the guard policy and its binding, for a one-time install', (t) => {
    const tool = kubectl();
    if (!tool) {
      t.skip('kubectl is not installed: deploy/guard was not rendered (install kubectl to run this test)');
      return;
    }
    const output = execFileSync(tool, ['kustomize', join(repoRoot, 'deploy', 'guard')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const objects = parseAllDocuments(output).map((document) => document.toJS() as Obj);
    assert.deepEqual(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`).sort(), [
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy canary-mapping-guard',
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding canary-mapping-guard',
    ]);
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy')!;
    assert.deepEqual(policy.spec.matchConstraints.resourceRules[0].operations, ['DELETE']);
    assert.match(policy.spec.matchConditions[0].expression, /system:serviceaccount:argo-rollouts:argo-rollouts/);
  });

  it('has an example Application that selects the plugin by name with announced parameters', () => {
    const application = parseYaml(readFileSync(join(repoRoot, 'deploy', 'example', 'application.yaml'), 'utf8')) as Obj;
    assert.equal(application.kind, 'Application');
    const source = application.spec.source.plugin;
    assert.equal(source.name, `${plugin.metadata.name}-${plugin.spec.version}`);
    const announced = new Map((plugin.spec.parameters.static as Obj[]).map((p) => [p.name, p.collectionType]));
    assert.ok(source.parameters.length > 0);
    for (const parameter of source.parameters) {
      const given = 'array' in parameter ? 'array' : 'map' in parameter ? 'map' : 'string';
      assert.equal(announced.get(parameter.name), given, `${parameter.name} is announced as ${given}`);
    }
  });
});

const readYaml = (path: string) => parseYaml(readFileSync(join(repoRoot, path), 'utf8')) as Obj;
const PLUGIN_CONFIG_PATH = '/home/argocd/cmp-server/config/plugin.yaml';

/** deploy/sidecar's container and volumes, read back from its JSON patch. */
function kustomizeSidecar(): { container: Obj; volumes: Obj[] } {
  const patch = parseYaml(readFileSync(join(repoRoot, 'deploy/sidecar/repo-server-sidecar.yaml'), 'utf8')) as Obj[];
  const added = (path: string) => patch.filter((op) => op.op === 'add' && op.path === path).map((op) => op.value as Obj);
  const [container, ...others] = added('/spec/template/spec/containers/-');
  assert.equal(others.length, 0, 'deploy/sidecar adds one container');
  return { container: container!, volumes: added('/spec/template/spec/volumes/-') };
}

/**
 * Splits a variant's sidecar into what must equal deploy/sidecar and its plugin configuration: the mount over
 * plugin.yaml and the ConfigMap volume behind it (deploy/sidecar has none: its image bakes plugin.yaml in).
 */
function withoutPluginConfig(container: Obj, volumes: Obj[]) {
  const mounts = container.volumeMounts as Obj[];
  const configMounts = mounts.filter((m) => m.mountPath === PLUGIN_CONFIG_PATH);
  assert.equal(configMounts.length, 1, 'one mount over plugin.yaml');
  const mount = configMounts[0]!;
  const volume = volumes.find((v) => v.name === mount.name);
  assert.ok(volume?.configMap, `the plugin.yaml mount reads ConfigMap volume ${String(mount.name)}`);
  return {
    container: { ...container, volumeMounts: mounts.filter((m) => m !== mount) },
    volumes: volumes.filter((v) => v !== volume),
    configMap: (volume.configMap as Obj).name as string,
    key: mount.subPath as string,
  };
}

describe('deploy/ variants from one source', () => {
  it('the committed install kit is what scripts/docs/install-kit.ts generates', () => {
    const fix = 'run `npm run generate-docs` and commit the result';
    for (const [path, text] of Object.entries(installKitFiles())) {
      assert.ok(existsSync(join(repoRoot, path)), `${path} is missing: ${fix}`);
      assert.equal(readFileSync(join(repoRoot, path), 'utf8'), text, `${path} differs from scripts/docs/install-kit.ts: ${fix}`);
    }
  });

  it('the argo-cd Helm chart values add the sidecar, volumes and plugin configuration of deploy/sidecar', () => {
    const values = readYaml('deploy/argo-cd-chart/values.yaml');
    const { extraContainers, volumes } = values.repoServer;
    assert.equal(extraContainers.length, 1);
    const variant = withoutPluginConfig(extraContainers[0], volumes);
    const sidecar = kustomizeSidecar();
    assert.deepEqual(variant.container, sidecar.container, 'same container spec, security context included');
    assert.deepEqual(variant.volumes, sidecar.volumes);
    // The chart renders extraContainers through tpl: a `{{` in them would be read as a template.
    assert.doesNotMatch(JSON.stringify(extraContainers), /\{\{/);
    // What the chart's argocd-cmp-cm template writes: one key <name>.yaml per entry of configs.cmp.plugins, holding a
    // ConfigManagementPlugin of that name whose spec is the entry.
    assert.equal(values.configs.cmp.create, true);
    assert.equal(variant.configMap, 'argocd-cmp-cm');
    const written = Object.entries(values.configs.cmp.plugins as Record<string, Obj>).map(([name, spec]) => [
      `${name}.yaml`,
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin', metadata: { name }, spec },
    ]);
    assert.deepEqual(written, [[variant.key, plugin]], 'the mounted key holds cmp-plugin.yaml');
  });

  it('the Argo CD Operator snippet adds the sidecar, volumes and plugin configuration of deploy/sidecar', () => {
    const argocd = readYaml('deploy/argocd-operator/argocd.yaml');
    assert.equal(argocd.apiVersion, 'argoproj.io/v1beta1');
    assert.equal(argocd.kind, 'ArgoCD');
    const { sidecarContainers, volumes } = argocd.spec.repo;
    assert.equal(sidecarContainers.length, 1);
    const variant = withoutPluginConfig(sidecarContainers[0], volumes);
    const sidecar = kustomizeSidecar();
    assert.deepEqual(variant.container, sidecar.container, 'same container spec, security context included');
    assert.deepEqual(variant.volumes, sidecar.volumes);
    const configMap = readYaml('deploy/argocd-operator/plugin-configmap.yaml');
    assert.equal(configMap.kind, 'ConfigMap');
    assert.equal(configMap.metadata.name, variant.configMap);
    assert.deepEqual(Object.keys(configMap.data), [variant.key]);
    assert.deepEqual(parseYaml(configMap.data[variant.key]), plugin, 'the mounted key holds cmp-plugin.yaml');
  });
});
