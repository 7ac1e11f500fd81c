import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostGlobsOverlap, hostsStrandingCopy, isHostKind, selectorMatches } from '../../src/ambassador/host-association.js';
import type { Indexed, KubeObject } from '../../src/manifests/manifest.js';

function host(name: string, spec: Record<string, unknown>, apiVersion = 'getambassador.io/v3alpha1'): Indexed {
  const object: KubeObject = { apiVersion, kind: 'Host', metadata: { name, namespace: 'ambassador' }, spec };
  return { manifest: { object, origin: { renderer: 'test', object, source: () => undefined, renameHint: '' } }, group: 'getambassador.io', kind: 'Host', namespace: 'ambassador', name };
}

const mapping = (spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', spec: { prefix: '/', service: 's', ...spec } });

describe('label selectors', () => {
  it('matchLabels and every matchExpressions operator, all of which must hold', () => {
    const labels = { app: 'identity', tier: 'web' };
    assert.equal(selectorMatches({ matchLabels: { app: 'identity' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: 'identity', tier: 'api' } }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
    assert.equal(selectorMatches({ matchLabels: { app: 'identity' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['api'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, labels), false, 'an operator the API server refuses selects nothing');
    assert.equal(selectorMatches({}, {}), true, 'the empty selector selects everything');
  });
});

describe('host globs', () => {
  it('overlap when some hostname matches both', () => {
    assert.equal(hostGlobsOverlap('*', 'api.example.com'), true);
    assert.equal(hostGlobsOverlap('API.example.com', 'api.example.com'), true);
    assert.equal(hostGlobsOverlap('api.example.com', 'www.example.com'), false);
    assert.equal(hostGlobsOverlap('*.example.com', 'api.example.com'), true);
    assert.equal(hostGlobsOverlap('*.example.com', 'api.example.org'), false);
    assert.equal(hostGlobsOverlap('*.example.com', '*.com'), true);
    assert.equal(hostGlobsOverlap('api.*', 'api.example.com'), true);
    assert.equal(hostGlobsOverlap('api.*', 'www.*'), false);
    assert.equal(hostGlobsOverlap('api.*', '*.com'), true);
  });
});

describe('Hosts that take a base but not its unlabelled copy', () => {
  const byLabel = host('public', { hostname: 'api.example.com', mappingSelector: { matchLabels: { exposed: 'yes' } } });
  const labels = { exposed: 'yes' };

  it('a Host selecting the base by its labels', () => {
    assert.deepEqual(hostsStrandingCopy(mapping(), labels, [byLabel]).map((h) => h.host.name), ['public']);
  });

  it('not a Host whose selector the base does not match, nor one that an empty label set satisfies too', () => {
    assert.deepEqual(hostsStrandingCopy(mapping(), { exposed: 'no' }, [byLabel]), []);
    const everything = host('all', { mappingSelector: { matchExpressions: [{ key: 'private', operator: 'DoesNotExist' }] } });
    assert.deepEqual(hostsStrandingCopy(mapping(), labels, [everything]), []);
    assert.deepEqual(hostsStrandingCopy(mapping(), labels, [host('plain', { hostname: 'api.example.com' })]), []);
  });

  it('not a Host whose hostname the base does not match (strict selectors need both), unless the base gives a regex', () => {
    assert.deepEqual(hostsStrandingCopy(mapping({ hostname: 'www.example.com' }), labels, [byLabel]), []);
    assert.equal(hostsStrandingCopy(mapping({ hostname: '*.example.com' }), labels, [byLabel]).length, 1);
    assert.deepEqual(hostsStrandingCopy(mapping({ host: 'www.example.com' }), labels, [byLabel]), []);
    assert.equal(hostsStrandingCopy(mapping({ host: '.*', host_regex: true }), labels, [byLabel]).length, 1);
  });

  it("reads a v2 Host's selector, and knows the Host kinds", () => {
    const v2 = host('legacy', { hostname: '*', selector: { matchLabels: { exposed: 'yes' } } }, 'getambassador.io/v2');
    assert.equal(hostsStrandingCopy(mapping(), labels, [v2]).length, 1);
    assert.equal(isHostKind('getambassador.io/v2', 'Host'), true);
    assert.equal(isHostKind('getambassador.io/v3alpha1', 'Host'), true);
    assert.equal(isHostKind('x.getambassador.io/v3alpha1', 'AmbassadorHost'), true);
    assert.equal(isHostKind('networking.k8s.io/v1', 'Host'), false);
  });
});
