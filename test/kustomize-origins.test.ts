// Locating diagnostics in Kustomize output opens no file outside the repository (issue 10): the tricks that once made
// the plugin open, parse and quote files outside it, or end in a stack trace, each under a watch on every file the
// plugin opens. Kustomize itself runs as a child process; what it reads is its own business (its load restrictor).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
// The module object itself, which the code under test calls through: a namespace import would be a copy.
import fs = require('node:fs');
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import type { CliResult } from '../src/cli/io.js';
import { runCli } from '../src/cli/main.js';
import { render } from '../src/core/render.js';
import { formatLocation } from '../src/diagnostics/diagnostics.js';
import { parseManifests } from '../src/input/parse.js';
import { limitsOf } from '../src/settings/limits.js';
import { resolveSettings } from '../src/settings/resolve.js';
import { readSource } from '../src/sources/source.js';
import { defaultLimits } from '../src/settings/limits.js';
import { kustomizeSourceFinder, withSources } from '../src/sources/kustomize-origins.js';
import { kustomizeCommand } from '../src/sources/kustomize.js';
import { mapping, rollout } from './support/hostile-apps.js';
import { repoRoot } from './support/repo.js';

const top = realpathSync(mkdtempSync(join(tmpdir(), 'canary-mapping-origins-')));
after(() => rmSync(top, { recursive: true, force: true }));
let cases = 0;

