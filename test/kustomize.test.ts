// Kustomize as a source, with stand-in kustomize executables (small shell scripts) for what the real one cannot be
// made to do on demand: hang, fail with a chosen message, report its arguments. The golden cases cover the real
// `kubectl kustomize`; a stand-in that counts its runs before it hands over to the real one shows when the plugin runs
// it a second time, through the annotated wrapper, to locate problems.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../src/cli/main.js';
import { kustomizeCommand, kustomizeMessage } from '../src/sources/kustomize.js';
import { repoRoot } from './support/repo.js';

const MAPPING = `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: identity
  namespace: iam
spec:
  prefix: /identity/
  service: https://identity:443
`;

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: identity
  namespace: iam
spec:
  strategy:
    canary:
      stableService: identity
      canaryService: identity-canary
      trafficRouting:
        ambassador:
          mappings: [identity]
`;

const root = mkdtempSync(join(tmpdir(), 'canary-mapping-kustomize-'));
after(() => rmSync(root, { recursive: true, force: true }));

let apps = 0;

/**
 * An app directory with a kustomization and a stand-in `kustomize` running `script` (sh). The app has a problem to
 * locate (a weight on the base Mapping), `broken.yaml`, beside it.
 */
function app(script: string): { dir: string; kustomize: string; pidFile: string } {
  const dir = join(root, `app-${apps++}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
  writeFileSync(join(dir, 'app.yaml'), `${MAPPING}---\n${ROLLOUT}`);
  writeFileSync(join(dir, 'broken.yaml'), `${MAPPING}  weight: 5\n---\n${ROLLOUT}`);
  const kustomize = join(dir, 'bin', 'kustomize');
  const pidFile = join(dir, 'kustomize.pid');
  writeFileSync(kustomize, `#!/bin/sh\necho $$ > '${pidFile}'\nfor last; do :; done\necho "$last" >> '${join(dir, 'runs.txt')}'\n${script}\n`);
  chmodSync(kustomize, 0o755);
  return { dir, kustomize, pidFile };
}

/** What each run of the stand-in was given to build, in order. */
function runsOf(dir: string): string[] {
  return existsSync(join(dir, 'runs.txt')) ? readFileSync(join(dir, 'runs.txt'), 'utf8').trim().split('\n') : [];
}

/** sh: the wrapper kustomization asks for origins; the app's own does not. */
const ANNOTATED_RUN = `grep -q buildMetadata "$last/kustomization.yaml"`;

const generate = (dir: string, flags: string[], environment: Record<string, string | undefined> = {}, signal?: AbortSignal) =>
  runCli(['generate', '.', ...flags], { PATH: process.env.PATH, ...environment }, { cwd: dir, version: 'test', ...(signal ? { signal } : {}) });

