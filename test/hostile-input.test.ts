// Hostile and broken input (issue 5, item 4): every case ends in correct output or a clear located error, never a
// stack trace, never partial stdout, never a hang. Big inputs are generated here, in temp dirs, at test time.
// Cases that a regression could turn into a hang or a crash of the test process (FIFOs, devices) run the bundle in
// a child process with a deadline; the others run in-process through runCli.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs, { chmodSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { appTree } from './support/app-tree.js';
import { argoObjects } from './support/argo-reading.js';
import type { CliResult } from '../src/cli/io.js';
import { runCli } from '../src/cli/main.js';
import { repoRoot } from './support/repo.js';
import { bundle, runBundle } from './support/run-bundle.js';
import { hostileApps, hostsOverBases, manyBases, missingMappings } from './support/hostile-apps.js';

type Obj = Record<string, any>;

const tree = (files: Record<string, string | Buffer> = {}) => appTree(files, 'canary-mapping-hostile-');

/** The example app's files: a base Mapping the plugin rewrites, its Rollout and Services. */
const example: Record<string, string> = Object.fromEntries(
  ['mapping.yaml', 'rollout.yaml', 'services.yaml'].map((name) => [name, readFileSync(join(repoRoot, 'examples', 'identity', name), 'utf8')]),
);

function generate(cwd: string, args: string[] = [], environment: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['generate', ...args], environment, { cwd, version: 'test' });
}

function objects(stdout: string): Obj[] {
  return argoObjects(stdout);
}

function assertRendered(result: CliResult): Obj[] {
  assert.equal(result.stderr, '', 'nothing on stderr');
  assert.equal(result.exitCode, 0);
  const rendered = objects(result.stdout);
  assert.ok(rendered.length > 0, 'objects on stdout');
  return rendered;
}

