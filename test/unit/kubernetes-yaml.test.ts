// Rules of the Kubernetes reading that the recorded data samples only lightly, checked one by one (the data itself is
// checked in test/conformance).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKubernetesStream, UNBOUNDED } from '../../src/manifests/kubernetes-yaml.js';

function read(text: string): { value?: Record<string, unknown>; problem?: string } {
  const reading = readKubernetesStream(text, UNBOUNDED);
  if (reading.problems.length > 0) return { problem: reading.problems[0]!.code };
  return { value: reading.objects[0]!.value };
}

describe('the Kubernetes reading', () => {
  it("refuses what go-yaml's alias-ratio guard refuses: 1,000 expanded items pass, 10,000 do not", () => {
    const bomb = (levels: number) => {
      const lines = [`  l0: &l0 [${Array(10).fill('x').join(', ')}]`];
      for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n${lines.join('\n')}\n`;
    };
    assert.equal(read(bomb(3)).problem, undefined);
    assert.equal(read(bomb(4)).problem, 'yaml-aliases');
  });

  it('keeps LS and PS where go-yaml keeps a line break, and folds NEL like LF', () => {
    const value = (scalar: string) => (read(`kind: A\nv: ${scalar}\n`).value as { v: unknown }).v;
    assert.equal(value('"x \u2028 y"'), 'x\u2028y');
    assert.equal(value('"a\u0085b"'), 'a b');
    assert.equal(value("'x\u2029\u2029 y'"), 'x\u2029\u2029y');
    assert.equal(value('x\u2028  y'), 'x\u2028y');
    assert.equal(value('|\n  a\u2028  b\n  c'), 'a\u2028b\nc\n');
    assert.equal(read('kind: A\nv: >\n  a\u2028  b\n').problem, 'syntax', 'a folded block with LS is refused, not guessed');
  });

  it('writes float keys as Go formats a float32, and refuses keys beyond int64', () => {
    const keys = (text: string) => Object.keys(read(`kind: A\nm: {${text}: v}\n`).value!.m as object);
    assert.deepEqual(keys('1.5'), ['1.5']);
    assert.deepEqual(keys('1e7'), ['1e+07']);
    assert.deepEqual(keys('0.1'), ['0.1']);
    assert.deepEqual(keys('123456789.0'), ['1.2345679e+08']);
    assert.equal(read('kind: A\nm: {18446744073709551615: v}\n').problem, 'map-key');
  });

  it('reads numbers as Go parses them once underscores are gone', () => {
    const spec = read('kind: A\nv: [0778, 0o17, 0B101, +0x_1F, 9223372036854775807, -9223372036854775809, 1_0.5, .5e1, _1, 1:20]\n').value!.v;
    assert.deepEqual(spec, [778, 15, 5, 31, 9223372036854775807, -9223372036854775809, 10.5, 5, '_1', '1:20']);
  });
});
