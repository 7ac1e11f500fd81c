// Contract test: runs cmp-plugin.yaml the way Argo CD's cmp-server does (DESIGN.md sections 3 and 10).
// The cmp-server receives the repository as a tarball, unpacks it into a fresh temp dir (files 0644, directories
// 0755), and execs the plugin's commands without a shell, in the app's path, with the Argo CD environment, as UID 999.
// Everything here goes through the built bundle and the commands written in cmp-plugin.yaml, never through src/.
// The Helm variant (deploy/cmp-plugin-helm.yaml) is run the same way, with stand-in `helm` scripts: Helm itself is not
// installed where this project is developed and tested.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { repoRoot } from './support/repo.js';

type Obj = Record<string, any>;

interface Announcement {
  name: string;
  collectionType?: 'string' | 'array' | 'map';
  [field: string]: unknown;
}

interface PluginCommand {
  command: string[];
  args?: string[];
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const IDENTITY_PATH = 'apps/identity';
const BROKEN_PATH = 'apps/broken';
/** A Kustomize app, a base and an overlay (test/golden/kustomize-overlay); the Application's path is the overlay. */
const KUSTOMIZED_PATH = 'apps/kustomized/overlays/prod';
/** The cmp-server's default deadline for a whole request. */
const DEADLINE_MS = 60_000;
/** The sidecar's user (DESIGN.md section 3). */
const ARGOCD_UID = 999;
const runAsArgoCd = process.getuid?.() === 0;

/** What an Application sets in spec.source.plugin.parameters; the names must be announced by cmp-plugin.yaml. */
const appParameters = [
  { name: 'rollouts-version', string: 'any' },
  // tests/smoke.yaml (test/contract/identity-additions) is not a Kubernetes object: only this keeps it out.
  { name: 'exclude', array: ['tests/**'] },
];

/** True when a user that is neither owner nor in the group can enter `dir` (UID 999 in the sidecar). */
function enterableByOthers(dir: string): boolean {
  for (let current = realpathSync(dir); ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === dirname(current)) return true;
  }
}

/**
 * Where this test's directories go. Running as UID 999, the plugin must reach them whatever the modes of the checkout
 * and of TMPDIR (a clone in a `mktemp -d` directory, a checkout under /root, a private TMPDIR are all mode 700): the
 * first of TMPDIR and the usual system temp dirs that every user can enter, with a directory of the test's own in it.
 */
const tempBase = (() => {
  const parent = runAsArgoCd ? [tmpdir(), '/tmp', '/var/tmp', '/dev/shm'].find((dir) => existsSync(dir) && enterableByOthers(dir)) : tmpdir();
  if (!parent) throw new Error(`no temp directory that UID ${ARGOCD_UID} can enter: TMPDIR (${tmpdir()}), /tmp, /var/tmp and /dev/shm are all closed to other users`);
  const base = mkdtempSync(join(parent, 'canary-mapping-contract-'));
  chmodSync(base, 0o755);
  return base;
})();

