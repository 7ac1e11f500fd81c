// The audit's classification on small live inputs: each finding code, the declared canary's sources, the fix chosen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/audit.js';
import type { AuditEntry, AuditSettings } from '../../src/audit/entry.js';
import { parseManifests } from '../../src/input/parse.js';

const defaults: AuditSettings = { rolloutsVersion: 'any', ambassadorApiVersion: 'getambassador.io/v2' };

function rollout(name: string, canary: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}, namespace: shop}
spec:
  strategy:
    canary:
      stableService: ${name}
      ${canary ? `canaryService: ${canary}` : ''}
      trafficRouting: {ambassador: {mappings: [${name}]}}
${extra}`;
}

function mapping(name: string, spec: string, metadata = '', apiVersion = 'getambassador.io/v2', kind = 'Mapping'): string {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: shop
${metadata}
spec: {prefix: /${name}/, ${spec}}
`;
}

function run(documents: string[], settings: Partial<AuditSettings> = {}): AuditEntry[] {
  const parsed = parseManifests({ path: 'live.yaml', text: documents.join('---\n') });
  assert.deepEqual(parsed.diagnostics, []);
  const result = audit(parsed.manifests, { ...defaults, ...settings });
  assert.deepEqual(result.diagnostics, []);
  return result.entries;
}

const codes = (entry: AuditEntry | undefined) => entry?.findings.map((f) => f.code);

describe('audit of a live canary', () => {
  it('names each way the canary differs from the declared one', () => {
    const [entry] = run([rollout('web', 'web-canary'), mapping('web', 'service: "http://web:80"'), mapping('web-canary', 'service: "https://other.shop:8080", weight: 5')]);
    assert.deepEqual(codes(entry), ['unexpected-tls', 'wrong-service', 'wrong-port']);
    assert.equal(entry!.findings[0]!.location.file, 'live.yaml');
    assert.equal(entry!.findings[0]!.location.line, 25, 'at spec.service of the live canary');
  });

  it('tells a lost namespace from a wrong one', () => {
    const declared = 'annotations: {canary-mapping.dev/canary-service: "http://web-canary.web-canary:80"}';
    const messages = ['web-canary:80', 'web-canary.other:80'].map((service) => {
      const [entry] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"', `  ${declared}`), mapping('web-canary', `service: "${service}"`)]);
      assert.deepEqual(codes(entry), ['wrong-namespace']);
      return entry!.findings[0]!.message;
    });
    assert.match(messages[0]!, /names no namespace, so Emissary looks for Service web-canary in shop/);
    assert.match(messages[1]!, /dials namespace other instead of web-canary/);
  });

  it('reports a canary with no usable service', () => {
    const [entry] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"'), mapping('web-canary', 'weight: 5')]);
    assert.deepEqual(codes(entry), ['canary-unparseable']);
  });

  it('checks a guarded canary whose declaration is not in the cluster only for pointing at stable', () => {
    const guard = '  labels: {canary-mapping.dev/guard: "true"}';
    const [elsewhere] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"'), mapping('web-canary', 'service: "http://web-canary:8080"', guard)]);
    assert.equal(elsewhere!.status, 'clean');
    assert.match(elsewhere!.undeclared!, /does not record/);
    const [stable] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"'), mapping('web-canary', 'service: "web:80"', guard)]);
    assert.deepEqual(codes(stable), ['points-at-stable']);
    assert.match(stable!.fix!, /^Sync the app/);
  });
});

describe('audit of a base without a canary', () => {
  it('reports the controller versions that would break it, and only those targeted', () => {
    const documents = [rollout('s', 's-canary'), mapping('s', 'service: "https://s:443"')];
    const [both] = run(documents);
    assert.deepEqual(codes(both), ['would-break', 'would-break']);
    assert.deepEqual(both!.findings.map((f) => [f.logic, f.because]), [
      ['host-rebuild', ['lost-scheme']],
      ['first-replace', ['lost-scheme', 'points-at-stable']],
    ]);
    // The mangled scheme is stripped by Emissary, which then routes to the stable Service.
    assert.match(both!.findings[1]!.message, /`https-canary:\/\/s:443`, which has the scheme `https-canary:\/\/`, which Emissary strips with an error, and speaks plain HTTP/);
    assert.match(both!.fix!, /before the next update/);
    const [current] = run(documents, { rolloutsVersion: '1.8' });
    assert.deepEqual(current!.findings.map((f) => f.logic), ['first-replace']);
  });

  it('reads the base through the controller API version: tls: true becomes https:// in v3alpha1, lost again by <= 1.6.6', () => {
    const documents = [rollout('web', 'web-canary'), mapping('web', 'service: "web:443", tls: true')];
    assert.equal(run(documents)[0]!.status, 'clean');
    const [viaV3] = run(documents, { ambassadorApiVersion: 'getambassador.io/v3alpha1' });
    assert.deepEqual(viaV3!.findings.map((f) => [f.code, f.logic]), [['would-break', 'host-rebuild']]);
  });

  it('wants guarded for a declared canary no controller can copy', () => {
    const declared = '  annotations: {canary-mapping.dev/canary-service: "http://{{canaryService}}.{{namespace}}:8080"}';
    const [entry] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"', declared)]);
    assert.deepEqual(entry!.declared, { url: 'http://web-canary.shop:8080', source: 'annotation' });
    assert.deepEqual(codes(entry), ['would-break', 'would-break']);
    assert.match(entry!.fix!, /strategy guarded, install the guard policy/);
  });
});

