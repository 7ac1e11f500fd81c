import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatServiceUrl, parseServiceUrl } from '../../src/ambassador/service-url.js';
import { resolveUpstream, sameUpstream, upstreamDifferences, upstreamOf } from '../../src/ambassador/upstream.js';

function url(text: string) {
  const parsed = parseServiceUrl(text);
  assert.ok(parsed.ok, `${text} should parse`);
  return parsed.url;
}

function problem(text: string): string {
  const parsed = parseServiceUrl(text);
  assert.ok(!parsed.ok, `${text} should not parse`);
  return parsed.problem;
}

describe('service URL grammar', () => {
  it('parses every host form and round-trips', () => {
    for (const text of [
      'identity',
      'identity:8443',
      'https://identity:443',
      'http://identity.iam',
      'https://identity.iam.svc.cluster.local:8443',
      '10.0.0.7:80',
      'https://[fd00::1]:8443',
      '[::1]',
    ]) {
      assert.equal(formatServiceUrl(url(text)), text);
    }
    assert.deepEqual(url('HTTPS://Identity:443'), { scheme: 'https', host: 'identity', hostKind: 'name', port: 443 });
    assert.equal(url('10.1.2.3').hostKind, 'ipv4');
    assert.equal(url('[fd00::1]:80').hostKind, 'ipv6');
  });

  it('reports unknown schemes, named ports and malformed hosts', () => {
    assert.match(problem('grpc://identity:50051'), /unknown scheme `grpc:\/\/`/);
    assert.match(problem('h2c://identity'), /unknown scheme/);
    assert.match(problem('identity:https'), /named port/);
    assert.match(problem('identity:0'), /outside 1-65535/);
    assert.match(problem('identity:70000'), /outside 1-65535/);
    assert.match(problem('fd00::1:80'), /more than one `:`/);
    assert.match(problem('[fd00::1'), /malformed IPv6/);
    assert.match(problem('https://identity:443/api'), /path/);
    assert.match(problem('under_score'), /no valid host/);
    assert.match(problem(''), /empty/);
    assert.match(problem(' identity'), /white space/);
  });
});

describe('upstream equivalence', () => {
  const ns = 'iam';
  const up = (service: string, tls?: unknown) => upstreamOf(service, tls, ns);

  it('treats a bare name, name.ns, name.ns.svc and the FQDN as one Service', () => {
    const expected = up('https://identity:443')!;
    for (const form of ['https://identity', 'https://identity.iam:443', 'https://identity.iam.svc:443', 'https://identity.iam.svc.cluster.local']) {
      assert.ok(sameUpstream(up(form), expected), form);
    }
    assert.deepEqual(upstreamDifferences(up('https://identity.other:443'), expected), ['in namespace other instead of iam']);
  });

  it('takes TLS from the scheme or the tls field, and the default port from TLS', () => {
    assert.deepEqual(up('identity', true), { tls: true, host: { kind: 'service', name: 'identity', namespace: ns }, port: 443 });
    assert.deepEqual(up('identity', 'upstream-tls')?.tls, true);
    assert.deepEqual(up('identity', false), { tls: false, host: { kind: 'service', name: 'identity', namespace: ns }, port: 80 });
    assert.equal(up('http://identity', true)?.tls, false);
    assert.ok(sameUpstream(up('identity:443', true), up('https://identity')!));
    assert.deepEqual(upstreamDifferences(up('identity-canary:443'), up('https://identity-canary:443')!), ['without TLS']);
    assert.deepEqual(upstreamDifferences(up('https://identity-canary'), up('https://identity-canary:8443')!), ['on port 443 instead of 8443']);
  });

  it('keeps addresses and external names apart from Services', () => {
    assert.deepEqual(up('10.0.0.7:80')?.host, { kind: 'address', address: '10.0.0.7' });
    assert.deepEqual(up('api.example.com')?.host, { kind: 'dns', name: 'api.example.com' });
    assert.deepEqual(upstreamDifferences(up('identity:80'), up('myapp:80')!), [
      'pointing at Service identity in namespace iam instead of Service myapp in namespace iam',
    ]);
    assert.equal(resolveUpstream(url('[fd00::1]'), undefined, ns).port, 80);
  });
});
