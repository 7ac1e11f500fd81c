// Objects a renderer made: diagnostics point into the app's files (the base, a patch), or name the object, never a
// line of the rendered stream; a Mapping the renderer renamed away from a Rollout's reference is named as such.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic, formatLocation } from '../../src/diagnostics/diagnostics.js';
import { render } from '../../src/core/render.js';
import { locate } from '../../src/manifests/locate.js';
import { renaming, type Manifest, type RenderedOrigin } from '../../src/manifests/manifest.js';
import { parseManifests } from '../../src/input/parse.js';
import { defaultSettings } from '../../src/settings/table.js';

function parse(path: string, text: string) {
  const { manifests, diagnostics } = parseManifests({ path, text });
  assert.deepEqual(diagnostics, []);
  return manifests;
}

const BASE = `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: api
spec:
  prefix: /api/
  service: https://api:443
  timeout_ms: 3000
`;

const PATCH = `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: api
spec:
  service: grpc://api:443
`;

// What the renderer printed: namespace set, name prefixed, service patched. Its own lines are never to be shown.
const RENDERED = `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: prod-api
  namespace: iam
spec:
  prefix: /api/
  service: grpc://api:443
  timeout_ms: 3000
`;

function rendered(text: string, source: RenderedOrigin['source']): Manifest {
  const [manifest] = parse('<rendered>', text);
  return { ...manifest!, origin: { renderer: 'kustomize', object: manifest!.object, source, renameHint: 'add a transformer configuration' } };
}

const [base] = parse('base/mapping.yaml', BASE);
const [patch] = parse('overlays/prod/patch.yaml', PATCH);
const mapping = rendered(RENDERED, () => ({ origin: base!.origin, object: base!.object, patches: [patch!] }));

describe('locations of rendered objects', () => {
  it('a field the renderer kept: where the base writes it', () => {
    assert.equal(formatLocation(locate(mapping.origin, ['spec', 'timeout_ms'])), 'base/mapping.yaml:8:15');
  });

  it('a field a patch set: where the patch writes it', () => {
    assert.equal(formatLocation(locate(mapping.origin, ['spec', 'service'])), 'overlays/prod/patch.yaml:6:12');
  });

  it('a field a transformer wrote, or the object itself: the object in the base', () => {
    assert.equal(formatLocation(locate(mapping.origin, ['metadata', 'name'])), 'base/mapping.yaml:1:1');
    assert.equal(formatLocation(locate(mapping.origin)), 'base/mapping.yaml:1:1');
  });

  it('a field the object lacks: the deepest part of the path the base writes', () => {
    assert.equal(formatLocation(locate(mapping.origin, ['spec', 'weight'])), 'base/mapping.yaml:6:3');
  });

  it('an object no file of the app holds: its kind, namespace and name', () => {
    const generated = rendered(RENDERED, () => undefined);
    assert.deepEqual(locate(generated.origin, ['spec', 'service']), { file: 'Mapping iam/prod-api (rendered by kustomize)' });
  });

  it('tells a renamed object by the name it is written with', () => {
    assert.deepEqual(renaming(mapping.origin), { renderer: 'kustomize', written: 'api', hint: 'add a transformer configuration' });
    assert.equal(renaming(base!.origin), undefined);
  });
});

describe('a Rollout naming a Mapping the renderer renamed', () => {
  const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: prod-api
  namespace: iam
spec:
  strategy:
    canary:
      stableService: api
      canaryService: api-canary
      trafficRouting:
        ambassador:
          mappings:
            - api
`;
  const [writtenRollout] = parse('base/rollout.yaml', ROLLOUT.replace('prod-api', 'api').replace('  namespace: iam\n', ''));
  const rollout = rendered(ROLLOUT, () => ({ origin: writtenRollout!.origin, object: writtenRollout!.object, patches: [] }));
  const renamed = rendered(RENDERED.replace('grpc://', 'https://'), () => ({ origin: base!.origin, object: base!.object, patches: [] }));

  it('says which renderer renamed it, to what, and what to do', () => {
    const { diagnostics } = render([rollout, renamed], { settings: defaultSettings });
    assert.deepEqual(
      diagnostics.map(formatDiagnostic),
      [
        "base/rollout.yaml:13:15: error[mapping-not-found]: Rollout iam/prod-api names Mapping api, which is not in this app in namespace iam: kustomize renamed it to prod-api (written at base/mapping.yaml:1:1) but left the Rollout's reference to it as it was\n" +
          '  hint: add a transformer configuration',
      ],
    );
  });
});