/** Fail closed: exit 1 (2 for a wrong command line), nothing on stdout, the code reported (at `where` when given), no stack trace. */
function assertFails(result: { exitCode?: number; code?: number | null; stdout: string; stderr: string }, code: string, where?: RegExp, exitCode = 1): void {
  assert.equal(result.exitCode ?? result.code, exitCode, `exit ${exitCode}; stderr:\n${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
  if (where) assert.match(result.stderr, where);
  assert.doesNotMatch(result.stderr, /^\s+at |internal.error|RangeError|TypeError/m, 'no stack trace');
}

/** Every way to raise `setting` is named, so the user can act on the message alone. */
function assertNamesLimit(stderr: string, setting: string): void {
  const env = `CANARY_MAPPING_${setting.toUpperCase().replace(/-/g, '_')}`;
  for (const spelling of [`limit ${setting}:`, `--${setting}`, env, 'Application parameter']) assert.ok(stderr.includes(spelling), `names ${spelling}: ${stderr}`);
}

const configMap = (name: string, data = 'k: v') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;

/** A custom object nested `depth` levels deep: level 1 is the object, 2 the value of spec, each `n:` one more, then the leaf. */
function nested(depth: number, name = 'deep'): string {
  const lines = ['apiVersion: example.com/v1', 'kind: Deep', 'metadata:', `  name: ${name}`, 'spec:'];
  for (let level = 2; level < depth - 1; level++) lines.push(`${'  '.repeat(level - 1)}n:`);
  lines.push(`${'  '.repeat(depth - 2)}n: leaf`);
  return `${lines.join('\n')}\n`;
}

describe('limits: each stops hostile input quickly with an error that names the setting', () => {
  it('a 50 MB file: file-too-large before it is read', async () => {
    const dir = tree(example);
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(50 * 1024 * 1024, 'a'));
    const result = await generate(dir);
    assertFails(result, 'file-too-large', /huge\.yaml is 50\.0 MiB, larger than 16\.0 MiB/);
    assertNamesLimit(result.stderr, 'max-file-size');
  });

  it('max-file-size accepts Ki/Mi/Gi, and a raised limit renders the large file', async () => {
    const data = Array.from({ length: 1200 }, (_, i) => `  k${i}: "${'v'.repeat(1000)}"`).join('\n');
    const dir = tree({ ...example, 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${data}\n` });
    assertFails(await generate(dir, ['--max-file-size=1Mi']), 'file-too-large', /big\.yaml is 1\.\d MiB, larger than 1\.0 MiB/);
    const rendered = assertRendered(await generate(dir, ['--max-file-size=2Mi']));
    assert.equal(Object.keys(rendered.find((o) => o.metadata.name === 'big')!.data).length, 1200);
    assertRendered(await generate(dir, [], { ARGOCD_ENV_CANARY_MAPPING_MAX_FILE_SIZE: String(2 * 1024 * 1024) }));
  });

  it('100,000 small documents: too-many-documents at the first one past the limit, without loading them', async () => {
    const dir = tree({ 'flood.yaml': Array.from({ length: 100_000 }, (_, i) => `---\n${configMap(`c${i}`)}`).join('') });
    const result = await generate(dir);
    // Each document is 7 lines; document 10,001 starts on line 10,000 * 7 + 2.
    assertFails(result, 'too-many-documents', /^flood\.yaml:70002:1: error\[too-many-documents\]/m);
    assertNamesLimit(result.stderr, 'max-documents');
  });

  it('stdin (generate -) has the same limits and checks: too large, or not UTF-8', () => {
    const run = (input: Buffer, args: string[] = []) => {
      try {
        execFileSync(process.execPath, [bundle, 'generate', '-', ...args], { cwd: tree(), input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
        assert.fail('expected a failure');
      } catch (error) {
        const failed = error as { status: number; stdout: Buffer; stderr: Buffer };
        return { exitCode: failed.status, stdout: failed.stdout.toString(), stderr: failed.stderr.toString() };
      }
    };
    const large = run(Buffer.from(`${configMap('big')}${'#'.repeat(4096)}\n`), ['--max-file-size=2Ki']);
    assertFails(large, 'file-too-large', /^error\[file-too-large\]: <stdin> is larger than 2\.0 KiB \(limit max-file-size: 2Ki\)/m);
    const binary = run(Buffer.concat([Buffer.from(configMap('bin')), Buffer.from([0xff, 0xfe, 0x00])]));
    assertFails(binary, 'not-utf8', /^<stdin>:7:1: error\[not-utf8\]/m);
  });

  it('max-documents counts across files, with LF and CRLF line ends, and a raised limit renders a large app', async () => {
    const docs = (file: string, count: number, eol = '\n') => Array.from({ length: count }, (_, i) => `---\n${configMap(`${file}${i}`)}`).join('').replaceAll('\n', eol);
    for (const eol of ['\n', '\r\n']) {
      const dir = tree({ 'a.yaml': docs('a', 3, eol), 'b.yaml': docs('b', 2, eol), 'c.yaml': docs('c', 1, eol) });
      assertRendered(await generate(dir, ['--max-documents=6']));
      assertFails(await generate(dir, ['--max-documents=5']), 'too-many-documents', /^c\.yaml:2:1: /m);
    }
    const big = tree({ 'a.yaml': docs('a', 5500), 'b.yaml': docs('b', 5000) });
    assertFails(await generate(big), 'too-many-documents', /^b\.yaml:\d+:1: /m);
    assert.equal(assertRendered(await generate(big, ['--max-documents=10500'])).length, 10_500);
  });

  it('an alias bomb: expanded-too-large; a few aliases render expanded; max-aliases 0 forbids them', async () => {
    const levels = ['  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) levels.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    // Inside a List, whose items are written out again: a walk over the expanded bomb would never end.
    const bomb = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: bomb}\n  data:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const result = await generate(tree({ ...example, 'bomb.yaml': bomb }));
    assertFails(result, 'expanded-too-large', /^bomb\.yaml:\d+:\d+: /m);
    assertNamesLimit(result.stderr, 'max-expanded-size');

    const aliased = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aliased\n  labels: &labels {app: identity}\n  annotations: *labels\ndata: {a: &v hello, b: *v}\n`;
    const dir = tree({ ...example, 'aliased.yaml': aliased });
    const map = assertRendered(await generate(dir)).find((o) => o.metadata.name === 'aliased')!;
    assert.deepEqual(map.metadata.annotations, { app: 'identity' });
    assert.deepEqual(map.data, { a: 'hello', b: 'hello' });
    assertFails(await generate(dir, ['--max-aliases=0']), 'yaml-aliases', /^aliased\.yaml:6:16: /m);
  });

  it('an alias inside its own anchor (a cycle) is refused, not walked forever', async () => {
    const cycle = `${configMap('cycle').trimEnd()}\n  loop: &a [*a]\n`;
    const result = await generate(tree({ ...example, 'cycle.yaml': cycle }));
    assertFails(result, 'yaml-aliases', /^cycle\.yaml:7:13: error\[yaml-aliases\]: anchor 'a' value contains itself/m);
  });

  it('a million nested brackets: too-deep at once, in YAML and JSON', async () => {
    const million = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    const result = await generate(tree({ ...example, 'deep.yaml': configMap('deep', `k: ${million}`) }));
    assertFails(result, 'too-deep', /deep\.yaml:\d+:\d+: error\[too-deep\]: maps and lists nested deeper than 100 levels/);
    assertNamesLimit(result.stderr, 'max-depth');
    const json = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}, "data": ${million}}`;
    assertFails(await generate(tree({ ...example, 'deep.json': json })), 'too-deep', /^deep\.json:1:\d+: /m);
  });

  it('a config file nested 5,000 levels deep: a located config-syntax error, not the YAML library running out of stack', async () => {
    const dir = tree(example);
    writeFileSync(join(dir, '.canary-mapping.yaml'), `strategy: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const result = await generate(dir);
    assertFails(result, 'config-syntax', /^\.canary-mapping\.yaml:1:\d+: error\[config-syntax\]: YAML: maps and lists nested deeper than 64 levels$/m);
    assert.doesNotMatch(result.stderr, /call stack/);
  });

  it('max-depth allows exactly its depth, in YAML and JSON', async () => {
    const dir = tree({ ...example, 'deep.yaml': nested(12) });
    assertRendered(await generate(dir, ['--max-depth=12']));
    assertFails(await generate(dir, ['--max-depth=11']), 'too-deep', /^deep\.yaml:\d+:\d+: error\[too-deep\]/m);
    const json = tree({ 'deep.json': '{"apiVersion": "v1", "kind": "X", "metadata": {"name": "j"}, "spec": [[["leaf"]]]}' });
    assertRendered(await generate(json, ['--max-depth=5']));
    assertFails(await generate(json, ['--max-depth=4']), 'too-deep', /^deep\.json:1:\d+: /m);
  });

  it('aliases cannot build a value deeper than max-depth', async () => {
    // Each link nests 20 levels, well within the limit; six of them expand to more than 100.
    const chain = [`  a0: &a0 ${'['.repeat(20)}x${']'.repeat(20)}`];
    for (let i = 1; i < 6; i++) chain.push(`  a${i}: &a${i} ${'['.repeat(20)}*a${i - 1}${']'.repeat(20)}`);
    const dir = tree({ ...example, 'chain.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: chain}\ndata:\n${chain.join('\n')}\n` });
    assertFails(await generate(dir), 'too-deep', /^chain\.yaml:\d+:\d+: /m);
    assertRendered(await generate(dir, ['--max-depth=200']));
  });

  it('at the highest max-depth, 500, a document that deep renders, rewritten or not (no stack overflow)', async () => {
    const deepMapping = example['mapping.yaml']!.replace('  timeout_ms: 5000\n', `  timeout_ms: 5000\n  extra: ${'['.repeat(490)}x${']'.repeat(490)}\n`);
    const dir = tree({ ...example, 'mapping.yaml': deepMapping, 'deep.yaml': nested(500) });
    const rendered = assertRendered(await generate(dir, ['--max-depth=500']));
    const mapping = rendered.find((o) => o.kind === 'Mapping')!;
    assert.equal(mapping.spec.tls, true, 'the deep Mapping was rewritten');
    assert.equal(JSON.stringify(mapping.spec.extra), `${'['.repeat(490)}"x"${']'.repeat(490)}`);
  });

  it('limits out of range are refused as settings', async () => {
    const dir = tree(example);
    for (const flag of ['--max-depth=501', '--max-depth=0', '--max-file-size=257Mi', '--max-file-size=1Ti', '--max-documents=0', '--max-aliases=-1', '--max-aliases=1.5']) {
      assertFails(await generate(dir, [flag]), 'invalid-setting', new RegExp(flag.split('=')[0]!), 2);
    }
    // The config file may write them as numbers.
    writeFileSync(join(dir, '.canary-mapping.yaml'), 'maxDocuments: 20000\nmaxFileSize: 32Mi\n');
    assertRendered(await generate(dir));
  });
});