/** Live members of a process group; a zombie has finished, it only waits for its parent to collect it. */
function groupMembers(group: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return []; // gone meanwhile
      }
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z' ? [Number(pid)] : [];
    });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    assert.ok(waited < 5000, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The stand-in's pid once it has written it (the file exists a moment before its content does), else 0. */
function startedAs(pidFile: string): number {
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
}

async function assertGroupGone(pidFile: string): Promise<void> {
  const group = startedAs(pidFile);
  assert.ok(group > 0, 'the stand-in wrote its pid');
  // The stand-in leads its own group: the plugin started it detached.
  await waitFor(() => groupMembers(group).length === 0, `process group ${group} is gone (left: ${groupMembers(group).join(', ')})`);
}

// A child in the background that outlives a plain kill of the script: only killing the group ends it.
const HANG = 'sleep 60 &\nwait';

describe('Kustomize source', { skip: !existsSync('/proc/self/stat') && 'needs /proc to see process groups' }, () => {
  it('runs kustomize-path with `build`, kustomize-args and the app directory, once, in the app directory, without a shell; the output goes through the pipeline', async () => {
    const { dir, kustomize } = app(`printf '%s\\n' "$PWD" "$@" > args.txt\ncat app.yaml`);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`, '--kustomize-args=--enable-helm', '--kustomize-args=--load-restrictor=LoadRestrictionsNone']);
    assert.equal(result.stderr, '');
    assert.equal(result.exitCode, 0);
    const args = readFileSync(join(dir, 'args.txt'), 'utf8').split('\n');
    assert.deepEqual(args.slice(0, 5), [dir, 'build', '--enable-helm', '--load-restrictor=LoadRestrictionsNone', dir]);
    assert.deepEqual(runsOf(dir), [dir], 'one run, of the app directory itself: nothing to locate, no wrapper');
    assert.match(result.stdout, /canary-mapping\.dev\/original-service: https:\/\/identity:443/, 'the base Mapping was made clone-safe');
  });

  it("takes off the origins an app's own buildMetadata makes Kustomize record, as it does the wrapper's", async () => {
    const { dir, kustomize } = app(`sed "s|^metadata:|metadata:\\n  annotations:\\n    config.kubernetes.io/origin: \\|\\n      path: app.yaml|" app.yaml`);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /config\.kubernetes\.io\/origin/);
    assert.deepEqual(runsOf(dir), [dir]);
  });

  it('with a problem to locate, runs Kustomize a second time through a wrapper kustomization that lists the app by relative path and asks for origins, then removes it', async () => {
    const { dir, kustomize } = app(
      `printf '%s\\n' "$@" > "args-$(wc -l < runs.txt).txt"\nif ${ANNOTATED_RUN}; then cp "$last/kustomization.yaml" wrapper.yaml; origin="$(realpath --relative-to="$last" broken.yaml)"; fi\nsed "s|^metadata:|metadata:\\n  annotations:\\n    config.kubernetes.io/origin: \\|\\n      path: $origin|" broken.yaml`,
    );
    const result = await generate(dir, [`--kustomize-path=${kustomize}`, '--kustomize-args=--enable-helm']);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n')[0], 'broken.yaml:9:11: error[base-weight]: base Mapping identity sets weight 5; Argo Rollouts rejects a Rollout whose base Mapping has a weight');
    const [first, wrapper] = runsOf(dir);
    assert.equal(first, dir);
    assert.ok(wrapper?.startsWith(join(realpathSync(tmpdir()), 'canary-mapping-kustomize-')), wrapper);
    assert.deepEqual(readFileSync(join(dir, 'args-2.txt'), 'utf8').split('\n').slice(0, 3), ['build', '--enable-helm', wrapper], 'the same command and arguments');
    assert.equal(existsSync(wrapper!), false, 'the wrapper is removed');
    // The app by relative path: Kustomize refuses an absolute directory as a resource.
    const [, appPath] = /^resources:\n {2}- "(\.\.\/[^"]+)"\nbuildMetadata: \[originAnnotations, transformerAnnotations\]\n$/.exec(readFileSync(join(dir, 'wrapper.yaml'), 'utf8')) ?? [];
    assert.equal(appPath && resolve(wrapper!, appPath), realpathSync(dir));
  });

  it('when the second run fails, the problems of the first stand, each naming its object', async () => {
    const { dir, kustomize } = app(`if ${ANNOTATED_RUN}; then echo 'Error: no origins today' >&2; exit 1; fi\ncat broken.yaml`);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Mapping iam\/identity \(rendered by kustomize\): error\[base-weight\]/m);
    assert.doesNotMatch(result.stderr, /no origins today|kustomize-failed/);
    assert.equal(runsOf(dir).length, 2);
  });

  it('without a usable TMPDIR for the wrapper, the problems are still reported, each naming its object, and no internal error', async () => {
    const { dir, kustomize } = app('cat broken.yaml');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(dir, 'no-such-directory');
    try {
      const result = await generate(dir, [`--kustomize-path=${kustomize}`]);
      assert.equal(result.exitCode, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^Mapping iam\/identity \(rendered by kustomize\): error\[base-weight\]/m);
      assert.doesNotMatch(result.stderr, /internal-error|ENOENT/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('stops a Kustomize that outlives kustomize-timeout, with its whole process group, and prints nothing', async () => {
    const { dir, kustomize, pidFile } = app(HANG);
    const started = Date.now();
    const result = await generate(dir, [`--kustomize-path=${kustomize}`, '--kustomize-timeout=1']);
    assert.ok(Date.now() - started < 10_000, 'returned soon after the timeout');
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^kustomization\.yaml: error\[kustomize-timeout\]: `kustomize build \.` did not finish within 1 s/m);
    assert.match(result.stderr, /hint: raise kustomize-timeout/);
    await assertGroupGone(pidFile);
  });

  it('kills the process group when the plugin is told to stop', async () => {
    const { dir, kustomize, pidFile } = app(HANG);
    const stop = new AbortController();
    const pending = generate(dir, [`--kustomize-path=${kustomize}`], {}, stop.signal);
    await waitFor(() => startedAs(pidFile) > 0, 'the stand-in started');
    stop.abort();
    const result = await pending;
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /error\[kustomize-stopped\]/);
    await assertGroupGone(pidFile);
  });

  // During the first run, on the app directory; during the second, which the first run's problem to locate starts.
  for (const second of [false, true]) {
    it(`on SIGTERM during the ${second ? 'second run the executable kills the process group, leaves no wrapper behind' : 'first run the executable kills the process group'} and exits non-zero with nothing on stdout`, async () => {
      const hang = `echo "$last" > started.txt\n${HANG}`;
      const { dir, kustomize, pidFile } = app(second ? `if ${ANNOTATED_RUN}; then ${hang}\nfi\ncat broken.yaml` : hang);
      const bundle = join(repoRoot, 'dist', 'canary-mapping');
      const child = spawn(process.execPath, [bundle, 'generate', '.', `--kustomize-path=${kustomize}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = { stdout: '', stderr: '' };
      child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk));
      const exited = new Promise<string>((resolve) => child.on('close', (code, signal) => resolve(signal ?? String(code))));
      const started = join(dir, 'started.txt');
      await waitFor(() => existsSync(started) && readFileSync(started, 'utf8').endsWith('\n'), 'the run to stop started');
      child.kill('SIGTERM');
      assert.equal(await exited, 'SIGTERM', 'ended by the signal, as it would have been without Kustomize');
      assert.equal(output.stdout, '');
      assert.equal(output.stderr, 'canary-mapping: stopped by SIGTERM; nothing was rendered\n');
      await assertGroupGone(pidFile);
      const target = readFileSync(started, 'utf8').trim();
      if (second) {
        assert.match(target, /canary-mapping-kustomize-/);
        assert.equal(existsSync(target), false, 'the wrapper kustomization is removed before the signal ends the plugin');
      } else {
        assert.equal(target, dir);
      }
    });
  }

  it("reports a failure with Kustomize's message, the exit status and repository paths, not the checkout's", async () => {
    const { dir, kustomize } = app(`echo "Error: accumulating resources: lstat $PWD/missing.yaml: no such file or directory" >&2\nexit 3`);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`], { ARGOCD_APP_SOURCE_PATH: 'apps/identity' });
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr.split('\n')[0],
      'apps/identity/kustomization.yaml: error[kustomize-failed]: `kustomize build apps/identity` failed with exit status 3: accumulating resources: lstat apps/identity/missing.yaml: no such file or directory',
    );
  });

  it('reports a failing build from its one run: no second run to locate anything', async () => {
    const { dir, kustomize } = app(`echo "Error: invalid Kustomization: yaml: line 1: did not find expected node content" >&2\nexit 1`);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`]);
    assert.equal(result.stderr.split('\n')[0], 'kustomization.yaml: error[kustomize-failed]: `kustomize build .` failed with exit status 1: invalid Kustomization: yaml: line 1: did not find expected node content');
    assert.deepEqual(runsOf(dir), [dir]);
  });

  it('source directory reads the files as they are; source kustomize needs no kustomization file to run', async () => {
    const { dir, kustomize } = app('exit 1');
    writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n');
    const plain = await generate(dir, [`--kustomize-path=${kustomize}`, '--source=directory', '--exclude=kustomization.yaml', '--exclude=broken.yaml']);
    assert.equal(plain.exitCode, 0, plain.stderr);
    rmSync(join(dir, 'kustomization.yaml'));
    const forced = await generate(dir, [`--kustomize-path=${kustomize}`, '--source=kustomize']);
    assert.match(forced.stderr, /^error\[kustomize-failed\]: `kustomize build \.` failed with exit status 1: \(Kustomize printed no message\)/m);
    const missing = await runCli(['generate', 'nowhere', `--kustomize-path=${kustomize}`, '--source=kustomize'], { PATH: process.env.PATH }, { cwd: dir, version: 'test' });
    assert.match(missing.stderr, /error\[no-app-directory\]/);
  });

  it('says plainly when there is no Kustomize to run', async () => {
    const { dir } = app('exit 0');
    const result = await generate(dir, [], { PATH: join(dir, 'nowhere') });
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error\[kustomize-not-found\]: found neither kustomize nor kubectl on PATH/m);
    const named = await generate(dir, ['--kustomize-path=kustomize-v5'], { PATH: join(dir, 'nowhere') });
    assert.match(named.stderr, /^error\[kustomize-not-found\]: kustomize-path kustomize-v5: not found on PATH/m);
  });

  it('says so when kustomize-path is not executable, rather than that it is missing', async () => {
    const { dir, kustomize } = app('cat app.yaml');
    chmodSync(kustomize, 0o644);
    const result = await generate(dir, [`--kustomize-path=${kustomize}`]);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error\[kustomize-not-executable\]: cannot run .*kustomize: it is not executable$/m);
    assert.match(result.stderr, /hint: make it executable \(chmod \+x\)/);
  });

  it('runs only executables named kustomize or kubectl, so that a parameter cannot launch any program', async () => {
    const { dir } = app('exit 0');
    const flag = await generate(dir, ['--kustomize-path=/bin/sh']);
    assert.match(flag.stderr, /error\[invalid-setting\]: flag --kustomize-path: invalid value "\/bin\/sh": expected a kustomize or kubectl executable/);
  });

  it('takes from the Application or the repository only tools on PATH and arguments that run nothing', async () => {
    const { dir } = app('exit 0');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PARAM_KUSTOMIZE_PATH: '/bin/sh' }, /PARAM_KUSTOMIZE_PATH: invalid value "\/bin\/sh": from the Application or the repository, expected kustomize or kubectl/],
      [{ PARAM_KUSTOMIZE_PATH: './kustomize-local' }, /PARAM_KUSTOMIZE_PATH: invalid value ".\/kustomize-local"/],
      [{ ARGOCD_ENV_CANARY_MAPPING_KUSTOMIZE_ARGS: '--enable-alpha-plugins,--enable-exec' }, /ARGOCD_ENV_CANARY_MAPPING_KUSTOMIZE_ARGS: invalid value "--enable-alpha-plugins"/],
      [{ ARGOCD_APP_PARAMETERS: '[{"name":"kustomize-args","array":["--helm-command=/bin/sh"]}]' }, /invalid value "--helm-command=\/bin\/sh"/],
      // Reads any file of the sidecar (a configMapGenerator of /etc/passwd), and runs helm: the operator's to allow.
      [{ ARGOCD_ENV_CANARY_MAPPING_KUSTOMIZE_ARGS: '--load-restrictor=LoadRestrictionsNone' }, /invalid value "--load-restrictor=LoadRestrictionsNone"/],
      [{ PARAM_KUSTOMIZE_ARGS_0: '--enable-helm' }, /invalid value "--enable-helm"/],
    ];
    for (const [environment, message] of cases) {
      const result = await generate(dir, [], environment);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
    writeFileSync(join(dir, '.canary-mapping.yaml'), 'kustomizePath: tools/kustomize-wrapper\n');
    assert.match((await generate(dir, [])).stderr, /\.canary-mapping\.yaml:1:\d+: error\[invalid-setting\]: kustomizePath: invalid value "tools\/kustomize-wrapper"/);
    rmSync(join(dir, '.canary-mapping.yaml'));
    const allowed = await generate(dir, [], { ARGOCD_ENV_CANARY_MAPPING_KUSTOMIZE_ARGS: '--reorder=legacy,--load-restrictor=LoadRestrictionsRootOnly' });
    assert.doesNotMatch(allowed.stderr, /invalid-setting/);
  });

  it('prefers kustomize to kubectl on PATH and runs kubectl as `kubectl kustomize`', () => {
    const bin = join(root, 'both');
    mkdirSync(bin);
    for (const name of ['kubectl', 'kustomize']) {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
    assert.deepEqual(kustomizeCommand('', { PATH: bin }, root), { command: { file: join(bin, 'kustomize'), args: ['build'], name: 'kustomize build' } });
    rmSync(join(bin, 'kustomize'));
    assert.deepEqual(kustomizeCommand('', { PATH: bin }, root), { command: { file: join(bin, 'kubectl'), args: ['kustomize'], name: 'kubectl kustomize' } });
  });
});