describe('audit of what surrounds the canary', () => {
  it('reports a Rollout the controller cannot use', () => {
    const [entry] = run([rollout('web', '')]);
    assert.deepEqual(codes(entry), ['rollout-invalid']);
    assert.match(entry!.findings[0]!.message, /canaryService is missing/);
  });

  it('reports a missing base, and one of a kind the controller does not read', () => {
    assert.deepEqual(codes(run([rollout('web', 'web-canary')])[0]), ['base-missing']);
    const [otherKind] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"')], { ambassadorApiVersion: 'x.getambassador.io/v3alpha1' });
    assert.match(otherKind!.findings[0]!.message, /reads AmbassadorMappings through x\.getambassador\.io\/v3alpha1/);
  });

  it('reports a base without a usable service, or with a broken declaration', () => {
    assert.deepEqual(codes(run([rollout('web', 'web-canary'), mapping('web', 'service: "web:https"')])[0]), ['base-invalid']);
    const broken = '  annotations: {canary-mapping.dev/canary-service: "https://{{canary}}:443"}';
    const [entry] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"', broken), mapping('web-canary', 'service: "web-canary:80"')]);
    assert.deepEqual(codes(entry), ['declaration-invalid']);
    assert.match(entry!.findings[0]!.message, /unknown variable `\{\{canary\}\}`/);
  });

  it('skips only a base whose skip annotation is "true"', () => {
    const skip = (value: string) => run([rollout('s', 's-canary'), mapping('s', 'service: "https://s:443"', `  annotations: {canary-mapping.dev/skip: "${value}"}`)])[0]!;
    assert.equal(skip('true').status, 'skipped');
    assert.equal(skip('false').status, 'findings');
  });

  it('refuses input that holds an object twice', () => {
    const parsed = parseManifests({ path: 'live.yaml', text: [mapping('web', 'service: "web:80"'), mapping('web', 'service: "web:80"')].join('---\n') });
    assert.deepEqual(
      audit(parsed.manifests, defaults).diagnostics.map((d) => d.code),
      ['duplicate-object'],
    );
  });
});