describe('encodings and YAML edge cases', () => {
  const mapping = Buffer.from(example['mapping.yaml']!);

  it('invalid UTF-8: not-utf8 at the line and column of the first bad byte', async () => {
    const bad = Buffer.concat([Buffer.from(configMap('bin', 'k: "caf').trimEnd()), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]);
    assertFails(await generate(tree({ ...example, 'bin.yaml': bad })), 'not-utf8', /^bin\.yaml:6:10: error\[not-utf8\]: bin\.yaml is not UTF-8 text/m);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(configMap('u16'), 'utf16le')]);
    assertFails(await generate(tree({ ...example, 'u16.yaml': utf16 })), 'not-utf8', /looks like UTF-16/);
  });

  it('binary data named .yaml: a located error, whether or not it happens to be valid UTF-8', async () => {
    let state = 7;
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) >> 23));
    assertFails(await generate(tree({ ...example, 'blob.yaml': bytes })), 'not-utf8', /^blob\.yaml:\d+:\d+: /m);
    const controls = `${configMap('c')}---\n\u0000\u0001\u0002: \u0007\n`;
    assertFails(await generate(tree({ ...example, 'controls.yaml': controls })), 'control-character', /^controls\.yaml:8:1: /m);
  });

  it('a UTF-8 byte order mark is dropped; the output is the same as without it', async () => {
    const plain = await generate(tree({ ...example }));
    const bom = await generate(tree({ ...example, 'mapping.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mapping]) }));
    assertRendered(bom);
    assert.equal(bom.stdout, plain.stdout);
    assert.ok(!bom.stdout.includes('\uFEFF'));
  });

  it('a byte order mark after a --- starts a document, as Kubernetes reads it (found by the fuzzer)', async () => {
    const stream = `${example['rollout.yaml']}---\n\uFEFF${configMap('after-bom')}`;
    const names = assertRendered(await generate(tree({ ...example, 'rollout.yaml': stream }))).map((o) => o.metadata.name);
    assert.ok(names.includes('after-bom'));
  });

  it('CRLF line ends render the same objects as LF, rewritten base included', async () => {
    const crlf = Object.fromEntries(Object.entries(example).map(([name, text]) => [name, text.replaceAll('\n', '\r\n')]));
    const withBom = { ...crlf, 'mapping.yaml': `\uFEFF${crlf['mapping.yaml']}` };
    const expected = assertRendered(await generate(tree(example)));
    for (const files of [crlf, withBom]) {
      const result = await generate(tree(files));
      assert.deepEqual(assertRendered(result), expected);
    }
  });

  it('duplicate keys are refused at the second key, in YAML and JSON, saying Argo CD would keep one silently', async () => {
    const yaml = configMap('dup', 'k: a\n  k: b');
    assertFails(await generate(tree({ ...example, 'dup.yaml': yaml })), 'duplicate-key', /^dup\.yaml:7:3: error\[duplicate-key\]: map key "k" is written twice; Argo CD would silently keep one/m);
    const json = '{"apiVersion": "v1", "kind": "ConfigMap", "kind": "Secret", "metadata": {"name": "d"}}';
    assertFails(await generate(tree({ ...example, 'dup.json': json })), 'duplicate-key', /^dup\.json:1:\d+: /m);
    // Keys that differ in YAML but not once Kubernetes has made them strings.
    assertFails(await generate(tree({ ...example, 'dup.yaml': configMap('dup', 'yes: a\n  "true": b') })), 'duplicate-key', /^dup\.yaml:7:3: /m);
  });

  it('an empty key is refused, as Kubernetes refuses it; an explicit `? key` is read', async () => {
    const mapping = example['mapping.yaml']!.replace('  service:', ':  service:');
    assertFails(await generate(tree({ ...example, 'mapping.yaml': mapping })), 'syntax', /^mapping\.yaml:\d+:4: error\[syntax\]: Nested mappings are not allowed/m);
    const explicit = `${configMap('explicit').trimEnd()}\n  ? k2\n  : v2\n`;
    const rendered = assertRendered(await generate(tree({ ...example, 'explicit.yaml': explicit })));
    assert.deepEqual(rendered.find((o) => o.metadata.name === 'explicit')!.data, { k: 'v', k2: 'v2' });
  });

  it('a document that is a scalar or a list is not-an-object, located', async () => {
    const result = await generate(tree({ ...example, 'odd.yaml': `just a string\n---\n- a\n- b\n---\n42\n---\n${configMap('fine')}` }));
    assertFails(result, 'not-an-object');
    for (const [line, what] of [[1, 'a string'], [3, 'a list'], [6, 'a number']]) {
      assert.match(result.stderr, new RegExp(`^odd\\.yaml:${line}:1: error\\[not-an-object\\]: the document is ${what}`, 'm'));
    }
  });
});

describe('symlinks, loops, FIFOs and devices', () => {
  it('a symlink that leaves the repository is refused, file or directory, without reading it', async () => {
    const outside = tree({ 'secret.yaml': configMap('stolen', 'token: hunter2') });
    for (const [name, target] of [['link.yaml', join(outside, 'secret.yaml')], ['linked-dir', outside]] as const) {
      const dir = tree(example);
      symlinkSync(target, join(dir, name));
      const result = await generate(dir);
      assertFails(result, 'outside-repository', new RegExp(`error\\[outside-repository\\]: ${name} is a symlink that leads out of the repository`));
      assert.ok(!result.stderr.includes('hunter2') && !result.stderr.includes(outside), 'neither the target nor its content is shown');
    }
  });

  it('inside Argo CD the repository is the app path minus ARGOCD_APP_SOURCE_PATH; links within it are followed', async () => {
    const repo = tree({ 'common/shared.yaml': configMap('shared'), ...Object.fromEntries(Object.entries(example).map(([n, t]) => [`apps/identity/${n}`, t])) });
    const app = join(repo, 'apps', 'identity');
    symlinkSync('../../common/shared.yaml', join(app, 'shared.yaml'));
    const environment = { ARGOCD_APP_SOURCE_PATH: 'apps/identity' };
    const rendered = assertRendered(await generate(app, [], environment));
    assert.ok(rendered.some((o) => o.metadata.name === 'shared'), 'the linked file is read');
    // The same link is outside when the app directory is the whole repository.
    assertFails(await generate(app, [], { ARGOCD_APP_SOURCE_PATH: '.' }), 'outside-repository', /apps\/identity|shared\.yaml/);
    symlinkSync(tree({ 'x.yaml': configMap('x') }), join(app, 'escape'));
    assertFails(await generate(app, [], environment), 'outside-repository', /^error\[outside-repository\]: apps\/identity\/escape is a symlink/m);
  });

  it('an ARGOCD_APP_SOURCE_PATH with `..`, absolute, or not naming the app directory never moves the root above the repository', async () => {
    // Argo CD passes the Application's path as written; the working directory is the cleaned path.
    const parent = tree({
      'outside/secret.yaml': configMap('stolen', 'token: hunter2'),
      'outside/config.yaml': 'exclude: [hunter2]\n',
      ...Object.fromEntries(Object.entries(example).map(([n, t]) => [`repo/apps/a/${n}`, t])),
    });
    const app = join(parent, 'repo', 'apps', 'a');
    symlinkSync('../../../outside/secret.yaml', join(app, 'zz.yaml'));
    const assertRefused = (result: CliResult, name: string) => {
      assertFails(result, 'outside-repository', new RegExp(`${name.replace('.', '\\.')} is a symlink that leads out of the repository`));
      assert.ok(!result.stderr.includes('hunter2') && !result.stderr.includes('stolen') && !result.stderr.includes(parent), 'neither the target nor its content is shown');
    };
    for (const sourcePath of ['apps/a/../a', 'apps/./a/', '/apps/a', 'other/a', '../repo/apps/a', 'x/../../../../../../../../../../../../a']) {
      assertRefused(await generate(app, [], { ARGOCD_APP_SOURCE_PATH: sourcePath }), 'zz.yaml');
    }
    rmSync(join(app, 'zz.yaml'));
    // The config file is opened before anything else: an absolute link out is refused there too.
    symlinkSync(join(parent, 'outside', 'config.yaml'), join(app, '.canary-mapping.yaml'));
    for (const sourcePath of ['x/../../../../../../../../../../../../a', 'apps/a/../a']) {
      assertRefused(await generate(app, [], { ARGOCD_APP_SOURCE_PATH: sourcePath }), '.canary-mapping.yaml');
    }
    rmSync(join(app, '.canary-mapping.yaml'));
    // A path that cleans to the app's own path is trusted: links within the repository are still followed.
    writeFileSync(join(parent, 'repo', 'shared.yaml'), configMap('shared'));
    symlinkSync('../../shared.yaml', join(app, 'shared.yaml'));
    assert.ok(assertRendered(await generate(app, [], { ARGOCD_APP_SOURCE_PATH: 'apps/b/../a/.' })).some((o) => o.metadata.name === 'shared'));
  });

  it('outside Argo CD the repository is the Git work tree, else the app directory', async () => {
    const repo = tree({ 'common/shared.yaml': configMap('shared'), ...Object.fromEntries(Object.entries(example).map(([n, t]) => [`apps/identity/${n}`, t])) });
    const app = join(repo, 'apps', 'identity');
    symlinkSync('../../common/shared.yaml', join(app, 'shared.yaml'));
    assertFails(await generate(app), 'outside-repository', /shared\.yaml is a symlink/);
    mkdirSync(join(repo, '.git'));
    assert.ok(assertRendered(await generate(app)).some((o) => o.metadata.name === 'shared'));
    assert.ok(assertRendered(await generate(repo, ['apps/identity'])).some((o) => o.metadata.name === 'shared'));
  });

  it('a file is opened at the real path that was checked, so a link swapped in after the check is not followed', async () => {
    // Hidden directories are not walked: their files are read through the links only.
    const dir = tree({ ...example, '.common/shared.yaml': configMap('shared'), '.common/config.yaml': 'exclude: [nothing.yaml]\n', 'more/extra.yaml': configMap('extra') });
    symlinkSync('.common/shared.yaml', join(dir, 'shared.yaml'));
    symlinkSync('.common/config.yaml', join(dir, '.canary-mapping.yaml'));
    symlinkSync('more', join(dir, 'linked'));
    const opened: string[] = [];
    const original = fs.openSync;
    const openSync = mock.method(fs, 'openSync', (...args: Parameters<typeof fs.openSync>) => {
      opened.push(String(args[0]));
      return original(...args);
    });
    try {
      assertRendered(await generate(dir));
    } finally {
      openSync.mock.restore();
    }
    const real = realpathSync(dir);
    const inApp = opened.filter((path) => path.startsWith(dir) || path.startsWith(real));
    for (const file of ['.common/config.yaml', '.common/shared.yaml', 'more/extra.yaml']) assert.ok(inApp.includes(join(real, file)), `${file} is read: ${inApp.join(', ')}`);
    for (const path of inApp) assert.equal(path, realpathSync(path), `${path} is opened at its real path`);
  });

  it('symlink loops: a clear error for a looping file link; a link back up the tree is read once', async () => {
    const dir = tree(example);
    symlinkSync('self.yaml', join(dir, 'self.yaml'));
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    const result = await generate(dir);
    assertFails(result, 'unreadable', /cannot read self\.yaml: a symlink loop/);
    assert.match(result.stderr, /cannot read a\.yaml: a symlink loop/);
    const up = tree(example);
    mkdirSync(join(up, 'sub'));
    symlinkSync('..', join(up, 'sub', 'up'));
    assert.equal(assertRendered(await generate(up)).length, 4, 'each object once');
  });

  it('a FIFO named x.yaml (or the config file) is refused at once, never opened', async (t) => {
    const dir = tree(example);
    try {
      execFileSync('mkfifo', [join(dir, 'x.yaml')]);
    } catch {
      t.skip('mkfifo is not available');
      return;
    }
    const result = await runBundle(['generate'], { cwd: dir, timeoutMs: 10_000 });
    assert.equal(result.timedOut, false, 'did not block on the FIFO');
    assertFails(result, 'not-a-file', /x\.yaml is not a regular file/);
    rmSync(join(dir, 'x.yaml'));
    execFileSync('mkfifo', [join(dir, '.canary-mapping.yaml')]);
    const config = await runBundle(['generate'], { cwd: dir, timeoutMs: 10_000 });
    assert.equal(config.timedOut, false, 'did not block on the FIFO');
    assertFails(config, 'not-a-file', /\.canary-mapping\.yaml is not a regular file/);
  });

  it('a device named x.yaml is refused: a link to /dev/zero leaves the repository; a device node is not a file', async (t) => {
    const dir = tree(example);
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const linked = await runBundle(['generate'], { cwd: dir, timeoutMs: 10_000 });
    assert.equal(linked.timedOut, false);
    assertFails(linked, 'outside-repository', /zero\.yaml/);
    rmSync(join(dir, 'zero.yaml'));
    try {
      execFileSync('mknod', [join(dir, 'null.yaml'), 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      t.diagnostic('mknod needs root: the device-node half is skipped');
      return;
    }
    const node = await runBundle(['generate'], { cwd: dir, timeoutMs: 10_000 });
    assert.equal(node.timedOut, false);
    assertFails(node, 'not-a-file', /null\.yaml is not a regular file/);
  });

  it('a config file that is a directory, too large, or a link out of the repository is refused', async () => {
    const dir = tree(example);
    mkdirSync(join(dir, '.canary-mapping.yaml'));
    assertFails(await generate(dir), 'not-a-file', /\.canary-mapping\.yaml is not a regular file/);
    rmSync(join(dir, '.canary-mapping.yaml'), { recursive: true });
    writeFileSync(join(dir, '.canary-mapping.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    assertFails(await generate(dir), 'file-too-large', /\.canary-mapping\.yaml is 2\.0 MiB; a config file may have at most 1 MiB/);
    rmSync(join(dir, '.canary-mapping.yaml'));
    symlinkSync(join(tree({ 'c.yaml': 'strategy: clone-safe\n' }), 'c.yaml'), join(dir, '.canary-mapping.yaml'));
    assertFails(await generate(dir), 'outside-repository', /\.canary-mapping\.yaml is a symlink/);
  });

  it('an unreadable directory is reported, not thrown', async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('root reads any directory');
      return;
    }
    const dir = tree({ ...example, 'locked/x.yaml': configMap('x') });
    chmodSync(join(dir, 'locked'), 0o000);
    try {
      assertFails(await generate(dir), 'unreadable', /cannot read locked: permission denied/);
    } finally {
      chmodSync(join(dir, 'locked'), 0o755);
    }
  });
});

describe('parameters and Application env with hostile values', () => {
  const parameters = (value: string) => ({ ARGOCD_APP_PARAMETERS: value });

  it('malformed ARGOCD_APP_PARAMETERS: parameters-malformed, short, whatever the shape', async () => {
    const dir = tree(example);
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    for (const value of ['', '[', '{"name":"exclude"}', '[1, 2]', '[{"name": 5}]', '"\\u0000"', deep, `[${'{"string":"x"},'.repeat(5000)}{"string":"x"}]`]) {
      const result = await generate(dir, [], parameters(value));
      assertFails(result, 'parameters-malformed');
      assert.ok(result.stderr.length < 40_000, `a short report for ${value.slice(0, 20)}: ${result.stderr.length} characters`);
    }
  });

  it('unknown parameters are named; ten thousand of them print the first hundred', async () => {
    const dir = tree(example);
    assertFails(await generate(dir, [], parameters('[{"name":"no-such","string":"x"}]')), 'unknown-setting', /parameter no-such in ARGOCD_APP_PARAMETERS: not a parameter/);
    const many = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ name: `p${i}`, string: 'x' })));
    const result = await generate(dir, [], parameters(many));
    assertFails(result, 'unknown-setting', /^canary-mapping: 10000 problems \(the first 100 are shown\); nothing was rendered$/m);
    assert.equal(result.stderr.match(/error\[/g)?.length, 100);
  });

  it('huge parameter values are refused with a short message, or used when valid', async () => {
    const dir = tree(example);
    const huge = 'x'.repeat(100_000);
    const result = await generate(dir, [], parameters(JSON.stringify([{ name: 'rollouts-version', string: huge }, { name: huge, string: 'x' }])));
    assertFails(result, 'invalid-setting', /invalid value "x{119}… \(100002 characters\)/);
    assert.match(result.stderr, /parameter x{120}… \(100000 characters\) in ARGOCD_APP_PARAMETERS: not a parameter/);
    assert.ok(result.stderr.length < 4000, `short: ${result.stderr.length} characters`);
    const globs = (count: number) => parameters(JSON.stringify([{ name: 'exclude', array: Array.from({ length: count }, (_, i) => `g-${i}/*.yaml`) }]));
    const tooMany = await generate(dir, [], globs(5000));
    assertFails(tooMany, 'invalid-setting', /expected at most 64 globs, not 5000/);
    assert.ok(tooMany.stderr.length < 4000, `short: ${tooMany.stderr.length} characters`);
    assert.equal(assertRendered(await generate(dir, [], globs(64))).length, 4);
  });

  it('ARGOCD_ENV_* with odd characters: its own are checked and escaped, the user\'s are left alone', async () => {
    const dir = tree(example);
    const injected = await generate(dir, [], { ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: '1.6\n---\napiVersion: v1\nkind: Secret' });
    assertFails(injected, 'invalid-setting', /ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: invalid value "1\.6\\n---\\napiVersion: v1\\nkind: Secret"/);
    const odd = await generate(dir, [], { 'ARGOCD_ENV_CANARY_MAPPING_ÄÖ\n': 'x' });
    assertFails(odd, 'unknown-setting', /^error\[unknown-setting\]: ARGOCD_ENV_CANARY_MAPPING_ÄÖ\\n: not a setting/m);
    const plain = await generate(dir);
    const others = await generate(dir, [], { 'ARGOCD_ENV_FÖÖ\u202e': 'bidi \u202e text', ARGOCD_ENV_EMPTY: '', 'ARGOCD_ENV_A=B': '=' });
    assert.equal(assertRendered(others).length, 4);
    assert.equal(others.stdout, plain.stdout);
  });

  it('values that look like YAML never reach the output as structure', async () => {
    const dir = tree(example);
    const plain = await generate(dir, [], { ARGOCD_APP_NAMESPACE: 'iam' });
    const secret = '\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: injected}\n';
    const result = await generate(dir, [], {
      ARGOCD_APP_NAMESPACE: `iam${secret}`,
      ARGOCD_APP_NAME: `identity${secret}`,
      ARGOCD_APP_SOURCE_PATH: `.`,
      ...parameters(JSON.stringify([{ name: 'exclude', array: [`nothing${secret}`] }])),
    });
    assert.equal(result.stdout, plain.stdout);
    assert.ok(!result.stdout.includes('Secret'));
    const tls = await generate(dir, ['--legacy-tls-context', `upstream${secret}`]);
    assertFails(tls, 'invalid-setting', /invalid value "upstream\\n---\\n/, 2);
  });

  it('canary templates are substituted into values: structure in them is refused, never written out', async () => {
    const secret = '\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: injected}';
    const annotated = example['mapping.yaml']!.replace(
      'metadata:\n',
      `metadata:\n  annotations:\n    canary-mapping.dev/canary-service: ${JSON.stringify(`https://{{canaryService}}:8443${secret}`)}\n`,
    );
    const fromAnnotation = await generate(tree({ ...example, 'mapping.yaml': annotated }), ['--strategy=guarded']);
    assertFails(fromAnnotation, 'template-invalid', /white space/);
    const config = `strategy: guarded\nmappings:\n  identity:\n    canaryService: ${JSON.stringify(`https://{{canaryService}}:8443 {kind: Secret}`)}\n`;
    const fromConfig = await generate(tree({ ...example, '.canary-mapping.yaml': config }));
    assertFails(fromConfig, 'template-invalid', /white space/);
    // A preview value is an HTTP header value: one line. Other text is written out as one scalar.
    const preview = (value: string) => `strategy: guarded\nmappings:\n  identity:\n    preview: {header: x-preview, value: ${JSON.stringify(value)}}\n`;
    assertFails(await generate(tree({ ...example, '.canary-mapping.yaml': preview(`on${secret}`) })), 'invalid-setting', /header value on one line/);
    const odd = 'on --- {kind: Secret} #';
    const rendered = assertRendered(await generate(tree({ ...example, '.canary-mapping.yaml': preview(odd) })));
    assert.ok(!rendered.some((object) => object.kind === 'Secret'), 'no object was injected');
    assert.equal(rendered.find((object) => object.metadata?.name === 'identity-preview')?.spec.headers['x-preview'], odd);
  });
});

describe('__proto__ and constructor keys', () => {
  function assertPrototypeClean(): void {
    for (const name of ['polluted', 'tls', 'strategy', 'exclude', 'apiVersion', 'kind']) {
      assert.equal(name in Object.prototype, false, `Object.prototype gained ${name}`);
    }
  }

  it('in the config file: prototype keys refused where they are written; nothing reaches a prototype', async () => {
    const dir = tree(example);
    writeFileSync(join(dir, '.canary-mapping.yaml'), '__proto__: {strategy: guarded, polluted: true}\nconstructor: {prototype: {polluted: true}}\nprototype: 1\nexclude: {__proto__: [a]}\n');
    const result = await generate(dir);
    assertFails(result, 'config-key-forbidden');
    for (const [at, key] of [['1:1', '__proto__'], ['2:1', 'constructor'], ['2:15', 'prototype'], ['3:1', 'prototype'], ['4:11', '__proto__']]) {
      assert.match(result.stderr, new RegExp(`^\\.canary-mapping\\.yaml:${at}: error\\[config-key-forbidden\\]: key ${key} is not allowed`, 'm'));
    }
    assertPrototypeClean();
  });

  it('in manifests: kept as ordinary data, in untouched and rewritten objects, YAML and JSON', async () => {
    const mapping = example['mapping.yaml']!.replace('spec:\n', 'spec:\n  __proto__: {tls: false, polluted: true}\n  constructor: {prototype: {polluted: true}}\n');
    const json = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j", "__proto__": {"polluted": true}}, "data": {"constructor": "x"}}';
    const result = await generate(tree({ ...example, 'mapping.yaml': mapping, 'j.json': json }));
    const rendered = assertRendered(result);
    const base = rendered.find((o) => o.kind === 'Mapping')!;
    assert.equal(base.spec.tls, true, 'the base was rewritten');
    assert.deepEqual(Object.getOwnPropertyDescriptor(base.spec, '__proto__')?.value, { tls: false, polluted: true });
    assert.deepEqual(base.spec.constructor, { prototype: { polluted: true } });
    const map = rendered.find((o) => o.metadata.name === 'j')!;
    assert.deepEqual(Object.getOwnPropertyDescriptor(map.metadata, '__proto__')?.value, { polluted: true });
    assert.equal(map.data.constructor, 'x');
    assertPrototypeClean();
  });

  it('objects and Services named after Object.prototype members render like any other name', async () => {
    // Not a Service name that can exist: refused like any other.
    const proto = Object.fromEntries(Object.entries(example).map(([file, text]) => [file, text.replaceAll('identity', '__proto__')]));
    assertFails(await generate(tree(proto)), 'canary-service-not-bare', /^rollout\.yaml:\d+:\d+: error\[canary-service-not-bare\]: Rollout iam\/__proto__: canaryService `__proto__-canary` must be a bare Service name/m);
    for (const name of ['constructor', 'prototype', 'valueof']) {
      const renamed = Object.fromEntries(Object.entries(example).map(([file, text]) => [file, text.replaceAll('identity', name)]));
      const base = assertRendered(await generate(tree(renamed))).find((o) => o.kind === 'Mapping')!;
      assert.equal(base.metadata.annotations['canary-mapping.dev/canary-service'], `https://${name}-canary:443`);
      const missing = { ...renamed, 'mapping.yaml': renamed['mapping.yaml']!.replace(`name: ${name}\n`, 'name: other\n') };
      assertFails(await generate(tree(missing)), 'mapping-not-found', new RegExp(`names Mapping ${name}, which is not in this app`));
    }
    assertPrototypeClean();
  });
});

describe('inputs that once took more than linear time or overflowed the stack (timed by npm run bench)', () => {
  // At full size, through the bundle as the bench runs them: a child process keeps their memory out of the tests'.
  for (const make of hostileApps) {
    const app = make();
    it(app.name, async () => {
      const result = await runBundle(['generate', ...app.args], { cwd: tree(app.files), timeoutMs: 300_000 });
      assert.equal(result.timedOut, false);
      if (app.fails) {
        assertFails(result, app.fails, app.stderr);
        // The first 100 problems are shown, each naming a bounded number of objects.
        assert.ok(result.stderr.length < 512 * 1024, `${result.stderr.length} bytes on stderr`);
      } else {
        assert.deepEqual([result.code, result.stderr], [0, '']);
        // Counted, not parsed: the output is checked in full by the smaller cases below.
        assert.equal(result.stdout.match(/^kind: /gm)?.length, Object.values(app.files).join('---\n').match(/^kind: /gm)?.length);
      }
    });
  }

  it('each missing Mapping is reported where the Rollout names it, counted in full', async () => {
    const app = missingMappings(3, 1_000);
    const result = await generate(tree(app.files), app.args);
    assertFails(result, 'mapping-not-found', /^rollout\.yaml:25:15: error\[mapping-not-found\]: Rollout shop\/web names Mapping missing0, which is not in this app/m);
    assert.match(result.stderr, /^rollout\.yaml:124:15: error\[mapping-not-found\]: Rollout shop\/web names Mapping missing99, /m);
    assert.match(result.stderr, /^canary-mapping: 1000 problems \(the first 100 are shown\); nothing was rendered$/m);
  });

  it('every base of a Rollout naming thousands is rewritten', async () => {
    const rendered = assertRendered(await generate(tree(manyBases(300).files)));
    const rewritten = rendered.filter((o) => o.kind === 'Mapping' && o.metadata.annotations?.['canary-mapping.dev/original-service'] === 'https://web:443');
    assert.equal(rewritten.length, 300);
  });

  it('an exclude list over its bounds is refused where it is written, naming the bound and what to do', async () => {
    const many = `exclude:\n${Array.from({ length: 65 }, (_, i) => `  - f${i}.yaml\n`).join('')}`;
    assertFails(await generate(tree({ ...example, '.canary-mapping.yaml': many })), 'invalid-setting', /^\.canary-mapping\.yaml:2:3: error\[invalid-setting\]: exclude: .*expected at most 64 globs, not 65; exclude a directory rather than each file/m);
    const long = Array.from({ length: 5 }, (_, i) => `${i}${'x'.repeat(249)}`);
    assertFails(await generate(tree(example), long.map((glob) => `--exclude=${glob}`)), 'invalid-setting', /^error\[invalid-setting\]: flag --exclude: .*expected at most 1024 characters in all the globs together, not 1250/m, 2);
  });

  it('Hosts that take every base: one error per base, naming the first five Hosts and counting the rest', async () => {
    const result = await generate(tree(hostsOverBases(30).files));
    assertFails(result, 'host-selects-base');
    const errors = result.stderr.match(/^mappings\.yaml:\d+:\d+: error\[host-selects-base\]: .*$/gm) ?? [];
    assert.equal(errors.length, 30);
    const selector = JSON.stringify({ matchLabels: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, `v${i}`])) });
    const named = [0, 1, 2, 3, 4].map((i) => `shop/h${i} \\(hosts\\.yaml:${7 + 50 * i}:3\\)`).join(', ');
    assert.match(errors[0]!, new RegExp(`^mappings\\.yaml:7:5: error\\[host-selects-base\\]: Hosts ${named} and 25 more take Mapping m0 through its labels \\(mappingSelector \\{`));
    assert.ok(errors[0]!.includes(`(mappingSelector ${selector}); the canary Argo Rollouts copies from m0 carries no labels, so Emissary never attaches it to those Hosts`));
    assert.match(result.stderr, /^canary-mapping: 30 problems; nothing was rendered$/m);
  });

  it('Hosts that take every base render with strategy guarded, whose canaries carry the labels', async () => {
    const rendered = assertRendered(await generate(tree(hostsOverBases(30).files), ['--strategy=guarded']));
    assert.equal(rendered.filter((o) => o.kind === 'Mapping' && o.metadata.labels?.l0 === 'v0').length, 60, 'each base and its canary');
    const explained = await runCli(['explain', '--strategy=guarded'], {}, { cwd: tree(hostsOverBases(30).files), version: 'test' });
    const warnings = explained.stdout.match(/^ +warning +without the guard policy, .*$/gm) ?? [];
    assert.equal(warnings.length, 30);
    assert.match(warnings[0]!, /copy of m0 carries no labels, and Hosts shop\/h0, shop\/h1, shop\/h2, shop\/h3, shop\/h4 and 25 more, which take the base through its labels/);
  });

  it('audit of Hosts that take every live base: one finding per base, or the named limit, at full size, without a stack trace', async () => {
    const live = (app: ReturnType<typeof hostsOverBases>) => tree({ 'live.yaml': Object.values(app.files).join('---\n') });
    const identical = await runBundle(['audit', 'live.yaml'], { cwd: live(hostsOverBases(4_000)), timeoutMs: 300_000 });
    assert.deepEqual([identical.timedOut, identical.code, identical.stderr], [false, 1, '']);
    const findings = identical.stdout.match(/finding\[host-selects-base\]: Hosts shop\/h0 .* and 3,995 more take Mapping shop\/m\d+ through its labels/g) ?? [];
    assert.equal(findings.length, 4_000);
    assert.ok(identical.stdout.length < 64 * 1024 * 1024, `${identical.stdout.length} bytes on stdout`);
    const distinct = await runBundle(['audit', 'live.yaml'], { cwd: live(hostsOverBases(4_000, 'distinct')), timeoutMs: 300_000 });
    // Audit refuses an input it cannot check with exit 2, as for a malformed one.
    assert.deepEqual([distinct.timedOut, distinct.code, distinct.stdout], [false, 2, '']);
    assert.match(distinct.stderr, /^live\.yaml:\d+:5: error\[too-many-host-checks\]: checking which Hosts take Mapping shop\/m\d+ through its labels would pass 5,000,000 checks/m);
    assert.match(distinct.stderr, /^canary-mapping: 1 problem; nothing was audited$/m);
    assert.doesNotMatch(distinct.stderr, /^\s+at /m, 'no stack trace');
  });

  it('the worst glob within the bounds still excludes what it matches, at any depth', async () => {
    const app = hostileApps[4]!();
    const files = { ...app.files, [`${'d/'.repeat(59)}${'z'.repeat(120)}.yaml`]: 'not: [valid' };
    assertRendered(await generate(tree(files), app.args));
  });
});
