// The output stream as Argo CD reads it: documents kept as written read the same inside the stream as they did alone,
// edits in place keep everything else, and an edit that cannot be proved in place is written anew.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStream, type FieldEdit } from '../../src/manifests/emit.js';
import type { Manifest } from '../../src/manifests/manifest.js';
import { parseManifests } from '../../src/input/parse.js';
import { argoObjects } from '../support/argo-reading.js';

function manifests(text: string): Manifest[] {
  const parsed = parseManifests({ path: 'app.yaml', text });
  assert.deepEqual(parsed.diagnostics, []);
  return parsed.manifests;
}

function stream(all: Manifest[], edits: [Manifest, FieldEdit[]][] = []): string {
  const written = renderStream(all, { edits: new Map(edits), generated: new Map(), trailing: [] });
  assert.ok('stream' in written);
  return written.stream;
}

describe('the output stream', () => {
  it('never starts with `{`, which Argo CD would take for a JSON stream', () => {
    const all = manifests('{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: "yes"}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    const output = stream(all);
    assert.ok(output.startsWith('---\n'));
    assert.deepEqual(argoObjects(output), all.map((m) => m.object));
  });

  it('keeps a keep-chomped block scalar at the end whole, though Argo CD trims one final line break', () => {
    const all = manifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: |+\n    text\n\n');
    assert.equal(all[0]!.object.data && (all[0]!.object.data as Record<string, string>).k, 'text\n\n');
    assert.deepEqual(argoObjects(stream(all)), all.map((m) => m.object));
  });

  it('edits a field in place, keeping comments, and writes anew where the field comes through a merge key', () => {
    const [inPlace] = manifests('kind: X\napiVersion: v1\nmetadata: {name: a} # the name\nspec:\n  service: a:1 # was\n  port: 1\n');
    const edited = stream([inPlace!], [[inPlace!, [{ path: ['spec', 'service'], value: 'https://a:1' }, { path: ['metadata', 'annotations', 'x'], value: 'yes' }]]]);
    assert.equal(edited, 'kind: X\napiVersion: v1\nmetadata: {name: a, annotations: {x: \'yes\'}} # the name\nspec:\n  service: https://a:1 # was\n  port: 1\n');
    const [merged] = manifests('kind: X\napiVersion: v1\nmetadata: {name: a}\nspec:\n  <<: {service: a:1}\n  port: 1\n');
    const anew = stream([merged!], [[merged!, [{ path: ['spec', 'service'], value: 'b:2' }]]]);
    assert.deepEqual(argoObjects(anew), [{ kind: 'X', apiVersion: 'v1', metadata: { name: 'a' }, spec: { service: 'b:2', port: 1 } }]);
    assert.doesNotMatch(anew, /<</);
  });
});