describe("Kustomize's message", () => {
  it('is taken out of kubectl klog lines, which carry a time and a process id', () => {
    assert.equal(kustomizeMessage('E1127 17:02:46.155489   29548 run.go:72] "command failed" err="accumulating resources: \\"x\\""\n'), 'accumulating resources: "x"');
    assert.equal(
      kustomizeMessage('E1127 17:04:09.314268   30142 run.go:72] "command failed" err=<\n\ttrouble configuring builtin PatchTransformer with config: `\n\tpath: nope.yaml\n\t`: failed\n >\n'),
      'trouble configuring builtin PatchTransformer with config: `\npath: nope.yaml\n`: failed',
    );
    assert.equal(kustomizeMessage('Error: invalid Kustomization: yaml: line 1\n'), 'invalid Kustomization: yaml: line 1');
  });
});

const realKubectl = kustomizeCommand('kubectl', process.env, repoRoot);

describe('the real Kustomize, counted', { skip: 'problem' in realKubectl && 'kubectl not installed (not on PATH)' }, () => {
  /** A golden case's app, rendered through a `kubectl` that notes what it was asked to build, then is the real one. */
  function counted(name: string, target: string) {
    const bin = mkdtempSync(join(root, 'counting-'));
    const kubectl = join(bin, 'kubectl');
    const log = join(bin, 'runs.txt');
    writeFileSync(kubectl, `#!/bin/sh\nfor last; do :; done\necho "$last" >> '${log}'\nexec '${'command' in realKubectl ? realKubectl.command.file : ''}' "$@"\n`);
    chmodSync(kubectl, 0o755);
    const golden = join(repoRoot, 'test', 'golden', name);
    const cwd = join(golden, 'input');
    return {
      app: resolve(cwd, target),
      run: (command: string) => runCli([command, target, `--kustomize-path=${kubectl}`], { PATH: process.env.PATH }, { cwd, version: 'test' }),
      runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
      expected: (file: string) => readFileSync(join(golden, file), 'utf8'),
    };
  }

  // The golden cases of the real Kustomize: those without problems (a renamed Mapping among them) and those whose
  // problems are located in the app's files (a renamed Mapping named by what it was called).
  for (const [name, target] of [
    ['kustomize-overlay', 'overlays/prod'],
    ['kustomize-name-prefix-with-transformer-config', '.'],
    ['error-kustomize-locations', 'overlays/prod'],
    ['error-kustomize-name-prefix-without-transformer-config', '.'],
  ] as const) {
    const fails = name.startsWith('error-');
    it(`${name}: ${fails ? 'a second run, through the annotated wrapper, locates the problems' : 'one run of Kustomize, on the app directory, for generate and one for explain'}`, async () => {
      const { app, run, runs, expected } = counted(name, target);
      const generated = await run('generate');
      if (fails) {
        assert.equal(generated.stdout, '');
        assert.equal(generated.stderr, expected('expected-error.txt'));
        const [first, wrapper, ...more] = runs();
        assert.equal(first, app);
        assert.match(wrapper ?? '', /canary-mapping-kustomize-/);
        assert.deepEqual(more, []);
      } else {
        assert.equal(generated.stderr, '');
        assert.equal(generated.stdout, expected('expected.yaml'));
        const explained = await run('explain');
        assert.equal(explained.exitCode, 0, explained.stderr);
        assert.deepEqual(runs(), [app, app]);
      }
    });
  }
});