/** A repository (with .git, so it is the root) holding `files`, next to a directory outside it holding `outside`. */
function layout(files: Record<string, string>, outside: Record<string, string> = {}): { repo: string; outside: string } {
  const base = join(top, `case-${cases++}`);
  const write = (dir: string, entries: Record<string, string>) => {
    for (const [path, text] of Object.entries(entries)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  mkdirSync(join(base, 'repo', '.git'), { recursive: true });
  write(join(base, 'repo'), files);
  write(join(base, 'outside'), outside);
  return { repo: join(base, 'repo'), outside: join(base, 'outside') };
}

function inside(root: string, path: string): boolean {
  const fromRoot = relative(root, resolve(path));
  return !(fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot));
}

/** Every path the code under `run` opens or reads, through any of node's file reading calls. */
async function opened<T>(run: () => Promise<T> | T): Promise<{ result: T; paths: string[] }> {
  const paths: string[] = [];
  const watch = <K extends keyof typeof fs>(name: K) => {
    const original = fs[name] as (...args: unknown[]) => unknown;
    return mock.method(fs, name as never, (...args: unknown[]) => {
      if (typeof args[0] === 'string' || args[0] instanceof URL) paths.push(String(args[0]));
      return original(...args);
    });
  };
  const mocks = [watch('openSync'), watch('readFileSync'), watch('createReadStream'), watch('open'), watch('readFile')];
  const promises = [mock.method(fs.promises, 'open'), mock.method(fs.promises, 'readFile')];
  try {
    return { result: await run(), paths };
  } finally {
    for (const m of [...mocks, ...promises]) m.mock.restore();
    assert.ok(promises.every((m) => m.mock.callCount() === 0), 'no file is opened through fs.promises');
  }
}

const noKubectl = 'problem' in kustomizeCommand('kubectl', process.env, repoRoot) ? 'kubectl not installed: these cases need it' : undefined;

/** `generate .` in the app, inside Argo CD: the repository is the app path minus ARGOCD_APP_SOURCE_PATH. */
async function generate(repo: string, app: string, flags: string[] = []): Promise<{ result: CliResult; outsideOpens: string[]; paths: string[] }> {
  const { result, paths } = await opened(() =>
    runCli(['generate', '.', ...flags], { PATH: process.env.PATH, ARGOCD_APP_SOURCE_PATH: app }, { cwd: join(repo, app), version: 'test' }),
  );
  // The plugin's own: the wrapper kustomization it writes, and its modules, loaded on first use (the bundle has them inline).
  const own = [join(realpathSync(tmpdir()), 'canary-mapping-kustomize-'), join(repoRoot, 'node_modules', ''), join(repoRoot, 'build', '')];
  return { result, paths, outsideOpens: paths.filter((path) => !inside(repo, path) && !own.some((prefix) => path.startsWith(prefix))) };
}

function assertFailsCleanly(result: CliResult, code: string): void {
  assert.equal(result.exitCode, 1, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(result.stderr, /^\s+at |internal error|RangeError|TypeError/m, 'no stack trace');
}

const ROLLOUT = rollout(['web']);

describe('locating diagnostics in Kustomize output', { skip: noKubectl }, () => {
  it('a resource by absolute path: Kustomize refuses it; the plugin reports that and opens nothing outside', async () => {
    const { repo, outside } = layout({}, { 'kustomization.yaml': 'resources: [web.yaml]\n', 'web.yaml': mapping('web', '  weight: 5\n') });
    writeFileSync(join(repo, 'kustomization.yaml'), `resources:\n  - ${outside}\n  - ${join(outside, 'web.yaml')}\n`);
    const { result, outsideOpens } = await generate(repo, '.');
    assertFailsCleanly(result, 'kustomize-failed');
    assert.deepEqual(outsideOpens, []);
  });

  it('objects Kustomize reads from outside the repository are named, never located in the file, which is never opened', async () => {
    const { repo } = layout(
      { 'apps/web/kustomization.yaml': 'resources: [../../../outside, rollout.yaml]\n', 'apps/web/rollout.yaml': ROLLOUT },
      { 'kustomization.yaml': 'resources: [web.yaml]\n', 'web.yaml': mapping('web', '  weight: 5\n') },
    );
    const { result, outsideOpens } = await generate(repo, 'apps/web');
    assertFailsCleanly(result, 'base-weight');
    assert.match(result.stderr, /^Mapping shop\/web \(rendered by kustomize\): error\[base-weight\]/m);
    assert.doesNotMatch(result.stderr, /outside/, 'no path outside the repository is quoted');
    assert.deepEqual(outsideOpens, []);
  });

  it('a link in the repository to a file outside it: Kustomize follows it, the plugin does not', async () => {
    const { repo, outside } = layout({ 'apps/web/kustomization.yaml': 'resources: [web.yaml, rollout.yaml]\n', 'apps/web/rollout.yaml': ROLLOUT }, { 'web.yaml': mapping('web', '  weight: 5\n') });
    symlinkSync(join(outside, 'web.yaml'), join(repo, 'apps/web/web.yaml'));
    // An operator's flag lets Kustomize read through the link; the plugin still refuses to, and names the object.
    const { result, outsideOpens } = await generate(repo, 'apps/web', ['--kustomize-args=--load-restrictor=LoadRestrictionsNone']);
    assertFailsCleanly(result, 'base-weight');
    assert.match(result.stderr, /^Mapping shop\/web \(rendered by kustomize\): error\[base-weight\]/m);
    assert.doesNotMatch(result.stderr, /^\s+at |internal error/m);
    assert.deepEqual(outsideOpens, []);
  });

  it('the core does no I/O: once the locating run has read the recorded files, rendering again opens nothing', async () => {
    const { repo } = layout({ 'apps/web/kustomization.yaml': 'resources: [web.yaml, rollout.yaml]\n', 'apps/web/web.yaml': mapping('web', '  weight: 5\n'), 'apps/web/rollout.yaml': ROLLOUT });
    const settings = { ...resolveSettings({ flags: {}, environment: {} }).settings, source: 'kustomize' as const };
    const app = join(repo, 'apps/web');
    const limits = limitsOf(settings);
    const read = await readSource({ target: '.', directory: app, displayPrefix: '', root: repo, settings, limits, environment: { PATH: process.env.PATH }, cwd: app, readStdin: async () => Buffer.alloc(0) });
    assert.deepEqual(read.diagnostics, []);
    const first = render(read.manifests, { settings, mappings: {} });
    assert.ok(read.sources?.asked(), 'the problem asked where the base was written');
    assert.match(first.diagnostics.map((d) => d.code).join(), /base-weight/);
    await read.sources!.find();
    const { result, paths } = await opened(() => render(read.manifests, { settings, mappings: {} }));
    assert.deepEqual(paths, [], 'no file opened by the core');
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.location && formatLocation(d.location)]), [['base-weight', 'web.yaml:9:11']]);
  });

  it('a source file over max-file-size is not read to locate: the object is named instead', async () => {
    // Comments: Kustomize drops them, so its output stays small while the file is large.
    const padding = `# ${'x'.repeat(1000)}\n`.repeat(1100);
    const { repo } = layout({ 'apps/web/kustomization.yaml': 'resources: [web.yaml, rollout.yaml]\n', 'apps/web/web.yaml': mapping('web', '  weight: 5\n') + padding, 'apps/web/rollout.yaml': ROLLOUT });
    const { result, outsideOpens } = await generate(repo, 'apps/web', ['--max-file-size=1Mi']);
    assertFailsCleanly(result, 'base-weight');
    assert.match(result.stderr, /^Mapping shop\/web \(rendered by kustomize\): error\[base-weight\]/m);
    assert.deepEqual(outsideOpens, []);
  });

  it('a field a patch sets is located in the patch; the annotations Kustomize recorded are not in the output', async () => {
    const { repo } = layout({
      'apps/web/kustomization.yaml': 'namePrefix: eu-\nresources: [../base]\npatches:\n  - path: tls.yaml\n',
      'apps/web/tls.yaml': 'apiVersion: getambassador.io/v2\nkind: Mapping\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    team: edge\nspec:\n  tls: true\n',
      'apps/base/kustomization.yaml': 'resources: [web.yaml, rollout.yaml]\nconfigurations: [rollout-transform.yaml]\n',
      'apps/base/rollout-transform.yaml':
        'nameReference:\n  - kind: Mapping\n    group: getambassador.io\n    fieldSpecs:\n      - kind: Rollout\n        path: spec/strategy/canary/trafficRouting/ambassador/mappings\n',
      'apps/base/web.yaml': `${mapping('other')}---\n${mapping('web')}`,
      'apps/base/rollout.yaml': ROLLOUT,
    });
    const rendered = await generate(repo, 'apps/web');
    assert.equal(rendered.result.stderr, '');
    assert.doesNotMatch(rendered.result.stdout, /config\.kubernetes\.io/);
    assert.match(rendered.result.stdout, /annotations:\n {4}team: edge\n/);
    writeFileSync(join(repo, 'apps/web/tls.yaml'), 'apiVersion: getambassador.io/v2\nkind: Mapping\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  service: web:http\n');
    const { result, outsideOpens, paths } = await generate(repo, 'apps/web');
    assertFailsCleanly(result, 'service-invalid');
    assert.ok(paths.includes(join(repo, 'apps/web/tls.yaml')), 'the watch sees what the plugin reads');
    assert.match(result.stderr, /^apps\/web\/tls\.yaml:7:12: error\[service-invalid\]/m);
    assert.deepEqual(outsideOpens, []);
  });
});