describe('audit of live Hosts', () => {
  const host = `apiVersion: getambassador.io/v3alpha1
kind: Host
metadata: {name: public, namespace: ambassador}
spec: {hostname: shop.example.com, mappingSelector: {matchLabels: {exposed: "yes"}}}
`;
  const base = mapping('web', 'service: "http://web:80"', '  labels: {exposed: "yes"}');

  it("flags a base a Host takes by its labels, whose next canary (the controller's copy) will carry none", () => {
    const [entry] = run([rollout('web', 'web-canary'), base, host]);
    assert.deepEqual(codes(entry), ['host-selects-base']);
    assert.match(entry!.findings[0]!.message, /Host ambassador\/public \(live\.yaml:\d+:\d+\) takes Mapping shop\/web through its labels/);
    assert.match(entry!.fix!, /^Put the Host's hostname on Mapping shop\/web/);
  });

  it('flags a live canary without the labels, and accepts one that carries them (a guarded canary)', () => {
    const bare = run([rollout('web', 'web-canary'), base, mapping('web-canary', 'service: "http://web-canary:80"'), host])[0];
    assert.deepEqual(codes(bare), ['host-selects-base']);
    assert.match(bare!.fix!, /Then delete Mapping shop\/web-canary/);
    const labelled = mapping('web-canary', 'service: "http://web-canary:80"', '  labels: {exposed: "yes", canary-mapping.dev/guard: "true"}');
    assert.deepEqual(codes(run([rollout('web', 'web-canary'), base, labelled, host])[0]), []);
    const unlabelledGuarded = mapping('web-canary', 'service: "http://web-canary:80"', '  labels: {canary-mapping.dev/guard: "true"}');
    const stale = run([rollout('web', 'web-canary'), base, unlabelledGuarded, host])[0];
    assert.deepEqual(codes(stale), ['host-selects-base']);
    assert.match(stale!.fix!, /^Re-render the app with this version of canary-mapping/);
  });

  it('says generate refuses a v3alpha1 https:// base without legacy-tls-context, and rewrites it with one', () => {
    const v3 = mapping('web', 'service: "https://web:443"', '', 'getambassador.io/v3alpha1');
    const [refused] = run([rollout('web', 'web-canary'), v3]);
    assert.deepEqual(refused!.cloneSafe, { ok: false, refusal: 'no-clone-safe-form' });
    assert.match(refused!.fix!, /generate refuses this base in clone-safe mode .*set legacy-tls-context/);
    assert.doesNotMatch(refused!.fix!, /clone-safe rewrites the base/);
    const [rewritten] = run([rollout('web', 'web-canary'), v3], { legacyTlsContext: 'web-upstream' });
    assert.deepEqual(rewritten!.cloneSafe, { ok: true, rewritten: true, service: 'https://web:443', tls: 'web-upstream' });
    assert.match(rewritten!.fix!, /clone-safe rewrites the base/);
  });
});

describe("audit against what the input shows of Emissary", () => {
  const tlsContext = (name: string) => `apiVersion: getambassador.io/v3alpha1\nkind: TLSContext\nmetadata: {name: ${name}, namespace: shop}\nspec: {hosts: []}\n`;
  const base = mapping('web', 'service: "https://web:443", tls: web-tls', '', 'getambassador.io/v3alpha1');
  const canary = mapping('web-canary', 'service: "web-canary:443", tls: web-tls, weight: 10', '', 'getambassador.io/v3alpha1');

  it('checks a canary that relies on a TLSContext against the live TLSContexts, when the input holds some', () => {
    assert.deepEqual(codes(run([rollout('web', 'web-canary'), base, canary])[0]), [], 'no TLSContexts in the input: the context is taken to exist');
    assert.deepEqual(codes(run([rollout('web', 'web-canary'), base, canary, tlsContext('web-tls')])[0]), []);
    const [missing] = run([rollout('web', 'web-canary'), base, canary, tlsContext('other-tls')]);
    assert.deepEqual(codes(missing), ['tls-context-missing']);
    assert.match(missing!.findings[0]!.message, /originates TLS only through TLSContext web-tls, which is not among the live TLSContexts \(other-tls\)/);
    const [next] = run([rollout('web', 'web-canary'), base, tlsContext('other-tls')], { rolloutsVersion: '1.6' });
    assert.deepEqual(next!.findings.map((f) => [f.code, f.because]), [['would-break', ['tls-context-missing']]]);
  });

  it("resolves bare names in Emissary's namespace when the Module says so", () => {
    const module = `apiVersion: getambassador.io/v3alpha1\nkind: Module\nmetadata: {name: ambassador, namespace: emissary}\nspec: {config: {use_ambassador_namespace_for_service_resolution: true}}\n`;
    const [bare] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web:80"'), module]);
    assert.deepEqual(codes(bare), ['base-not-stable-service']);
    const [qualified] = run([rollout('web', 'web-canary'), mapping('web', 'service: "web.shop:80"'), module]);
    assert.deepEqual(qualified!.findings.map((f) => [f.code, f.logic, f.because]), [['would-break', 'host-rebuild', ['wrong-namespace']]]);
    assert.deepEqual(codes(run([rollout('web', 'web-canary'), mapping('web', 'service: "web.shop:80"')], { serviceNamespace: 'emissary', rolloutsVersion: '1.8' })[0]), []);
  });
});

describe('audit advice agrees with generate', () => {
  it('does not promise a clone-safe rewrite where generate refuses one', () => {
    const v3 = mapping('web', 'service: "https://web:443"', '', 'getambassador.io/v3alpha1');
    const [entry] = run([rollout('web', 'web-canary'), v3]);
    assert.deepEqual(codes(entry), ['would-break']);
    assert.match(entry!.fix!, /^canary-mapping generate refuses this base in clone-safe mode \(no-clone-safe-form\): .*set legacy-tls-context/);
    const [v2] = run([rollout('web', 'web-canary'), mapping('web', 'service: "https://web:443"')]);
    assert.match(v2!.fix!, /^Re-render the app with canary-mapping and sync before the next update: clone-safe rewrites the base/);
  });
});