/** mkdtemp makes 0700 directories; the plugin runs as another user, so it must be able to enter them. */
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tempBase, `${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Read at test time: a colleague may regenerate the file (npm run generate-docs). */
function readPlugin(file = 'cmp-plugin.yaml'): Obj {
  return parseYaml(readFileSync(join(repoRoot, file), 'utf8')) as Obj;
}

/** The cmp-server execs `command[0]` with `command[1:]` followed by `args`. */
function argv(section: PluginCommand | undefined, what: string): string[] {
  assert.ok(section && Array.isArray(section.command) && section.command.length > 0, `cmp-plugin.yaml has a ${what} command`);
  return [...section.command, ...(section.args ?? [])];
}

/** Argo CD's ApplicationSourcePluginParameters.Environ: the JSON array plus PARAM_<NAME>[_<i>|_<KEY>]. */
function parameterEnvironment(parameters: Array<{ name: string; string?: string; array?: string[]; map?: Record<string, string> }>): Record<string, string> {
  const escape = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_').toUpperCase();
  const env: Record<string, string> = { ARGOCD_APP_PARAMETERS: JSON.stringify(parameters) };
  for (const parameter of parameters) {
    const base = `PARAM_${escape(parameter.name)}`;
    if (parameter.string !== undefined) env[base] = parameter.string;
    parameter.array?.forEach((item, index) => (env[`${base}_${index}`] = item));
    for (const [key, value] of Object.entries(parameter.map ?? {})) env[`${base}_${escape(key)}`] = value;
  }
  return env;
}

/** The environment the cmp-server gives a command: nothing of ours (no HOME), only PATH and what Argo CD sets. */
function argoEnvironment(binDir: string, sourcePath: string, parameters = appParameters): Record<string, string> {
  const revision = '6f1d1c6c0c4f2a9b7e3d5a8c9b0e1f2a3b4c5d6e';
  return {
    // node for the bundle's `#!/usr/bin/env node`, the plugin under its bare name, and the usual system dirs.
    PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    ARGOCD_APP_NAME: 'identity',
    ARGOCD_APP_NAMESPACE: 'iam',
    ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/deploy.git',
    ARGOCD_APP_SOURCE_PATH: sourcePath,
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
    KUBE_VERSION: '1.29.3',
    KUBE_API_VERSIONS: 'v1,v1/Service,apps/v1,apps/v1/Deployment,argoproj.io/v1alpha1,argoproj.io/v1alpha1/Rollout,getambassador.io/v2,getambassador.io/v2/Mapping',
    // Application env arrives with the ARGOCD_ENV_ prefix; empty means "never use a TLSContext".
    ARGOCD_ENV_CANARY_MAPPING_LEGACY_TLS_CONTEXT: '',
    ...parameterEnvironment(parameters),
  };
}

/** Files 0644 and directories 0755, as the cmp-server writes them without preserveFileMode. */
function normaliseModes(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) normaliseModes(path);
    else chmodSync(path, 0o644);
  }
}

/** Sets every directory to `dirMode` and every file to `fileMode`, depth first. */
function setModes(dir: string, dirMode: number, fileMode: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) setModes(path, dirMode, fileMode);
    else chmodSync(path, fileMode);
  }
  chmodSync(dir, dirMode);
}

/** Every path under `dir` with its size and modification time: what a run must leave as it found it. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .map((entry) => {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      const info = statSync(path);
      return `${path} ${info.size} ${info.mtimeMs}`;
    })
    .sort();
}

/** The repository as the cmp-server sees it: a tarball, unpacked into a directory nothing else has touched. */
function shipRepository(source: string): string {
  const tarball = join(tempDir('tarball'), 'repo.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', source, '.']);
  const unpacked = tempDir('unpacked');
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  normaliseModes(unpacked);
  return unpacked;
}

/** A repository with the example app and an app the plugin must refuse, each at its own path. */
function buildRepository(): string {
  const source = tempDir('source');
  const contract = join(repoRoot, 'test', 'contract');
  cpSync(join(repoRoot, 'examples', 'identity'), join(source, IDENTITY_PATH), { recursive: true });
  cpSync(join(contract, 'identity-additions'), join(source, IDENTITY_PATH), { recursive: true });
  cpSync(join(contract, 'broken'), join(source, BROKEN_PATH), { recursive: true });
  cpSync(join(repoRoot, 'test', 'golden', 'kustomize-overlay', 'input'), join(source, 'apps', 'kustomized'), { recursive: true });
  writeFileSync(join(source, 'README.md'), 'Deploy repository of the canary-mapping contract test.\n');
  return source;
}

/** Puts a copy of the bundle on PATH under its bare name, as the image does, where UID 999 can run it; returns its dir. */
function installExecutable(): string {
  const binDir = tempDir('bin');
  const target = join(binDir, 'canary-mapping');
  // The bundle is CommonJS, as an extensionless file is without a package.json that says otherwise.
  copyFileSync(join(repoRoot, 'dist', 'canary-mapping'), target);
  chmodSync(target, 0o755);
  return binDir;
}

