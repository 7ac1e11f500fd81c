// Whatever the plugin writes anew, Kubernetes reads back as exactly the value meant: read(write(v)) == v over every
// object of the conformance data, every golden output, and values chosen to trip YAML 1.1.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readKubernetesStream, UNBOUNDED } from '../../src/manifests/kubernetes-yaml.js';
import { inlineText, UnwritableValue, writeYaml } from '../../src/manifests/write-yaml.js';
import { conformanceLines } from '../support/conformance.js';
import { argoObjects } from '../support/argo-reading.js';
import { repoRoot } from '../support/repo.js';

function readBack(text: string): unknown[] {
  const reading = readKubernetesStream(text, UNBOUNDED);
  assert.deepEqual(reading.problems, [], `reads back:\n${text.slice(0, 400)}`);
  return reading.objects.map((object) => object.value);
}

function assertRoundTrip(object: Record<string, unknown>): void {
  assert.deepStrictEqual(readBack(writeYaml(object)), [object]);
}

/**
 * Objects the conformance data says Argo CD reads (any observed result of a nondeterministic line). A List item
 * without `kind` cannot stand as a document of its own (and the plugin refuses it), so it is left out.
 */
function conformanceObjects(): { id: string; object: Record<string, unknown> }[] {
  return conformanceLines.flatMap((line) => {
    const results = 'nondeterministic' in line.argocd ? line.argocd.observed : [line.argocd];
    return results.flatMap((result) => ('objects' in result ? (result.objects as Record<string, unknown>[]).filter((o) => typeof o.kind === 'string').map((object) => ({ id: line.id, object })) : []));
  });
}

describe('read(write(v)) == v', () => {
  it('for every object in the conformance data', () => {
    let written = 0;
    for (const { id, object } of conformanceObjects()) {
      try {
        assertRoundTrip(object);
        written++;
      } catch (error) {
        // Integers beyond 2^53 cannot be carried exactly by a JavaScript number: the writer refuses them.
        if (!(error instanceof UnwritableValue && /beyond what the plugin can write exactly/.test(error.message))) throw new Error(`${id}: ${error}`);
      }
    }
    assert.ok(written > 400, `${written} objects written`);
  });

  it('for every object of every golden output', () => {
    const golden = join(repoRoot, 'test', 'golden');
    let count = 0;
    for (const name of readdirSync(golden)) {
      const expected = join(golden, name, 'expected.yaml');
      if (!existsSync(expected)) continue;
      for (const object of argoObjects(readFileSync(expected, 'utf8'))) {
        assertRoundTrip(object);
        count++;
      }
    }
    assert.ok(count > 50, `${count} golden objects`);
  });

  it('for strings YAML 1.1 would read as something else, and characters it breaks lines at', () => {
    const tricky = [
      'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'Null', '', ' ', '0777', '0o17', '0x1F', '0b101', '1_000', '+1', '-0', '.5', '1e3',
      '.inf', '-.Inf', '.nan', '<<', '=', '2001-12-14', '1:20', 'a: b', 'a #b', '#x', '- x', '? x', '[x]', '{x}', '*x', '&x', '!x', '%x', '@x', '`x`',
      'line\nbreak', 'trailing\n', ' lead', 'trail ', 'tab\there', 'nel\u0085inside', 'ls\u2028ps\u2029', 'bom\ufeff', 'quote\'s', 'dq"', 'back\\slash',
      '---', '...', 'https://identity:443', 'x:', 'ünïcødé', '😀', '\u00a0nbsp',
    ];
    for (const value of tricky) {
      if (value.includes('\u0085')) {
        // Kubernetes folds NEL in the JSON it reads back, so no YAML keeps it: the writer says so instead of lying.
        assert.throws(() => writeYaml({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: value } }), UnwritableValue);
        continue;
      }
      assertRoundTrip({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { [value || 'empty']: value } }, data: { k: value, list: [value, [value], { [value]: value }] } });
    }
  });

  it('for numbers, booleans, nulls and empty collections', () => {
    assertRoundTrip({ apiVersion: 'v1', kind: 'X', spec: { a: 0, b: -1, c: 1.5, d: 1e21, e: 2 ** 53, f: true, g: false, h: null, i: {}, j: [], k: [{}, []], l: 1e-7 } });
    assert.throws(() => writeYaml({ apiVersion: 'v1', kind: 'X', spec: { big: 2 ** 53 + 2 } }), UnwritableValue);
  });

  it('inline (flow) values read back too', () => {
    for (const value of ['a:b', 'x, y', 'yes', { k: ['v', 1, null] }]) {
      assert.deepStrictEqual(readBack(`apiVersion: v1\nkind: X\nspec: {v: ${inlineText(value)}}\n`), [{ apiVersion: 'v1', kind: 'X', spec: { v: value } }]);
    }
  });
});
