// The spelling of a service, which services the plugin accepts, and what two spellings mean to Emissary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkService, formatServiceUrl, splitService } from '../../src/ambassador/service-url.js';
import { describeDifference, differencesOf, readMappingUpstream, sameUpstream, upstreamDifferences, type EmissarySetup } from '../../src/ambassador/upstream.js';

const ns = 'iam';

function problem(service: string, tls?: unknown, apiVersion = 'getambassador.io/v2'): string {
  const checked = checkService(apiVersion, { service, ...(tls !== undefined ? { tls } : {}) }, ns);
  assert.ok(!checked.ok, `${service} should be refused`);
  return checked.problem;
}

function accepted(service: string, tls?: unknown, apiVersion = 'getambassador.io/v2') {
  const checked = checkService(apiVersion, { service, ...(tls !== undefined ? { tls } : {}) }, ns);
  assert.ok(checked.ok, checked.ok ? '' : checked.problem);
  return checked.upstream;
}

describe('service spelling', () => {
  it('splits and rebuilds every form exactly as written', () => {
    for (const text of ['identity', 'identity:', 'IDENTITY:8443', 'HTTPS://identity:443', 'http://identity.iam/', 'https://[fd00::1]:8443', '[::1]', 'grpc://t:http']) {
      assert.equal(formatServiceUrl(splitService(text)), text);
    }
    assert.deepEqual(splitService('HTTPS://[fd00::1]:/x'), { scheme: 'HTTPS', host: '[fd00::1]', port: '', path: '/x' });
  });
});

describe('services the plugin accepts', () => {
  it('accepts what Emissary reads without an error, and the forms it only warns about', () => {
    assert.deepEqual(accepted('IDENTITY:8080'), { tls: false, host: { kind: 'service', name: 'identity', namespace: ns }, port: 8080 });
    assert.equal(accepted('HTTPS://identity').port, 443);
    assert.equal(accepted('identity:', true).port, 443, 'an empty port is the default port');
    assert.equal(accepted('https://upstream/').tls, true, 'a trailing / is ignored with a warning');
    assert.equal(accepted('http://identity:8443', true).tls, true, 'http:// with a truthy tls originates TLS');
    assert.equal(accepted('http://identity:8443', 'ctx', 'getambassador.io/v3alpha1').tlsContext, 'ctx');
  });

  it('accepts an unknown scheme, which Emissary strips with an error, and says so', () => {
    const checked = checkService('getambassador.io/v2', { service: 'grpc://identity:50051' }, ns);
    assert.ok(checked.ok);
    assert.deepEqual(checked.upstream.host, { kind: 'service', name: 'identity', namespace: ns });
    assert.match(checked.notes.join('\n'), /strips the scheme `grpc:\/\/` with an error and routes `grpc:\/\/identity:50051` as plain HTTP; for HTTP\/2/);
    const withContext = checkService('x.getambassador.io/v3alpha1', { service: 'h2c://identity', tls: 'ctx' }, ns);
    assert.ok(withContext.ok);
    assert.match(withContext.notes.join('\n'), /as HTTPS/);
  });

  it('refuses with what Emissary does instead', () => {
    assert.match(problem('identity:https'), /port `https`, which is not a number/);
    assert.match(problem('identity:70000'), /not a number from 0 to 65535/);
    assert.match(problem('https://identity:443/api'), /path, query or fragment `\/api`/);
    assert.match(problem('[fd00::1'), /cannot be read/);
    assert.match(problem(''), /cannot be read/);
  });
});

