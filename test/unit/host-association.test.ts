import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeStranding, hostGlobsOverlap, hostsStrandingCopy, indexHosts, isHostKind, NAMED_HOSTS, selectorMatches, type Labels } from '../../src/ambassador/host-association.js';
import type { Indexed, KubeObject } from '../../src/manifests/manifest.js';

function indexed(object: KubeObject): Indexed {
  const { name, namespace } = object.metadata as { name: string; namespace: string };
  return { manifest: { object, origin: { renderer: 'test', object, source: () => undefined, renameHint: '' } }, group: 'getambassador.io', kind: object.kind, namespace, name };
}

const host = (name: string, spec: Record<string, unknown>, apiVersion = 'getambassador.io/v3alpha1') => indexed({ apiVersion, kind: 'Host', metadata: { name, namespace: 'ambassador' }, spec });

/** A Mapping `m` with `labels`. */
const mapping = (spec: Record<string, unknown> = {}, labels: Labels = {}) =>
  indexed({ apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name: 'm', namespace: 'shop', labels }, spec: { prefix: '/', service: 's', ...spec } });

/** The Hosts among `hosts` that strand the copy of a Mapping with `labels`, by an index of those Hosts alone. */
const strand = (spec: Record<string, unknown>, labels: Labels, hosts: Indexed[]) => hostsStrandingCopy(mapping(spec, labels), indexHosts(hosts, [])).hosts;

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
    assert.deepEqual(strand({}, labels, [byLabel]).map((h) => h.host.name), ['public']);
  });

  it('not a Host whose selector the base does not match, nor one that an empty label set satisfies too', () => {
    assert.deepEqual(strand({}, { exposed: 'no' }, [byLabel]), []);
    const everything = host('all', { mappingSelector: { matchExpressions: [{ key: 'private', operator: 'DoesNotExist' }] } });
    assert.deepEqual(strand({}, labels, [everything]), []);
    assert.deepEqual(strand({}, labels, [host('plain', { hostname: 'api.example.com' })]), []);
  });

  it('not a Host whose hostname the base does not match (strict selectors need both), unless the base gives a regex', () => {
    assert.deepEqual(strand({ hostname: 'www.example.com' }, labels, [byLabel]), []);
    assert.equal(strand({ hostname: '*.example.com' }, labels, [byLabel]).length, 1);
    assert.deepEqual(strand({ host: 'www.example.com' }, labels, [byLabel]), []);
    assert.equal(strand({ host: '.*', host_regex: true }, labels, [byLabel]).length, 1);
  });

  it("reads a v2 Host's selector, and knows the Host kinds", () => {
    const v2 = host('legacy', { hostname: '*', selector: { matchLabels: { exposed: 'yes' } } }, 'getambassador.io/v2');
    assert.equal(strand({}, labels, [v2]).length, 1);
    assert.equal(isHostKind('getambassador.io/v2', 'Host'), true);
    assert.equal(isHostKind('getambassador.io/v3alpha1', 'Host'), true);
    assert.equal(isHostKind('x.getambassador.io/v3alpha1', 'AmbassadorHost'), true);
    assert.equal(isHostKind('networking.k8s.io/v1', 'Host'), false);
  });
});

describe('the Host index', () => {
  const selecting = (name: string, selector: Record<string, unknown>, hostname = '*') => host(name, { hostname, mappingSelector: selector });
  const base = (labels: Labels) => mapping({}, labels);

  it('finds what checking every Host finds, for every operator and any choice of the rare label', () => {
    // Every selector over two keys and two values, against every label set over them: the index must agree with
    // the plain definition (the selector takes the labels, not the empty set, and the hostnames overlap).
    const requirements: Array<Record<string, unknown>> = [
      { matchLabels: { a: '1' } },
      { matchLabels: { a: '1', b: '2' } },
      { matchLabels: { a: 1 } },
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] },
      { matchExpressions: [{ key: 'b', operator: 'Exists' }] },
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      { matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] },
      { matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['2'] }] },
      { matchLabels: { a: '2' }, matchExpressions: [{ key: 'b', operator: 'Bogus' }] },
      { matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'In', values: ['1'] }] },
      {},
    ];
    const hosts = requirements.flatMap((selector, i) => [selecting(`h${i}`, selector), selecting(`w${i}`, selector, 'www.example.com')]);
    const labelSets: Labels[] = [{}, { a: '1' }, { a: '2' }, { b: '1' }, { b: '2' }, { a: '1', b: '1' }, { a: '1', b: '2' }, { a: '2', b: '1' }, { c: '1' }];
    for (const mappings of [[], labelSets.map(base), [base({ a: '1' }), base({ a: '1' }), base({ b: '2' })]]) {
      const index = indexHosts(hosts, mappings);
      for (const labels of labelSets) {
        for (const hostname of [undefined, 'api.example.com']) {
          const expected = hosts.filter((h) => {
            const { mappingSelector: selector, hostname: glob } = h.manifest.object.spec as Record<string, unknown>;
            return selectorMatches(selector, labels) && !selectorMatches(selector, {}) && (hostname === undefined || hostGlobsOverlap(glob as string, hostname));
          });
          const found = hostsStrandingCopy(mapping(hostname ? { hostname } : {}, labels), index);
          assert.equal(found.count, expected.length, JSON.stringify(labels));
          assert.deepEqual(found.hosts.map((h) => h.host.name), expected.slice(0, NAMED_HOSTS).map((h) => h.name));
        }
      }
    }
  });

  it('names the first Hosts in input order and counts the rest, across selectors and hostnames', () => {
    const hosts = Array.from({ length: 12 }, (_, i) => selecting(`h${i}`, { matchLabels: i % 2 === 0 ? { a: '1' } : { b: '2' } }, i % 3 === 0 ? '*' : `h${i}.example.com`));
    const found = hostsStrandingCopy(mapping({}, { a: '1', b: '2' }), indexHosts(hosts, []));
    assert.equal(found.count, 12);
    assert.deepEqual(found.hosts.map((h) => h.host.name), ['h0', 'h1', 'h2', 'h3', 'h4']);
    assert.equal(describeStranding(found), 'ambassador/h0, ambassador/h1, ambassador/h2, ambassador/h3, ambassador/h4 and 7 more');
    const one = hostsStrandingCopy(mapping({ hostname: 'h4.example.com' }, { a: '1' }), indexHosts(hosts, []));
    assert.deepEqual([one.count, describeStranding(one)], [3, 'ambassador/h0, ambassador/h4, ambassador/h6']);
  });

  it("leaves out the Hosts whose selector a copy's labels match too (a live canary that carries them)", () => {
    const hosts = [selecting('a', { matchLabels: { a: '1' } }), selecting('ab', { matchLabels: { a: '1', b: '1' } })];
    assert.deepEqual(hostsStrandingCopy(mapping({}, { a: '1', b: '1' }), indexHosts(hosts, []), { a: '1' }).hosts.map((h) => h.host.name), ['ab']);
  });

  it('files a Host under a label no Mapping has, where no base ever looks', () => {
    const hosts = [selecting('never', { matchLabels: { a: '1', absent: 'x' } })];
    const index = indexHosts(hosts, [base({ a: '1' })]);
    assert.equal(index.byPair.get('absent')?.get('x')?.length, 1);
    assert.equal(index.byPair.has('a'), false);
    assert.equal(hostsStrandingCopy(base({ a: '1' }), index).count, 0);
  });
});
