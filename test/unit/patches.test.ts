import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatches, checkPatches } from '../../src/canary/patches.js';
import type { PatchOperation } from '../../src/settings/mapping-config.js';

const canary = { apiVersion: 'getambassador.io/v2', kind: 'Mapping', metadata: { name: 'a-canary', namespace: 'n', labels: {} }, spec: { service: 'x', weight: 0, 'a/b': 1 } };

describe('patches on the canary Mapping', () => {
  it('applies in order, with escaped pointers, and leaves the input alone', () => {
    const operations: PatchOperation[] = [
      { op: 'add', path: '/metadata/labels/team', value: 'checkout' },
      { op: 'replace', path: '/spec/a~1b', value: 2 },
      { op: 'copy', from: '/spec/service', path: '/spec/host_rewrite' },
      { op: 'test', path: '/spec/weight', value: 0 },
    ];
    assert.deepEqual(checkPatches(operations), []);
    const result = applyPatches(canary, operations);
    assert.ok(result.ok);
    assert.deepEqual(result.object.spec, { service: 'x', weight: 0, 'a/b': 2, host_rewrite: 'x' });
    assert.deepEqual(result.object.metadata.labels, { team: 'checkout' });
    assert.deepEqual(canary.metadata.labels, {});
  });

  it('refuses protected fields, their parents, prototype paths and malformed operations', () => {
    const refused: PatchOperation[] = [
      { op: 'replace', path: '/apiVersion', value: 'v1' },
      { op: 'replace', path: '/kind', value: 'Service' },
      { op: 'remove', path: '/metadata/namespace' },
      { op: 'replace', path: '/spec', value: {} },
      { op: 'replace', path: '', value: {} },
      { op: 'move', from: '/spec/weight', path: '/spec/old' },
      { op: 'add', path: '/__proto__/x', value: 1 },
      { op: 'copy', from: '/constructor/prototype', path: '/spec/x' },
      { op: 'add', path: 'spec/x', value: 1 },
      { op: 'test', path: '/spec/weight' },
      { op: 'copy', path: '/spec/x' },
    ];
    assert.deepEqual(
      checkPatches(refused).map((p) => p.index),
      refused.map((_, i) => i),
    );
    assert.deepEqual(checkPatches([{ op: 'test', path: '/spec/weight', value: 0 }]), [], 'reading a protected field is fine');
  });

  it('reports the operation that does not apply', () => {
    const result = applyPatches(canary, [
      { op: 'add', path: '/spec/x', value: 1 },
      { op: 'test', path: '/spec/weight', value: 100 },
    ]);
    assert.ok(!result.ok);
    assert.equal(result.problem.index, 1);
  });
});
