// The plugin's reader against what Argo CD's own code made of several hundred tricky streams (see README.md here).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAsArgoCd } from '../support/argo-reading.js';
import { conformanceLines, type Result } from '../support/conformance.js';


/** Keys sorted, as Go writes maps; -0 as 0. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value === 0 ? 0 : value;
}

/** What the plugin's reader makes of a plugin's stdout, along Argo CD's path (the cmp-server trims one newline). */
export function argoReading(stdout: string): Result {
  // Only Kubernetes' own bounds, so that only its rules decide.
  const read = readAsArgoCd(stdout);
  if (read.problems.length > 0) return { error: read.problems.map((p) => `${p.code}: ${p.message}`).join('; '), stage: 'plugin' };
  return { objects: read.objects.map((o) => canonical(o.value)) };
}

function agrees(actual: Result, expected: Result): boolean {
  if ('error' in expected) return 'error' in actual;
  if (!('objects' in actual)) return false;
  try {
    assert.deepStrictEqual(actual.objects, expected.objects.map(canonical));
    return true;
  } catch {
    return false;
  }
}

describe('Argo CD reads a stream as the plugin does (kubernetes-yaml.jsonl)', () => {
  for (const line of conformanceLines) {
    it(`${line.id}: ${line.description}`, () => {
      const actual = argoReading(line.input);
      const expected = 'nondeterministic' in line.argocd ? line.argocd.observed : [line.argocd];
      assert.ok(
        expected.some((result) => agrees(actual, result)),
        `plugin: ${JSON.stringify(actual).slice(0, 600)}\nArgo CD: ${JSON.stringify(expected).slice(0, 600)}`,
      );
    });
  }
});
