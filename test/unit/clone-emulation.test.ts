// The controller's derivations, with the cases DESIGN §1 and §3 describe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canaryMappingName } from '../../src/rollouts/canary-name.js';
import { emulateCanary, runController } from '../../src/rollouts/clone-emulation.js';
import { deriveCanaryService, logicsFor } from '../../src/rollouts/controller-logic.js';

describe('canary service derivation', () => {
  const cases: Array<[string, string, string, string, string]> = [
    // base service, stable, canary, ≤ 1.6.6, ≥ 1.7.0
    ['https://identity:443', 'identity', 'identity-canary', 'identity-canary:443', 'https://identity-canary:443'],
    ['https://identity', 'identity', 'identity-canary', 'identity-canary', 'https://identity-canary'],
    ['identity.iam:8080', 'identity', 'identity-canary', 'identity-canary:8080', 'identity-canary.iam:8080'],
    ['api-gw.prod:80', 'api', 'api-canary', 'api-canary:80', 'api-canary-gw.prod:80'],
    ['frontend.shop:80', 'shop', 'shop-canary', 'shop-canary:80', 'frontend.shop-canary:80'],
    ['myapp:8080', 'identity', 'identity-canary', 'identity-canary:8080', 'myapp:8080'],
    ['https://s:443', 's', 's-canary', 's-canary:443', 'https-canary://s:443'],
    ['[fd00::1]:80', 'x', 'x-canary', 'x-canary:80', '[fd00::1]:80'],
  ];
  for (const [base, stable, canary, legacy, current] of cases) {
    it(`${base} with stable ${stable}`, () => {
      assert.equal(deriveCanaryService(base, stable, canary, 'host-rebuild'), legacy);
      assert.equal(deriveCanaryService(base, stable, canary, 'first-replace'), current);
    });
  }
  it('replaces literally, not as a pattern', () => {
    assert.equal(deriveCanaryService('a$b:80', 'a$b', 'c$&d', 'first-replace'), 'c$&d:80');
  });
});

describe('controller versions', () => {
  it('maps rollouts-version to the logic that version runs', () => {
    assert.deepEqual(logicsFor('any'), ['host-rebuild', 'first-replace']);
    assert.deepEqual(logicsFor('1.6'), ['host-rebuild']);
    assert.deepEqual(logicsFor('1.6.6'), ['host-rebuild']);
    assert.deepEqual(logicsFor('1.0'), ['host-rebuild']);
    assert.deepEqual(logicsFor('1.7'), ['first-replace']);
    assert.deepEqual(logicsFor('1.8.3'), ['first-replace']);
    assert.deepEqual(logicsFor('2.0'), ['first-replace']);
  });
  it('names the canary copy after the base, cut to 246 characters', () => {
    assert.equal(canaryMappingName('identity'), 'identity-canary');
    const long = 'a'.repeat(250);
    assert.equal(canaryMappingName(long), `${'a'.repeat(246)}-canary`);
    assert.equal(canaryMappingName(long).length, 253);
  });
});

describe('read path through --ambassador-api-version', () => {
  const v2 = { apiVersion: 'getambassador.io/v2', spec: { service: 'identity:443', tls: true } };
  const rollout = { stableService: 'identity', canaryService: 'identity-canary', namespace: 'iam' };
  const reads = (base: { apiVersion: string; spec: { service: string; tls?: unknown } }, through: 'getambassador.io/v2' | 'getambassador.io/v3alpha1' | 'x.getambassador.io/v3alpha1') =>
    runController(base, rollout, 'first-replace', through)?.reads;
  it('shows v2 tls: true as an https:// prefix through v3alpha1, remembering how v2 said it', () => {
    assert.deepEqual(reads(v2, 'getambassador.io/v3alpha1'), { service: 'https://identity:443', v2ExplicitTLS: { tls: 'bool:true', serviceScheme: '' } });
    assert.deepEqual(reads(v2, 'getambassador.io/v2'), { service: 'identity:443', tls: true });
    assert.deepEqual(reads({ apiVersion: 'getambassador.io/v2', spec: { service: 'identity', tls: false } }, 'getambassador.io/v3alpha1'), {
      service: 'identity',
      v2ExplicitTLS: { tls: 'bool:false' },
    });
  });
  it('keeps a TLSContext name through either version', () => {
    const withContext = { apiVersion: 'getambassador.io/v2', spec: { service: 'identity:443', tls: 'upstream' } };
    assert.deepEqual(reads(withContext, 'getambassador.io/v3alpha1'), { service: 'identity:443', tls: 'upstream', v2ExplicitTLS: {} });
  });
  it('sees an AmbassadorMapping only through x.getambassador.io, and a Mapping never through it', () => {
    const ambassadorMapping = { apiVersion: 'x.getambassador.io/v3alpha1', spec: { service: 'identity:443' } };
    assert.equal(reads(ambassadorMapping, 'getambassador.io/v2'), undefined);
    assert.ok(reads(ambassadorMapping, 'x.getambassador.io/v3alpha1'));
    assert.equal(reads(v2, 'x.getambassador.io/v3alpha1'), undefined);
  });
  it('sees no base the API server refuses (boolean tls in v3alpha1)', () => {
    assert.equal(reads({ apiVersion: 'getambassador.io/v3alpha1', spec: { service: 'identity:443', tls: true } }, 'getambassador.io/v3alpha1'), undefined);
  });
  it('loses TLS under ≤ 1.6.6 when the conversion moved it into the URL', () => {
    const setup = { useAmbassadorNamespace: false };
    const legacy = emulateCanary(v2, rollout, 'host-rebuild', 'getambassador.io/v3alpha1', setup);
    assert.equal(legacy?.service, 'identity-canary:443');
    assert.equal(legacy?.upstream.upstream?.tls, false);
    const direct = emulateCanary(v2, rollout, 'host-rebuild', 'getambassador.io/v2', setup);
    assert.equal(direct?.upstream.upstream?.tls, true);
    assert.deepEqual(direct?.upstream.upstream?.host, { kind: 'service', name: 'identity-canary', namespace: 'iam' });
  });
  it('writes the copy back through the same conversion', () => {
    const run = runController(v2, rollout, 'first-replace', 'getambassador.io/v3alpha1');
    assert.deepEqual(run?.stored, { service: 'identity-canary:443', tls: true });
  });
});