describe('the source lookup, given what Kustomize recorded', () => {
  const rendered = { apiVersion: 'getambassador.io/v2', kind: 'Mapping', metadata: { name: 'web', namespace: 'shop' } };

  it('opens nothing outside the repository, whatever the recorded paths say, and never throws', async () => {
    const { repo, outside } = layout({ 'apps/web/web.yaml': mapping('web') }, { 'web.yaml': mapping('web'), 'patch.yaml': mapping('web') });
    const patches = [join(outside, 'patch.yaml'), '../../../outside/patch.yaml', 'big.yaml', 'fifo.yaml', 'dir.yaml'];
    writeFileSync(join(repo, 'apps/web/kustomization.yaml'), `patches:\n${patches.map((path) => `  - path: ${path}\n`).join('')}`);
    // A 99 MB binary, sparse: it takes no room on disk.
    writeFileSync(join(repo, 'apps/web/big.yaml'), '');
    truncateSync(join(repo, 'apps/web/big.yaml'), 99 * 1024 * 1024);
    execFileSync('mkfifo', [join(repo, 'apps/web/fifo.yaml')]);
    mkdirSync(join(repo, 'apps/web/dir.yaml'));
    const wrapper = realpathSync(mkdtempSync(join(top, 'wrapper-')));
    const app = join(repo, 'apps/web');
    const find = kustomizeSourceFinder({ wrapper, appDirectory: app, displayPrefix: 'apps/web', root: repo, limits: defaultLimits });
    const fromWrapper = (path: string) => relative(wrapper, path);
    const { result, paths } = await opened(() =>
      [join(outside, 'web.yaml'), fromWrapper(join(outside, 'web.yaml')), '/etc/passwd', fromWrapper(join(app, 'big.yaml')), fromWrapper(join(app, 'dir.yaml')), fromWrapper(join(app, 'missing.yaml'))].map((path) =>
        find(rendered, { path, patchedIn: [] }),
      ),
    );
    assert.deepEqual(result, [undefined, undefined, undefined, undefined, undefined, undefined]);
    // The large file is opened to learn its size through the open descriptor, and refused unread.
    assert.deepEqual(paths, [join(app, 'big.yaml')], 'nothing else opened: outside the repository, not a file, missing');
    const located = await opened(() => find(rendered, { path: fromWrapper(join(app, 'web.yaml')), patchedIn: [fromWrapper(join(app, 'kustomization.yaml'))] }));
    assert.equal(located.result?.origin.file.path, 'apps/web/web.yaml');
    assert.deepEqual(located.result?.patches, [], 'no patch outside the repository, too large or not a file is read');
    assert.deepEqual(located.paths.filter((path) => !inside(repo, path)), []);
    assert.equal(located.paths.filter((path) => path.endsWith('fifo.yaml')).length, 0, 'a FIFO is never opened');
  });
});

describe('the annotations Kustomize recorded are taken off', () => {
  const strip = (text: string) => withSources(parseManifests({ path: 'output', text }).manifests, () => undefined, '').map((m) => [m.object, m.source]);

  it('cut out of the text as Kustomize lays it out, keeping the object\'s own annotations and everything else as it was', () => {
    const rendered = `apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    alpha.config.kubernetes.io/transformations: |
      - configuredIn: ../app/kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: PatchTransformer
    config.kubernetes.io/origin: |
      path: ../app/a.yaml
    team: "edge"
  name: a
data:
  k: |
    config.kubernetes.io/origin: |
      path: stays, it is data
---
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ../app/b.yaml
  name: b
`;
    assert.deepEqual(strip(rendered), [
      [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { team: 'edge' }, name: 'a' }, data: { k: 'config.kubernetes.io/origin: |\n  path: stays, it is data\n' } },
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    team: "edge"\n  name: a\ndata:\n  k: |\n    config.kubernetes.io/origin: |\n      path: stays, it is data\n',
      ],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n'],
    ]);
  });

  it('laid out otherwise, the object is written anew from its value', () => {
    const [[object, text]] = strip('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {config.kubernetes.io/origin: "path: c.yaml\\n"}}\n') as [[object, string]];
    assert.deepEqual(object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    assert.equal(text, undefined, 'no source text: the object is written anew');
  });
});
