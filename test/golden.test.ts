// Golden directories: test/golden/<case>/input is an app tree; case.yaml gives arguments, environment and the
// canaries the user declares; expected.yaml is the exact stdout, or, for cases named error-*, expected-error.txt
// the exact stderr.
// UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
// test/one-truth.test.ts runs explain and audit on the same cases (and reads a case's explain.txt and audit.txt).
// Cases with `needs: kubectl` render through the real `kubectl kustomize` (or a kustomize on PATH, which the plugin
// prefers); without kubectl they are skipped, saying so.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { argoObjects } from './support/argo-reading.js';
import { runCli } from '../src/cli/main.js';
import { kustomizeCommand } from '../src/sources/kustomize.js';
import { controllerCanary, dialled, type Logic } from './support/controller-oracle.js';
import { repoRoot } from './support/repo.js';

interface CaseFile {
  description: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  /** Declared canary per base Mapping, `namespace/name: URL`, for the oracle. */
  canaries?: Record<string, string>;
  /**
   * What the controller's own copy of the emitted base must dial, where that differs from the declared canary
   * (guarded canaries the controller cannot copy: the base is still made as safe as it can be).
   */
  clones?: Record<string, string>;
  logics?: Logic[];
  controllerApiVersion?: string;
  needs?: 'kubectl';
}

const goldenRoot = join(repoRoot, 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

type Obj = Record<string, any>;

/** Every base Mapping of every Ambassador Rollout in the output must be copied into its declared canary. */
function checkCanaries(output: string, spec: CaseFile): void {
  const objects = argoObjects(output);
  const namespace = (o: Obj) => o.metadata?.namespace ?? spec.env?.ARGOCD_APP_NAMESPACE ?? 'default';
  const checked = new Set<string>();
  for (const rollout of objects.filter((o) => o.kind === 'Rollout')) {
    const canary = rollout.spec?.strategy?.canary;
    for (const name of canary?.trafficRouting?.ambassador?.mappings ?? []) {
      const key = `${namespace(rollout)}/${name}`;
      const base = objects.find((o) => /Mapping$/.test(o.kind) && o.metadata?.name === name && namespace(o) === namespace(rollout));
      assert.ok(base, `base Mapping ${key} is in the output`);
      if (base.metadata?.annotations?.['canary-mapping.dev/skip'] === 'true') continue;
      const declared = spec.canaries?.[key];
      assert.ok(declared, `case.yaml declares the canary of ${key}`);
      const emitted = objects.find((o) => o.kind === base.kind && o.metadata?.name === `${name.slice(0, 246)}-canary` && namespace(o) === namespace(rollout));
      if (emitted) {
        assert.deepEqual(dialled(emitted.spec.service, emitted.spec.tls, namespace(rollout)), dialled(declared, undefined, namespace(rollout)), `guarded canary of ${key}`);
        assert.equal(emitted.spec.weight, 0, `guarded canary of ${key} starts at weight 0`);
        assert.equal(emitted.metadata.labels?.['canary-mapping.dev/guard'], 'true');
      }
      const want = dialled(spec.clones?.[key] ?? declared, undefined, namespace(rollout));
      for (const logic of spec.logics ?? ['legacy', 'current']) {
        const created = controllerCanary(
          { apiVersion: base.apiVersion, service: base.spec.service, tls: base.spec.tls },
          canary.stableService,
          canary.canaryService,
          logic,
          spec.controllerApiVersion ?? 'getambassador.io/v2',
        );
        assert.deepEqual(dialled(created.service, created.tls, namespace(rollout)), want, `${logic} controller copies ${key} into ${declared}`);
      }
      checked.add(key);
    }
  }
  assert.deepEqual([...checked].sort(), Object.keys(spec.canaries ?? {}).sort(), 'every declared canary belongs to a base Mapping');
}

// The plugin's own lookup: a skip means that the plugin would not find kubectl either.
const noKubectl = 'problem' in kustomizeCommand('kubectl', process.env, repoRoot) ? 'kubectl not installed (not on PATH): the Kustomize cases need it' : undefined;

describe('golden cases', () => {
  for (const name of readdirSync(goldenRoot).sort()) {
    const dir = join(goldenRoot, name);
    const spec = parseYaml(readFileSync(join(dir, 'case.yaml'), 'utf8')) as CaseFile;
    it(`${name}: ${spec.description}`, async (t) => {
      if (spec.needs === 'kubectl' && noKubectl) {
        t.skip(noKubectl);
        return;
      }
      // PATH, for Kustomize; the case's own variables are all the plugin reads besides.
      const result = await runCli(['generate', ...(spec.args ?? ['.'])], { PATH: process.env.PATH, ...spec.env }, {
        cwd: join(dir, 'input'),
        version: 'test',
        readStdin: async () => readFileSync(join(dir, spec.stdin ?? 'stdin.yaml'), 'utf8'),
      });
      const errorCase = name.startsWith('error-');
      const expectedFile = join(dir, errorCase ? 'expected-error.txt' : 'expected.yaml');
      if (update) writeFileSync(expectedFile, errorCase ? result.stderr : result.stdout);
      if (errorCase) {
        assert.notEqual(result.exitCode, 0, 'an error case exits non-zero');
        assert.equal(result.stdout, '', 'nothing on stdout when anything failed');
        // Kustomize's own failures name the kustomization file; Kustomize's message says where inside.
        const position = spec.needs === 'kubectl' ? '(:\\d+:\\d+)?' : ':\\d+:\\d+';
        assert.match(result.stderr, new RegExp(`^[^\\s:]+\\.(ya?ml|json)${position}: error\\[`, 'm'), 'stderr names the file, line and column');
        assert.equal(result.stderr, readFileSync(expectedFile, 'utf8'));
      } else {
        assert.equal(result.stderr, '');
        assert.equal(result.exitCode, 0);
        assert.equal(result.stdout, readFileSync(expectedFile, 'utf8'));
        checkCanaries(result.stdout, spec);
      }
    });
  }
});
