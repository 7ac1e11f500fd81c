import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../src/cli/main.js';
import { parameterAnnouncement } from '../src/cmp/announcement.js';
import { repoRoot } from './support/repo.js';

const io = { cwd: repoRoot, version: '9.9.9' };
const run = (argv: string[], environment: Record<string, string> = {}, cwd = repoRoot) => runCli(argv, environment, { ...io, cwd });

function assertFailure(result: { exitCode: number; stdout: string; stderr: string }, exitCode: number, code: string): void {
  assert.equal(result.exitCode, exitCode);
  assert.equal(result.stdout, '', 'nothing on stdout on failure');
  assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(result.stderr, /Usage:/, 'no usage dump on errors');
}

describe('command line', () => {
  const empty = mkdtempSync(join(tmpdir(), 'canary-mapping-cli-'));
  after(() => rmSync(empty, { recursive: true, force: true }));

  it('prints help and the version on request only', async () => {
    const help = await run(['--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /^Usage:/m);
    assert.match(help.stdout, /--rollouts-version=any/);
    assert.deepEqual(await run(['version']), { exitCode: 0, stdout: 'canary-mapping 9.9.9\n', stderr: '' });
    assert.deepEqual(await run(['--version']), { exitCode: 0, stdout: 'canary-mapping 9.9.9\n', stderr: '' });
  });

  it('refuses unknown commands, flags and extra arguments with exit 2 and no usage text', async () => {
    assertFailure(await run([]), 2, 'no-command');
    assertFailure(await run(['render']), 2, 'unknown-command');
    assertFailure(await run(['generate', '--strategie=clone-safe']), 2, 'unknown-flag');
    assertFailure(await run(['generate', '--rollouts-version']), 2, 'flag-value-missing');
    assertFailure(await run(['generate', 'a', 'b']), 2, 'extra-arguments');
    assertFailure(await run(['version', 'x']), 2, 'extra-arguments');
  });

  it('prints the parameter announcement', async () => {
    const result = await run(['parameters']);
    assert.equal(result.exitCode, 0);
    assert.deepEqual(JSON.parse(result.stdout), parameterAnnouncement());
  });

  it('refuses to render nothing, since an empty render prunes the app', async () => {
    const result = await run(['generate', '.'], {}, empty);
    assertFailure(result, 1, 'no-objects');
    assert.match(result.stderr, /prune/);
    assertFailure(await run(['generate', 'does-not-exist']), 1, 'no-app-directory');
    writeFileSync(join(empty, 'values.yaml'), 'replicas: 3\n');
    const excluded = await run(['generate', '.', '--exclude', 'values.yaml'], {}, empty);
    assertFailure(excluded, 1, 'no-objects');
  });

  it('stops on bad settings before reading anything, naming the source', async () => {
    const result = await run(['generate', 'examples/identity'], { ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: 'latest' });
    assertFailure(result, 1, 'invalid-setting');
    assert.match(result.stderr, /ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION/);
  });

  it('lets flags win over Argo CD parameters', async () => {
    const environment = { ARGOCD_APP_PARAMETERS: '[{"name":"rollouts-version","string":"1.6"}]' };
    const fromParameter = await run(['generate', 'examples/identity'], environment);
    assert.match(fromParameter.stdout, /tls: true/);
    const fromFlag = await run(['generate', 'examples/identity', '--rollouts-version=1.8'], environment);
    assert.equal(fromFlag.exitCode, 0);
    assert.match(fromFlag.stdout, /service: https:\/\/identity:443/);
  });

  it('shows paths as the repository path of the app inside Argo CD', async () => {
    const broken = join(empty, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: [\n');
    const result = await run(['generate'], { ARGOCD_APP_SOURCE_PATH: 'apps/identity' }, empty);
    assertFailure(result, 1, 'syntax');
    assert.match(result.stderr, /^apps\/identity\/broken\.yaml:\d+:\d+: error\[syntax\]/m);
    rmSync(broken);
  });

  it('renders the same bytes every time', async () => {
    const first = await run(['generate', 'examples/identity']);
    const second = await run(['generate', 'examples/identity']);
    assert.equal(first.exitCode, 0);
    assert.equal(first.stdout, second.stdout);
  });
});

describe('guard policy', () => {
  const app = join(repoRoot, 'test/golden/guard-policy-emit/input');
  const kubeApiVersions = (extra: string) => ({ KUBE_API_VERSIONS: `v1,apps/v1,admissionregistration.k8s.io/v1${extra}` });

  it('refuses to emit the policy for a cluster that does not serve ValidatingAdmissionPolicy', async () => {
    const result = await run(['generate', app, '--strategy=guarded', '--guard-policy=emit'], kubeApiVersions(',admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration'));
    assertFailure(result, 1, 'guard-policy-unsupported');
    assert.match(result.stderr, /Kubernetes 1\.30/);
  });

  it('emits it when the cluster serves it, and when KUBE_API_VERSIONS is not set (outside Argo CD)', async () => {
    for (const environment of [kubeApiVersions(',admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy'), {}]) {
      const result = await run(['generate', app, '--strategy=guarded', '--guard-policy=emit'], environment);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout.match(/^kind: ValidatingAdmissionPolicy(Binding)?$/gm)?.length, 2);
    }
  });
});

describe('the app path', () => {
  it('names a file instead of a directory: a clear error, not a crash', async () => {
    const result = await run(['generate', 'examples/identity/mapping.yaml']);
    assertFailure(result, 1, 'no-app-directory');
    assert.doesNotMatch(result.stderr, /internal error/);
  });
});

describe('audit input', () => {
  it('is never read from a device, and is bounded by max-file-size, which audit takes as a flag', async () => {
    const device = await run(['audit', '/dev/zero']);
    assertFailure(device, 2, 'not-a-file');
    const live = 'test/audit/inputs/identity-live.yaml';
    assertFailure(await run(['audit', live, '--max-file-size=1Ki']), 2, 'file-too-large');
    const raised = await run(['audit', live, '--max-file-size=1Mi']);
    assert.equal(raised.exitCode, 1, 'the worked example has findings');
    assert.match(raised.stdout, /finding\[lost-scheme\]/);
  });
});
