// Issue 8's examples, each through the whole plugin: it decides on the objects Argo CD will apply (the Kubernetes
// reading of the input), and the output's Kubernetes reading is the input's with only the intended edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CliResult } from '../src/cli/io.js';
import { runCli } from '../src/cli/main.js';
import { appTree } from './support/app-tree.js';
import { argoObjects } from './support/argo-reading.js';
import { repoRoot } from './support/repo.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const tree = (files: Record<string, string>) => appTree(files, 'canary-mapping-reading-');

const example = (name: string) => readFileSync(join(repoRoot, 'examples', 'identity', name), 'utf8');
const rollout = example('rollout.yaml');
const services = example('services.yaml');

function generate(files: Record<string, string>, args: string[] = []): Promise<CliResult> {
  return runCli(['generate', ...args], {}, { cwd: tree(files), version: 'test' });
}

function rendered(result: CliResult): Obj[] {
  assert.equal(result.stderr, '', 'nothing on stderr');
  assert.equal(result.exitCode, 0);
  return argoObjects(result.stdout);
}

function failed(result: CliResult, code: string, where: RegExp): void {
  assert.notEqual(result.exitCode, 0);
  assert.equal(result.stdout, '', 'nothing on stdout');
  assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
  assert.match(result.stderr, where);
}

/** The identity base Mapping with `spec` lines after `prefix`. */
function mapping(specLines: string): string {
  return `apiVersion: getambassador.io/v2\nkind: Mapping\nmetadata:\n  name: identity\n  namespace: iam\nspec:\n  prefix: /identity/\n${specLines}`;
}

const base = (objects: Obj[]) => objects.find((o) => o.kind === 'Mapping' && o.metadata.name === 'identity')!;