/** exec without a shell, stdin closed, killed at the deadline: how the cmp-server runs a plugin command. */
function run(command: string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, {
      cwd,
      env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: DEADLINE_MS,
      ...(runAsArgoCd ? { uid: ARGOCD_UID, gid: ARGOCD_UID } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
    );
  });
}

/** Every document of a multi-document YAML stream, failing on any parse error. */
function parseObjects(text: string, what: string): Obj[] {
  return parseAllDocuments(text).map((doc, index) => {
    assert.deepEqual(doc.errors, [], `${what}: document ${index} parses`);
    return doc.toJS() as Obj;
  });
}

const identity = (o: Obj) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

after(() => {
  rmSync(tempBase, { recursive: true, force: true });
});

const who = runAsArgoCd ? `as UID ${ARGOCD_UID}` : `as the current user (UID ${process.getuid?.() ?? '?'}; not root, cannot switch to ${ARGOCD_UID})`;

describe(`cmp-plugin.yaml run like the Argo CD cmp-server (${who})`, () => {
  let root = '';
  let binDir = '';

  before(() => {
    root = shipRepository(buildRepository());
    binDir = installExecutable();
  });


  it('names the plugin canary-mapping-v1 and has no discovery (it is selected per Application by name)', () => {
    const plugin = readPlugin();
    assert.equal(plugin.kind, 'ConfigManagementPlugin');
    assert.equal(`${plugin.metadata?.name}-${plugin.spec?.version}`, 'canary-mapping-v1');
    assert.equal(plugin.spec?.discover, undefined, 'a discover rule could hijack Helm, Kustomize and plain apps');
  });

  it('announces every parameter this test sends, with the collection type it is sent as', () => {
    const announced = new Map((readPlugin().spec?.parameters?.static as Announcement[]).map((a) => [a.name, a]));
    for (const parameter of appParameters) {
      const announcement = announced.get(parameter.name);
      assert.ok(announcement, `parameter ${parameter.name} is in parameters.static`);
      const sentAs = 'array' in parameter ? 'array' : 'string';
      assert.equal(announcement.collectionType ?? 'string', sentAs, `parameter ${parameter.name} is announced as ${sentAs}`);
    }
  });

  it('generate renders the app at its path: the base Mapping is clone-safe and every input object is kept', async (t) => {
    const command = argv(readPlugin().spec?.generate, 'generate');
    assert.ok(!command[0]!.includes('/'), `the generate command calls the executable by its bare name, not ${command[0]}`);
    const cwd = join(root, IDENTITY_PATH);
    const result = await run(command, cwd, argoEnvironment(binDir, IDENTITY_PATH));
    t.diagnostic(`canary-mapping on PATH: a copy in ${binDir}; ran \`${command.join(' ')}\` ${who}, exit ${result.code}`);

    assert.equal(result.stderr, '', 'nothing on stderr');
    assert.equal(result.code, 0, 'exit status 0');
    const objects = parseObjects(result.stdout, 'stdout');
    for (const o of objects) assert.ok(o && o.apiVersion && o.kind && o.metadata?.name, `only Kubernetes objects on stdout: ${JSON.stringify(o)}`);

    const mapping = objects.find((o) => o.kind === 'Mapping' && o.metadata.name === 'identity');
    assert.ok(mapping, 'the base Mapping identity is in the output');
    assert.equal(mapping.spec.service, 'https://identity:443', 'the scheme stays in the service URL');
    assert.equal(mapping.spec.tls, true, 'TLS is also carried by spec.tls, which the <= 1.6.6 copy keeps');
    assert.equal(mapping.metadata.annotations?.['canary-mapping.dev/original-service'], 'https://identity:443');

    // The input objects are the unpacked example app; tests/ is excluded by the `exclude` parameter.
    const inputs = readdirSync(cwd)
      .filter((name) => /\.ya?ml$/.test(name))
      .flatMap((name) => parseObjects(readFileSync(join(cwd, name), 'utf8'), name));
    const output = new Set(objects.map(identity));
    for (const input of inputs) assert.ok(output.has(identity(input)), `${identity(input)} is in the output`);

    // Argo CD caches the output per commit and parameters: the same request must give the same bytes.
    const again = await run(command, cwd, argoEnvironment(binDir, IDENTITY_PATH));
    assert.equal(again.stdout, result.stdout, 'a second run prints the same bytes');
  });

  it('generate renders a read-only tree (directories 0555, files 0444) without HOME, and writes nothing into it', async () => {
    const command = argv(readPlugin().spec?.generate, 'generate');
    const cwd = join(root, IDENTITY_PATH);
    const writable = await run(command, cwd, argoEnvironment(binDir, IDENTITY_PATH));
    const before = snapshot(root);
    setModes(root, 0o555, 0o444);
    try {
      const environment = argoEnvironment(binDir, IDENTITY_PATH);
      assert.equal(environment.HOME, undefined, 'HOME is unset, as in the sidecar');
      const result = await run(command, cwd, environment);
      assert.equal(result.stderr, '', 'nothing on stderr');
      assert.equal(result.code, 0, 'exit status 0');
      assert.equal(result.stdout, writable.stdout, 'the same output as from the writable tree');
    } finally {
      normaliseModes(root);
    }
    assert.deepEqual(snapshot(root), before, 'nothing in the tree was created or changed');
  });

  it('generate fails closed on a broken app: non-zero exit, nothing on stdout, problems at repository paths', async () => {
    const command = argv(readPlugin().spec?.generate, 'generate');
    const result = await run(command, join(root, BROKEN_PATH), argoEnvironment(binDir, BROKEN_PATH));

    assert.notEqual(result.code, 0, 'non-zero exit status');
    assert.equal(result.signal, null, 'exited by itself, not killed at the deadline');
    // Empty output with auto-prune would delete the app's resources; a non-zero exit keeps them.
    assert.equal(result.stdout, '', 'nothing on stdout');
    // Argo CD shows stderr in the UI: the path must be the one in the repository, with line and column.
    assert.match(result.stderr, /apps\/broken\/[\w.-]+\.yaml:\d+:\d+: error\[/);
    const serviceLine = readFileSync(join(root, BROKEN_PATH, 'mapping.yaml'), 'utf8').split('\n').findIndex((line) => line.includes('service: identity:grpc')) + 1;
    assert.match(result.stderr, new RegExp(`^apps/broken/mapping\\.yaml:${serviceLine}:\\d+: error\\[`, 'm'), 'the service line with the named port is named');
    assert.ok(!result.stderr.includes(root), 'no temp dir of the cmp-server in the message');
    assert.doesNotMatch(result.stderr, /Usage:/, 'no usage text on errors');
  });

  it('generate renders a Kustomize overlay at its path with the kubectl on PATH, without a shell or HOME', async (t) => {
    // The system part of the PATH argoEnvironment gives.
    if (!['/usr/bin', '/bin'].some((dir) => existsSync(join(dir, 'kubectl')) || existsSync(join(dir, 'kustomize')))) {
      t.skip('kubectl not installed (neither kubectl nor kustomize in /usr/bin or /bin): the Kustomize app needs one');
      return;
    }
    const command = argv(readPlugin().spec?.generate, 'generate');
    const result = await run(command, join(root, KUSTOMIZED_PATH), argoEnvironment(binDir, KUSTOMIZED_PATH));

    assert.equal(result.stderr, '', 'nothing on stderr');
    assert.equal(result.code, 0, 'exit status 0');
    const mapping = parseObjects(result.stdout, 'stdout').find((o) => o.kind === 'Mapping');
    assert.equal(mapping?.metadata.namespace, 'iam', 'the overlay set the namespace');
    assert.equal(mapping?.spec.tls, true, 'the rendered base Mapping was made clone-safe');
  });

  it('the dynamic parameters command prints exactly the static announcement', async () => {
    const plugin = readPlugin();
    const command = argv(plugin.spec?.parameters?.dynamic, 'parameters.dynamic');
    const result = await run(command, join(root, IDENTITY_PATH), argoEnvironment(binDir, IDENTITY_PATH));

    assert.equal(result.stderr, '', 'nothing on stderr');
    assert.equal(result.code, 0, 'exit status 0');
    const printed: unknown = JSON.parse(result.stdout);
    assert.ok(Array.isArray(printed), 'stdout is a JSON array');
    assert.deepEqual(printed, plugin.spec.parameters.static);
  });
});

describe(`deploy/cmp-plugin-helm.yaml run like the Argo CD cmp-server (${who})`, () => {
  const HELM_PLUGIN = 'deploy/cmp-plugin-helm.yaml';
  const CHART_PATH = 'charts/identity';
  const helmParameters = [
    { name: 'values-files', array: ['values.yaml', 'values-prod.yaml'] },
    // 1.8 keeps the https:// of the base (no rewrite), unlike the default: proof that it reached canary-mapping.
    { name: 'rollouts-version', string: '1.8' },
  ];
  let chart = '';
  let standIn = '';
  let binDir = '';

  /** The Helm variant's environment: a stand-in helm first on PATH, told by HELM_STAND_IN how to behave. */
  const environment = (behaviour: 'render' | 'fail' | 'fail-after-output'): Record<string, string> => {
    const env = argoEnvironment(binDir, CHART_PATH, helmParameters);
    return { ...env, PATH: `${standIn}:${env.PATH}`, HELM_STAND_IN: behaviour };
  };
  const generate = () => argv(readPlugin(HELM_PLUGIN).spec?.generate, 'generate');

  before(() => {
    binDir = installExecutable();
    const repository = tempDir('helm-repository');
    chart = join(repository, CHART_PATH);
    mkdirSync(chart, { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: identity\nversion: 1.0.0\n');
    for (const values of ['values.yaml', 'values-prod.yaml']) writeFileSync(join(chart, values), 'replicas: 2\n');
    normaliseModes(repository);
    // What `helm template` prints for this chart: the example app as one stream.
    standIn = tempDir('helm');
    const example = join(repoRoot, 'examples', 'identity');
    const stream = readdirSync(example).sort().map((name) => readFileSync(join(example, name), 'utf8'));
    writeFileSync(join(standIn, 'stream.yaml'), stream.join('---\n'));
    writeFileSync(
      join(standIn, 'helm'),
      `#!/bin/sh
# Says how it was called (on stderr, which the pipeline passes on), then behaves as HELM_STAND_IN says.
echo "helm $*" >&2
if [ "$HELM_STAND_IN" = fail ]; then echo 'Error: chart requires kubeVersion: >=1.30.0' >&2; exit 1; fi
cat '${join(standIn, 'stream.yaml')}'
[ "$HELM_STAND_IN" != fail-after-output ]
`,
    );
    chmodSync(join(standIn, 'stream.yaml'), 0o644);
    chmodSync(join(standIn, 'helm'), 0o755);
  });

  it('is a ConfigManagementPlugin named canary-mapping-helm-v1, without discovery, with a generate command', () => {
    const plugin = readPlugin(HELM_PLUGIN);
    assert.equal(plugin.apiVersion, 'argoproj.io/v1alpha1');
    assert.equal(plugin.kind, 'ConfigManagementPlugin');
    assert.equal(`${plugin.metadata?.name}-${plugin.spec?.version}`, 'canary-mapping-helm-v1');
    assert.equal(plugin.spec?.discover, undefined, 'a discover rule could hijack other apps');
    const command = generate();
    assert.ok(command.every((word) => typeof word === 'string'), 'command and args are strings');
    assert.deepEqual(command.slice(0, 2), ['bash', '-c'], 'a shell for the pipe, bash for pipefail');
    assert.match(command[2]!, /set -euo pipefail/);
  });

  it('announces values-files and the plugin parameters that apply to a stream, as the main plugin announces them', () => {
    const announced = readPlugin(HELM_PLUGIN).spec?.parameters?.static as Announcement[];
    assert.deepEqual(announced[0], { name: 'values-files', title: 'Helm values files', tooltip: announced[0]!.tooltip, collectionType: 'array', array: [] });
    const main = new Map((readPlugin().spec?.parameters?.static as Announcement[]).map((a) => [a.name, a]));
    for (const parameter of announced.slice(1)) assert.deepEqual(parameter, main.get(parameter.name), `${parameter.name} as in cmp-plugin.yaml`);
    const names = announced.map((a) => a.name);
    for (const name of ['source', 'kustomize-path', 'exclude']) assert.ok(!names.includes(name), `${name} does not apply to a stream`);
    for (const parameter of helmParameters) assert.ok(names.includes(parameter.name), `${parameter.name} is announced`);
  });

  it('pipes helm template, with the app namespace, cluster version, API versions and values files, into canary-mapping generate -', async () => {
    const result = await run(generate(), chart, environment('render'));
    const apiVersions = environment('render').KUBE_API_VERSIONS!.split(',').map((version) => `--api-versions=${version}`);
    const helm = ['helm template identity . --namespace iam --kube-version 1.29.3 --include-crds', ...apiVersions, '--values=values.yaml --values=values-prod.yaml'];
    assert.equal(result.stderr, `${helm.join(' ')}\n`, 'only helm spoke on stderr: canary-mapping accepted every parameter');
    assert.equal(result.code, 0);
    const mapping = parseObjects(result.stdout, 'stdout').find((o) => o.kind === 'Mapping');
    assert.equal(mapping?.spec.service, 'https://identity:443', 'rendered with rollouts-version 1.8 from the parameters');
  });

  it('fails closed when helm fails: non-zero exit, nothing on stdout, helm\'s message on stderr', async () => {
    const result = await run(generate(), chart, environment('fail'));
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Error: chart requires kubeVersion/);
  });

  it('fails when helm fails after printing: pipefail, so Argo CD discards what the plugin printed', async () => {
    const result = await run(generate(), chart, environment('fail-after-output'));
    // canary-mapping rendered the stream it got; only the pipeline's status tells that helm failed.
    assert.notEqual(result.code, 0, 'the pipeline fails although its last command succeeded');
  });

  it('refuses a values file that is a link out of the app directory, or no file at all, before helm runs', async () => {
    const outside = tempDir('helm-outside');
    writeFileSync(join(outside, 'secrets.yaml'), 'password: hunter2\n');
    normaliseModes(outside);
    symlinkSync(join(outside, 'secrets.yaml'), join(chart, 'linked.yaml'));
    try {
      for (const [file, message] of [
        ['linked.yaml', /values-files\[1\] 'linked\.yaml' is a link that leads outside the app directory/],
        ['missing.yaml', /values-files\[1\] 'missing\.yaml' is not a file in the app directory/],
      ] as const) {
        const parameters = [{ name: 'values-files', array: ['values.yaml', file] }];
        const env = { ...argoEnvironment(binDir, CHART_PATH, parameters), PATH: `${standIn}:${argoEnvironment(binDir, CHART_PATH).PATH}`, HELM_STAND_IN: 'render' };
        const result = await run(generate(), chart, env);
        assert.notEqual(result.code, 0, `${file} is refused`);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /helm-outside|^helm /m, 'helm never ran, and the target is not named');
      }
    } finally {
      rmSync(join(chart, 'linked.yaml'));
    }
  });

  it('refuses values files outside the app directory before helm runs: absolute paths, ways up, URLs', async () => {
    for (const file of ['/etc/passwd', '../../other-app/secrets.yaml', 'values/../../x.yaml', 'https://attacker.example/v.yaml', '']) {
      const parameters = [{ name: 'values-files', array: ['values.yaml', file] }];
      const env = { ...argoEnvironment(binDir, CHART_PATH, parameters), PATH: `${standIn}:${argoEnvironment(binDir, CHART_PATH).PATH}`, HELM_STAND_IN: 'render' };
      const result = await run(generate(), chart, env);
      assert.notEqual(result.code, 0, `${JSON.stringify(file)} is refused`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /values-files\[1\] .* must be a relative path inside the app directory/);
      assert.doesNotMatch(result.stderr, /^helm /m, 'helm never ran');
    }
  });
});
