import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../src/cli/main.js';
import { parameterAnnouncement } from '../src/cmp/announcement.js';
import { parameterName, settingKeys, settingsTable } from '../src/settings/table.js';
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

describe('a first hour at the command line', () => {
  const charts = mkdtempSync(join(tmpdir(), 'canary-mapping-chart-'));
  after(() => rmSync(charts, { recursive: true, force: true }));

  it('audit with no input and stdin a terminal: a usage error at once, not a wait', async () => {
    const readStdin = () => Promise.reject(new Error('stdin must not be read'));
    const result = await runCli(['audit'], {}, { ...io, readStdin, stdinIsTerminal: () => true });
    assertFailure(result, 2, 'stdin-is-terminal');
    assert.match(result.stderr, /kubectl get rollouts\.argoproj\.io,mappings\.getambassador\.io -A -o yaml \| canary-mapping audit/);
    assert.match(result.stderr, /; nothing was audited\n$/);
    // `-` reads stdin too, for audit, generate and explain alike.
    for (const command of ['audit', 'generate', 'explain']) {
      const dash = await runCli([command, '-'], {}, { ...io, readStdin, stdinIsTerminal: () => true });
      assertFailure(dash, 2, 'stdin-is-terminal');
      assert.match(dash.stderr, new RegExp(`^error\\[stdin-is-terminal\\]: ${command} would read its input from stdin, which is a terminal here$`, 'm'));
    }
    assert.match((await runCli(['generate', '-'], {}, { ...io, readStdin, stdinIsTerminal: () => true })).stderr, /hint: pipe manifests into it, or name the app directory: canary-mapping generate DIR$/m);
    assert.equal((await runCli(['generate', 'examples/identity'], {}, { ...io, readStdin, stdinIsTerminal: () => true })).exitCode, 0, 'a named directory does not read stdin');
    // Named input, or stdin that is not a terminal, is read as before.
    const live = 'test/audit/inputs/identity-live.yaml';
    assert.equal((await runCli(['audit', live], {}, { ...io, stdinIsTerminal: () => true })).exitCode, 1);
    const piped = await runCli(['audit'], {}, { ...io, readStdin: async () => '', stdinIsTerminal: () => false });
    assertFailure(piped, 2, 'audit-no-objects');
  });

  it('the executable tells a terminal from a pipe (run under script(1), which gives it a terminal)', (t) => {
    const bundle = join(repoRoot, 'dist', 'canary-mapping');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} audit`;
    // A deadline only so that a regression (a wait on the terminal) fails instead of hanging the run.
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      t.skip('script(1) is not installed: the terminal check of the executable was not run');
      return;
    }
    assert.equal(result.signal, null, 'audit did not wait on the terminal');
    assert.equal(result.status, 2);
    assert.match(result.stdout, /error\[stdin-is-terminal\]/);
  });

  it('every command refuses flags that do not apply to it, in one line and a hint, with the rest of the command line', async () => {
    const cases: [string[], string, string][] = [
      [['generate', 'examples/identity', '--output', 'json'], 'flag --output does not apply to generate', 'generate takes the setting flags; --output is for explain and audit'],
      [['parameters', '--strategy=guarded'], 'flag --strategy does not apply to parameters', 'parameters takes no flags'],
      [['version', '--output=text'], 'flag --output does not apply to version', 'version takes no flags'],
      [['audit', 'x.yaml', '--exclude=a'], 'flag --exclude does not apply to audit', 'audit takes --rollouts-version, --ambassador-api-version, --legacy-tls-context, --service-namespace, --max-file-size and --output'],
    ];
    for (const [argv, message, hint] of cases) {
      const result = await run(argv);
      assertFailure(result, 2, 'flag-not-for-command');
      assert.equal(result.stderr.split('\n').slice(0, 2).join('\n'), `error[flag-not-for-command]: ${message}\n  hint: ${hint}`);
    }
    const both = await run(['parameters', '--strategy=guarded', '--output=json']);
    assert.match(both.stderr, /--strategy does not apply[\s\S]*--output does not apply[\s\S]*canary-mapping: 2 problems; nothing was announced\n$/);
  });

  it('a bad or repeated flag value is a wrong command line (exit 2); a bad value from the app is a problem of the input (exit 1)', async () => {
    assertFailure(await run(['generate', 'examples/identity', '--strategy=nope']), 2, 'invalid-setting');
    assertFailure(await run(['explain', 'examples/identity', '--strategy=guarded', '--strategy=clone-safe']), 2, 'setting-collection-mismatch');
    assertFailure(await run(['generate', 'examples/identity'], { ARGOCD_ENV_CANARY_MAPPING_STRATEGY: 'nope' }), 1, 'invalid-setting');
    const both = await run(['generate', 'examples/identity', '--rollouts-version=latest'], { ARGOCD_ENV_CANARY_MAPPING_STRATEGY: 'nope' });
    assertFailure(both, 2, 'invalid-setting');
    assert.match(both.stderr, /ARGOCD_ENV_CANARY_MAPPING_STRATEGY: invalid value "nope"/, 'the problems of the other sources are still shown');
  });

  it('an unknown flag gets the nearest flags, not the whole list', async () => {
    const result = await run(['generate', '--rollout-version=1.6']);
    assertFailure(result, 2, 'unknown-flag');
    assert.match(result.stderr, /hint: did you mean --rollouts-version\?$/m);
    assert.match((await run(['genrate'])).stderr, /hint: did you mean generate\?$/m);
    const far = await run(['generate', '--colour=always']);
    assert.match(far.stderr, /hint: run `canary-mapping --help` to list the flags$/m);
  });

  it('an unknown parameter gets the nearest parameters, not the whole list', async () => {
    const result = await run(['generate', 'examples/identity'], { ARGOCD_APP_PARAMETERS: '[{"name":"rollout-version","string":"1.6"}]' });
    assertFailure(result, 1, 'unknown-setting');
    assert.match(result.stderr, /hint: did you mean rollouts-version\?$/m);
    assert.doesNotMatch(result.stderr, /max-depth/);
  });

  it('--help keeps every flag apart from its title, however long the example value', async () => {
    const lines = (await run(['--help'])).stdout.split('\n');
    for (const key of settingKeys) {
      const flag = `--${parameterName(key)}=${settingsTable[key].placeholder}`;
      const index = lines.findIndex((line) => line.trimStart().startsWith(`${flag} `) || line.trim() === flag);
      assert.ok(index >= 0, `${flag} is listed`);
      const [line, next] = [lines[index]!, lines[index + 1]!];
      const sameLine = line.startsWith(`  ${flag}  `) && line.trimEnd().endsWith(settingsTable[key].title) && line.slice(2 + flag.length).trim() === settingsTable[key].title;
      const nextLine = line === `  ${flag}` && /^ {4,}\S/.test(next) && next.trim() === settingsTable[key].title;
      assert.ok(sameLine || nextLine, `flag and title apart: ${JSON.stringify(line)} ${JSON.stringify(next)}`);
    }
  });

  it('a Helm chart given to the plain plugin: one located error naming the Helm variant', async () => {
    const chart = join(charts, 'identity');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: identity\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'templates', 'mapping.yaml'), 'apiVersion: getambassador.io/v2\nkind: Mapping\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.tls }}\nspec: {}\n{{- end }}\n');
    writeFileSync(join(chart, 'rollout.yaml'), readFileSync(join(repoRoot, 'examples/identity/rollout.yaml')));
    const result = await run(['generate'], { ARGOCD_APP_SOURCE_PATH: 'charts/identity' }, chart);
    assertFailure(result, 1, 'helm-chart');
    assert.match(result.stderr, /^charts\/identity\/Chart\.yaml:1:1: error\[helm-chart\]/m);
    assert.match(result.stderr, /canary-mapping-helm-v1 \(deploy\/cmp-plugin-helm\.yaml\)/);
    assert.ok(existsSync(join(repoRoot, 'deploy/cmp-plugin-helm.yaml')), 'the file the hint names exists');
    assert.match(result.stderr, /^canary-mapping: 1 problem;/m, 'one error, not one per template');
    // Plain manifests beside a chart still render once the chart is excluded.
    const excluded = await run(['generate', '.', '--exclude=Chart.yaml', '--exclude=templates/**'], {}, chart);
    assertFailure(excluded, 1, 'mapping-not-found');
  });

  it('the dynamic parameter announcement shows what the app config file sets as the defaults', async () => {
    const app = join(charts, 'configured');
    mkdirSync(app);
    writeFileSync(join(app, '.canary-mapping.yaml'), 'rolloutsVersion: "1.6"\nexclude: [tests/**]\nmaxFileSize: 1Mi\n');
    const result = await run(['parameters'], {}, app);
    assert.equal(result.exitCode, 0, result.stderr);
    const announced = new Map((JSON.parse(result.stdout) as { name: string; string?: string; array?: string[] }[]).map((p) => [p.name, p]));
    assert.equal(announced.get('rollouts-version')?.string, '1.6');
    assert.deepEqual(announced.get('exclude')?.array, ['tests/**']);
    assert.equal(announced.get('max-file-size')?.string, '1Mi');
    assert.equal(announced.get('strategy')?.string, 'clone-safe', 'what the file leaves alone keeps the built-in default');
    // Application env wins over the file, as in a render; parameters are what the form sets, not defaults.
    const environment = { ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: '1.8', ARGOCD_APP_PARAMETERS: '[{"name":"strategy","string":"guarded"}]' };
    const withEnv = new Map((JSON.parse((await run(['parameters'], environment, app)).stdout) as { name: string; string?: string }[]).map((p) => [p.name, p.string]));
    assert.equal(withEnv.get('rollouts-version'), '1.8');
    assert.equal(withEnv.get('strategy'), 'clone-safe');
    writeFileSync(join(app, '.canary-mapping.yaml'), 'rolloutVersion: "1.6"\n');
    const broken = await run(['parameters'], {}, app);
    assertFailure(broken, 1, 'unknown-setting');
    assert.match(broken.stderr, /^\.canary-mapping\.yaml:1:1: .*\n  hint: did you mean rolloutsVersion\?$/m);
    assert.match(broken.stderr, /^canary-mapping: 1 problem; nothing was announced\n$/m);
    // A config file that cannot be read at all fails the announcement in the same words.
    rmSync(join(app, '.canary-mapping.yaml'));
    mkdirSync(join(app, '.canary-mapping.yaml'));
    const unreadable = await run(['parameters'], {}, app);
    assertFailure(unreadable, 1, 'not-a-file');
    assert.match(unreadable.stderr, /^canary-mapping: 1 problem; nothing was announced\n$/m);
  });
});