describe('upstream equivalence', () => {
  const up = (service: string, tls?: unknown, setup?: EmissarySetup) => readMappingUpstream('getambassador.io/v2', { service, ...(tls !== undefined ? { tls } : {}) }, ns, setup);

  it('treats a bare name, name.ns, name.ns.svc and the FQDN as one Service', () => {
    const expected = up('https://identity:443').upstream!;
    for (const form of ['https://identity', 'https://identity.iam:443', 'https://identity.iam.svc:443', 'https://identity.iam.svc.cluster.local.', 'HTTPS://IDENTITY']) {
      assert.ok(sameUpstream(up(form), expected), form);
    }
    assert.deepEqual(upstreamDifferences(up('https://identity.other:443'), expected), ['in namespace other instead of iam']);
  });

  it('resolves bare names in Emissary\'s namespace when the Module says so', () => {
    assert.deepEqual(up('identity', undefined, { useAmbassadorNamespace: true, namespace: 'emissary' }).upstream?.host, { kind: 'service', name: 'identity', namespace: 'emissary' });
    assert.deepEqual(upstreamDifferences(up('identity', undefined, { useAmbassadorNamespace: true }), up('identity').upstream!), ["in Emissary's own namespace instead of iam"]);
  });

  it('takes TLS from the scheme or the tls field, and the default port from TLS', () => {
    assert.deepEqual(up('identity', true).upstream, { tls: true, tlsContext: 'no-cert-upstream', host: { kind: 'service', name: 'identity', namespace: ns }, port: 443 });
    assert.equal(up('identity', 'upstream-tls').upstream?.tls, true);
    assert.equal(up('identity', 'upstream-tls').withoutUnseenContexts?.tls, false, 'a missing context: no TLS');
    assert.equal(up('https://identity', 'upstream-tls').withoutUnseenContexts?.tls, true, 'https:// keeps TLS without the context');
    assert.equal(up('identity', false).upstream?.port, 80);
    assert.ok(sameUpstream(up('identity:443', true), up('https://identity').upstream!));
    assert.deepEqual(upstreamDifferences(up('identity-canary:443'), up('https://identity-canary:443').upstream!), ['without TLS']);
    assert.deepEqual(upstreamDifferences(up('https://identity-canary'), up('https://identity-canary:8443').upstream!), ['on port 443 instead of 8443']);
  });

  it('keeps addresses and external names apart from Services, and says why Emissary routes nothing', () => {
    assert.deepEqual(up('10.0.0.7:80').upstream?.host, { kind: 'address', address: '10.0.0.7' });
    assert.deepEqual(up('api.example.com').upstream?.host, { kind: 'dns', name: 'api.example.com' });
    assert.deepEqual(upstreamDifferences(up('identity:80'), up('myapp:80').upstream!), ['pointing at Service identity in namespace iam instead of Service myapp in namespace iam']);
    assert.equal(up('[fd00::1]').upstream?.port, 80);
    assert.match(upstreamDifferences(up('identity-canary:http'), up('http://identity-canary:80').upstream!)[0]!, /an upstream Emissary ignores \(.*the port 'http' is not a number: the Mapping is ignored\)/);
  });
});

describe('differences as data (what generate, explain and audit all read)', () => {
  const up = (service: string, tls?: unknown) => readMappingUpstream('getambassador.io/v2', { service, ...(tls !== undefined ? { tls } : {}) }, ns);
  const declared = up('https://identity-canary:8443').upstream!;
  const stable = [up('identity').upstream!.host, { kind: 'service' as const, name: 'identity-stable', namespace: ns }];
  const codes = (service: string, expected = declared, tls?: unknown) => differencesOf(up(service, tls), expected, stable).map((d) => d.code);

  it('lists TLS, host and port in that order, each with its own code', () => {
    assert.deepEqual(codes('identity-canary:80'), ['lost-scheme', 'wrong-port']);
    assert.deepEqual(codes('https://identity-canary.other:8443'), ['wrong-namespace']);
    assert.deepEqual(codes('https://web:8443'), ['wrong-service']);
    assert.deepEqual(codes('https://identity-canary:8443'), []);
    assert.deepEqual(codes('http://identity-canary:8443', up('http://identity-canary:8443').upstream!, true), ['unexpected-tls']);
    assert.deepEqual(codes('identity-canary:http'), ['canary-unparseable']);
  });

  it('names a host that serves stable, and which one, before any other host difference', () => {
    const [found] = differencesOf(up('https://identity-stable:8443'), declared, stable);
    assert.deepEqual(found, { code: 'points-at-stable', actual: stable[1], expected: declared.host, stable: 1 });
    assert.equal(describeDifference(found!), 'pointing at Service identity-stable in namespace iam instead of Service identity-canary in namespace iam', 'generate words it as any other host');
    assert.deepEqual(codes('identity:8443'), ['lost-scheme', 'points-at-stable']);
  });

  it('without a declared canary, looks only for stable', () => {
    assert.deepEqual(differencesOf(up('identity-canary:80'), undefined, stable), []);
    assert.deepEqual(differencesOf(up('http://identity:80'), undefined, stable).map(describeDifference), ['pointing at Service identity in namespace iam, which serves stable']);
  });
});
