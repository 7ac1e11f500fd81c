import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AmbassadorApiVersion } from '../../src/ambassador/mapping-kinds.js';
import { checkService } from '../../src/ambassador/service-url.js';
import { describeDifference, type EmissarySetup } from '../../src/ambassador/upstream.js';
import { solveCloneSafe } from '../../src/canary/clone-safe-solver.js';
import { derivedCanary } from '../../src/canary/declared-canary.js';
import { logicsFor } from '../../src/rollouts/controller-logic.js';

interface Case {
  service: string;
  tls?: unknown;
  apiVersion?: string;
  stable?: string;
  rolloutsVersion?: string;
  controllerApiVersion?: AmbassadorApiVersion;
  legacyTlsContext?: string;
  setup?: EmissarySetup;
}

function solve(c: Case) {
  const apiVersion = c.apiVersion ?? 'getambassador.io/v2';
  const setup = c.setup ?? { useAmbassadorNamespace: false };
  const parsed = checkService(apiVersion, { service: c.service, ...(c.tls !== undefined ? { tls: c.tls } : {}) }, 'iam', setup);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
  const stable = c.stable ?? 'identity';
  const rollout = { stableService: stable, canaryService: `${stable}-canary`, namespace: 'iam' };
  const declared = derivedCanary({ base: parsed.url, stable: parsed.upstream, rollout: { name: 'r', ...rollout }, mapping: 'm', setup });
  return {
    declared,
    result: solveCloneSafe({
      apiVersion,
      service: c.service,
      tls: c.tls,
      rollout,
      declared,
      stableHosts: [parsed.upstream.host],
      logics: logicsFor(c.rolloutsVersion ?? 'any'),
      controllerApiVersion: c.controllerApiVersion ?? 'getambassador.io/v2',
      legacyTlsContext: c.legacyTlsContext ?? '',
      setup,
    }),
  };
}

describe('declared canary (derived)', () => {
  it('replaces the first host label and writes an explicit full URL', () => {
    assert.equal(solve({ service: 'https://identity:443' }).declared.url, 'https://identity-canary:443');
    assert.equal(solve({ service: 'https://identity.iam' }).declared.url, 'https://identity-canary.iam:443');
    assert.equal(solve({ service: 'identity.iam.svc.cluster.local:8080' }).declared.url, 'http://identity-canary.iam.svc.cluster.local:8080');
    assert.equal(solve({ service: 'identity', tls: true }).declared.url, 'https://identity-canary:443');
  });
});