describe('the plugin reads YAML as Kubernetes does', () => {
  it('`tls: off` is false, as are yes/no/on/y/n their booleans: the render is the one for the boolean', async () => {
    for (const [word, value] of [['off', 'false'], ['no', 'false'], ['n', 'false'], ['on', 'true'], ['yes', 'true'], ['y', 'true']]) {
      const asWord = await generate({ 'mapping.yaml': mapping(`  service: https://identity:443\n  tls: ${word}\n`), 'rollout.yaml': rollout, 'services.yaml': services });
      const asBoolean = await generate({ 'mapping.yaml': mapping(`  service: https://identity:443\n  tls: ${value}\n`), 'rollout.yaml': rollout, 'services.yaml': services });
      assert.equal(asWord.exitCode, asBoolean.exitCode, word);
      if (asWord.exitCode === 0) assert.deepEqual(rendered(asWord), rendered(asBoolean), word);
      else assert.equal(asWord.stderr.replaceAll(`tls: ${word}`, `tls: ${value}`), asBoolean.stderr, word);
    }
  });

  it('an octal 010 and bypass_auth: yes in a rewritten base keep their Kubernetes values (8, true)', async () => {
    const objects = rendered(await generate({ 'mapping.yaml': mapping('  service: https://identity:443\n  timeout_ms: 010\n  bypass_auth: yes\n'), 'rollout.yaml': rollout, 'services.yaml': services }));
    const spec = base(objects).spec;
    assert.deepEqual([spec.timeout_ms, spec.bypass_auth, spec.service, spec.tls], [8, true, 'https://identity:443', true]);
  });

  for (const [name, breakChar] of [['NEL', '\u0085'], ['LS', '\u2028'], ['PS', '\u2029']]) {
    it(`a comment holding ${name} ends there: the key after it is real (a located duplicate key)`, async () => {
      const text = mapping(`  service: identity:443\n  tls: true  # upstream${breakChar}  service: https://identity:443\n`);
      failed(await generate({ 'mapping.yaml': text, 'rollout.yaml': rollout, 'services.yaml': services }), 'duplicate-key', /^mapping\.yaml:9:\d+: .*written twice; Argo CD would silently keep one/m);
    });
  }

  it('a `<<` merge written after explicit keys overrides them, as Kubernetes merges', async () => {
    const withMerge = mapping('  upstream: &https {service: "https://identity:443"}\n  nested:\n    service: identity:8080\n    <<: *https\n  service: identity:443\n  tls: true\n');
    const objects = rendered(await generate({ 'mapping.yaml': withMerge, 'rollout.yaml': rollout, 'services.yaml': services }));
    assert.equal(base(objects).spec.nested.service, 'https://identity:443', 'the merge wins over the key before it');
    // The merged-in service is the base's own: the plugin rewrites what Kubernetes reads.
    const text = mapping('  service: identity:8080\n  <<: {service: "https://identity:443"}\n');
    const merged = rendered(await generate({ 'mapping.yaml': text, 'rollout.yaml': rollout, 'services.yaml': services }));
    assert.deepEqual([base(merged).spec.service, base(merged).spec.tls], ['https://identity:443', true]);
  });

  it('objects written anew keep their Kubernetes values: a List item with defaultMode 0500 (0o500) and yes/010', async () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: iam}\n  spec:\n    volumes:\n    - name: s\n      secret: {secretName: s, defaultMode: 0500}\n    bypass: yes\n    timeout: 010\n`;
    const result = await generate({ 'list.yaml': list, 'mapping.yaml': example('mapping.yaml'), 'rollout.yaml': rollout, 'services.yaml': services });
    const pod = rendered(result).find((o) => o.kind === 'Pod')!;
    assert.deepEqual([pod.spec.volumes[0].secret.defaultMode, pod.spec.bypass, pod.spec.timeout], [0o500, true, 8]);
  });

  it('rewritten bases keep comments and layout outside the edited fields, CRLF files too', async () => {
    const text = `# owned by team iam\n${mapping('  service: https://identity:443  # the upstream\n  timeout_ms: 5000 # generous\n')}`;
    for (const eol of ['\n', '\r\n']) {
      const result = await generate({ 'mapping.yaml': text.replaceAll('\n', eol), 'rollout.yaml': rollout, 'services.yaml': services });
      const output = result.stdout.replaceAll('\r\n', '\n');
      assert.match(output, /^# owned by team iam\n/);
      assert.match(output, /  service: https:\/\/identity:443  # the upstream\n  timeout_ms: 5000 # generous\n/);
      assert.deepEqual([base(rendered(result)).spec.service, base(rendered(result)).spec.tls], ['https://identity:443', true]);
    }
  });

  it('an unrendered template (a map as a key) is a located error that points at the Helm variant', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: iam\ndata: {x: {{ .Values.x }}}\n';
    const result = await generate({ 'cm.yaml': cm, 'mapping.yaml': example('mapping.yaml'), 'rollout.yaml': rollout, 'services.yaml': services });
    failed(result, 'complex-key', /^cm\.yaml:6:\d+: error\[complex-key\]: .*\n  hint: .*unrendered template.*canary-mapping-helm-v1/m);
  });

  it('a Rollout and its https:// base inside any kind with an items list are flattened and checked', async () => {
    const indent = (text: string) => text.trimEnd().split('\n').map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)).join('\n');
    const bundle = `apiVersion: example.com/v1\nkind: Bundle\nmetadata: {name: b}\nitems:\n${indent(mapping('  service: https://identity:443\n'))}\n${indent(rollout.replace(/^#.*\n/gm, ''))}\n`;
    const objects = rendered(await generate({ 'bundle.yaml': bundle, 'services.yaml': services }));
    assert.ok(!objects.some((o) => o.kind === 'Bundle'), 'Argo CD applies the items, not the Bundle');
    assert.deepEqual([base(objects).spec.service, base(objects).spec.tls], ['https://identity:443', true], 'the base inside the Bundle is made clone-safe');
  });

  it('a render Argo CD would read as zero objects is the empty-render error', async () => {
    for (const list of ['apiVersion: v1\nkind: list\nitems: []\n', 'apiVersion: v1\nkind: ConfigMapList\nitems: null\n']) {
      failed(await generate({ 'list.yaml': list }), 'no-objects', /^error\[no-objects\]/m);
    }
  });

  it('List items count against max-documents', async () => {
    const items = Array.from({ length: 6 }, (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}`).join('\n');
    const files = { 'list.yaml': `apiVersion: v1\nkind: List\nitems:\n${items}\n` };
    assert.equal(rendered(await generate(files, ['--max-documents=6'])).length, 6);
    failed(await generate(files, ['--max-documents=5']), 'too-many-documents', /max-documents/);
  });
});

describe('the plugin bounds what reading costs', () => {
  it('99 aliases of a large anchor stop at max-expanded-size, located', async () => {
    const anchor = 'x'.repeat(200_000);
    const aliases = Array.from({ length: 99 }, (_, i) => `  k${i}: *big`).join('\n');
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  big: &big ${anchor}\n${aliases}\n`;
    failed(await generate({ 'cm.yaml': cm }, ['--max-expanded-size=4Mi']), 'expanded-too-large', /^cm\.yaml:\d+:\d+: .*max-expanded-size/m);
  });

  it('the app as a whole stops at max-total-size, naming the file that went over', async () => {
    const big = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata:\n  k: ${'x'.repeat(400_000)}\n`;
    failed(await generate({ 'a.yaml': big('a'), 'b.yaml': big('b'), 'c.yaml': big('c') }, ['--max-total-size=1Mi']), 'app-too-large', /c\.yaml is past the limit \(limit max-total-size: 1Mi\)/);
  });

  it('a List of 130,000 items is an error naming max-documents, and 15,000 items render: no stack overflow', async () => {
    const list = (count: number) => `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: count }, (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}`).join('\n')}\n`;
    failed(await generate({ 'list.yaml': list(130_000) }), 'too-many-documents', /max-documents/);
    assert.equal(rendered(await generate({ 'list.yaml': list(15_000) }, ['--max-documents=15000'])).length, 15_000);
  });

  it('a 3 MB string in an object written anew, and a 40,000-key JSON ConfigMap, render with their values', async () => {
    const long = 'y'.repeat(3_000_000);
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: long}\n  data: {k: "${long}"}\n`;
    const data = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`key${i}`, `v${i}`]));
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wide' }, data });
    const objects = rendered(await generate({ 'list.yaml': list, 'wide.json': json }));
    assert.equal(objects.find((o) => o.metadata.name === 'long')!.data.k, long);
    assert.deepEqual(objects.find((o) => o.metadata.name === 'wide')!.data, data);
  });
});
