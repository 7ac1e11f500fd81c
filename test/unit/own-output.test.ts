// The plugin fed objects named like the ones it emits: its own guarded output is replaced, anything else is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from '../../src/core/render.js';
import { parseManifests } from '../../src/input/parse.js';
import { defaultSettings, type Settings } from '../../src/settings/table.js';

const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  strategy:
    canary:
      stableService: web
      canaryService: web-canary
      trafficRouting: {ambassador: {mappings: [web]}}
`;
const BASE = `apiVersion: getambassador.io/v2
kind: Mapping
metadata: {name: web, namespace: shop}
spec: {prefix: /web/, service: "http://web:80"}
`;
const canary = (labels: string) => `apiVersion: getambassador.io/v2
kind: Mapping
metadata: {name: web-canary, namespace: shop, labels: {${labels}}}
spec: {prefix: /web/, service: "http://web-canary:80", weight: 0}
`;
const OWN = 'canary-mapping.dev/managed-by: canary-mapping, canary-mapping.dev/guard: "true"';

function renderWith(documents: string[], strategy: Settings['strategy']) {
  const parsed = parseManifests({ path: 'app.yaml', text: documents.join('---\n') });
  return { manifests: parsed.manifests, result: render(parsed.manifests, { settings: { ...defaultSettings, strategy } }) };
}

describe("the plugin's own output fed back", () => {
  it('guarded: its own canary is replaced by the one it emits now', () => {
    const { manifests, result } = renderWith([ROLLOUT, BASE, canary(OWN)], 'guarded');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual([...result.superseded], [manifests[2]]);
    assert.equal(result.generated.get(manifests[1]!)?.length, 1);
  });

  it('guarded: a canary without both labels is refused', () => {
    const { result } = renderWith([ROLLOUT, BASE, canary('canary-mapping.dev/managed-by: canary-mapping')], 'guarded');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['canary-mapping-exists']);
    assert.match(result.diagnostics[0]!.message, /the plugin does not manage it/);
  });

  it("clone-safe: even the plugin's guarded canary is refused, saying what it is", () => {
    const { result } = renderWith([ROLLOUT, BASE, canary(OWN)], 'clone-safe');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['canary-mapping-exists']);
    assert.match(result.diagnostics[0]!.message, /guarded strategy's output, and this render uses clone-safe/);
  });

  it('clone-safe: two bases sharing one canary name are refused as well', () => {
    const long = 'a'.repeat(246);
    const docs = ['one', 'two'].flatMap((n) => [
      ROLLOUT.replace('name: web', `name: web-${n}`).replace('[web]', `[${long}-${n}]`),
      BASE.replace('name: web', `name: ${long}-${n}`),
    ]);
    const { result } = renderWith(docs, 'clone-safe');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['canary-name-collision']);
  });
});