describe('clone-safe solver', () => {
  it('keeps a base that is already safe exactly as written', () => {
    for (const service of ['http://identity:8080', 'identity:8080', 'identity', 'http://identity.iam']) {
      const { result } = solve({ service });
      assert.ok(result.ok && !result.rewritten, service);
      assert.deepEqual(result.ok && result.form, { service });
    }
    const { result } = solve({ service: 'identity:443', tls: true });
    assert.ok(result.ok && !result.rewritten);
  });

  it('adds tls: true next to https:// for v2 Mappings, which the ≤ 1.6.6 copy keeps (argo-rollouts#3593)', () => {
    const { result } = solve({ service: 'https://identity:443' });
    assert.ok(result.ok);
    assert.ok(result.rewritten);
    assert.deepEqual(result.form, { service: 'https://identity:443', tls: true });
    for (const prediction of result.predictions) assert.deepEqual(prediction.differences, []);
  });

  it('keeps the scheme when only ≥ 1.7.0 is targeted', () => {
    const { result } = solve({ service: 'https://identity:443', rolloutsVersion: '1.8' });
    assert.ok(result.ok && !result.rewritten);
  });

  it('needs a TLSContext for v3alpha1, and uses it when given', () => {
    const without = solve({ service: 'https://identity:443', apiVersion: 'getambassador.io/v3alpha1' }).result;
    assert.ok(!without.ok);
    assert.deepEqual(
      without.asWritten.map((p) => [p.logic, p.canary.service, p.differences.map(describeDifference)]),
      [
        ['host-rebuild', 'identity-canary:443', ['without TLS']],
        ['first-replace', 'https://identity-canary:443', []],
      ],
    );
    const withContext = solve({ service: 'https://identity:443', apiVersion: 'getambassador.io/v3alpha1', legacyTlsContext: 'upstream-tls' }).result;
    assert.ok(withContext.ok);
    assert.deepEqual(withContext.form, { service: 'https://identity:443', tls: 'upstream-tls' }, 'the scheme stays: the stable route keeps TLS without the context');
  });

  it('uses the TLSContext for v2 Mappings when the controller reads through v3alpha1', () => {
    const plain = solve({ service: 'https://identity:443', controllerApiVersion: 'getambassador.io/v3alpha1' }).result;
    assert.ok(!plain.ok);
    const withContext = solve({
      service: 'https://identity:443',
      controllerApiVersion: 'getambassador.io/v3alpha1',
      legacyTlsContext: 'upstream-tls',
    }).result;
    assert.ok(withContext.ok);
    assert.deepEqual(withContext.form, { service: 'https://identity:443', tls: 'upstream-tls' });
  });

  it('survives a stable name that also occurs in the scheme', () => {
    const { result } = solve({ service: 'https://s:443', stable: 's', rolloutsVersion: '1.7' });
    assert.ok(result.ok);
    assert.deepEqual(result.form, { service: 's:443', tls: true });
  });

  it('keeps the default port implicit when moving the scheme', () => {
    const { result } = solve({ service: 'https://identity' });
    assert.ok(result.ok);
    assert.deepEqual(result.form, { service: 'https://identity', tls: true });
  });

  it('accepts tls: true on AmbassadorMappings read through x.getambassador.io', () => {
    const { result } = solve({
      service: 'https://identity:443',
      apiVersion: 'x.getambassador.io/v3alpha1',
      controllerApiVersion: 'x.getambassador.io/v3alpha1',
    });
    assert.ok(result.ok);
    assert.deepEqual(result.form, { service: 'https://identity:443', tls: true });
  });

  it('lower-cases a host the ≥ 1.7.0 replace would miss', () => {
    const { result } = solve({ service: 'IDENTITY:8080', rolloutsVersion: '1.8' });
    assert.ok(result.ok);
    assert.deepEqual(result.form, { service: 'identity:8080' });
  });

  it('keeps what is already safe: http:// with tls, an upper-case scheme, an empty port', () => {
    for (const c of [{ service: 'http://identity:8443', tls: true }, { service: 'HTTP://identity:8080' }, { service: 'identity:' }, { service: 'https://identity:443/' , rolloutsVersion: '1.8' }]) {
      const { result } = solve(c);
      assert.ok(result.ok && !result.rewritten, JSON.stringify(c));
    }
  });

  it('drops a scheme that contains the stable name', () => {
    const { result } = solve({ service: 'http://t:8080', stable: 't' });
    assert.ok(result.ok);
    assert.deepEqual(result.form, { service: 't:8080' });
  });

  it("refuses bare names the ≤ 1.6.6 copy would send to Emissary's namespace", () => {
    const setup = { useAmbassadorNamespace: true, namespace: 'iam' };
    assert.ok(solve({ service: 'identity.iam:8080', rolloutsVersion: '1.8', setup }).result.ok);
    // Emissary runs elsewhere: the ≤ 1.6.6 copy `identity-canary:8080` is looked up in Emissary's namespace.
    const elsewhere = solve({ service: 'identity.iam:8080', setup: { useAmbassadorNamespace: true, namespace: 'emissary' } }).result;
    assert.ok(!elsewhere.ok);
    assert.deepEqual(elsewhere.asWritten[0]!.differences.map(describeDifference), ['in namespace emissary instead of iam']);
  });
});
