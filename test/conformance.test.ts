// The emulation against what the real code did (test/conformance/README.md): one test per recorded line, named by its
// id. Emissary's reading of a Mapping, the API server's storage and conversion, and the canary each Argo Rollouts
// version creates. Every line must agree; there is no skip list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { emissaryView, rejection, stored, type UpstreamSpec } from '../src/ambassador/api-conversion.js';
import { readUpstream, type EmissaryEnvironment, type EmissaryReading } from '../src/ambassador/emissary-reading.js';
import { groupOf, type AmbassadorApiVersion } from '../src/ambassador/mapping-kinds.js';
import { checkService } from '../src/ambassador/service-url.js';
import type { EmissarySetup, Upstream } from '../src/ambassador/upstream.js';
import { solveCloneSafe } from '../src/canary/clone-safe-solver.js';
import { derivedCanary } from '../src/canary/declared-canary.js';
import { runController } from '../src/rollouts/clone-emulation.js';
import type { ControllerLogic } from '../src/rollouts/controller-logic.js';
import { repoRoot } from './support/repo.js';

type Line = Record<string, any>;

function lines(file: string): Line[] {
  return readFileSync(join(repoRoot, 'test', 'conformance', file), 'utf8')
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text) as Line);
}

/** The recorded Emissary runs in namespace `emissary` with the Module's defaults. */
function environment(contexts: 'all' | 'none'): EmissaryEnvironment {
  return { namespace: 'emissary', useAmbassadorNamespace: false, hasTlsContext: () => contexts === 'all' };
}

function specOf(input: Line): UpstreamSpec {
  return { service: input.service, ...('tls' in input ? { tls: input.tls } : {}) };
}

function tuple(reading: EmissaryReading): unknown[] {
  return reading.built && reading.valid ? upstreamTuple({ tls: reading.tls, host: reading.endpoint, port: reading.port }) : ['invalid'];
}

function upstreamTuple(upstream: Upstream): unknown[] {
  const { host } = upstream;
  switch (host.kind) {
    case 'service':
      return [upstream.tls, host.name, host.namespace, upstream.port];
    case 'address':
      return [upstream.tls, host.address, null, upstream.port];
    case 'dns':
      return [upstream.tls, host.name, null, upstream.port];
    case 'localhost':
      return [upstream.tls, 'localhost', null, upstream.port];
  }
}

/** The short reading of rollouts-canary.jsonl: `{upstream, tlsContext, errors, rejection}`, each key when it applies. */
function shortReading(apiVersion: string, spec: UpstreamSpec, namespace: string): Line {
  const refused = rejection(apiVersion, spec);
  if (refused) return { upstream: ['invalid'], rejection: refused };
  const view = emissaryView(apiVersion, spec);
  const reading = readUpstream(view.service, view.tls, namespace, environment('all'));
  const upstream = tuple(reading);
  return {
    upstream,
    ...(upstream[0] !== 'invalid' && reading.built ? { tlsContext: reading.tlsContext ?? null } : {}),
    ...(reading.errors.length > 0 ? { errors: reading.errors } : {}),
  };
}

function withoutRejectionText(reading: Line): Line {
  const { rejection: refused, ...rest } = reading;
  return refused === undefined ? rest : { ...rest, rejection: true };
}

describe('Emissary reads a Mapping as Emissary v4.1.0 did (emissary-upstream.jsonl)', () => {
  for (const line of lines('emissary-upstream.jsonl')) {
    it(`${line.id}: ${line.input.apiVersion} ${JSON.stringify(line.input.service)} tls ${JSON.stringify(line.input.tls)} in ${line.input.namespace}`, () => {
      const { apiVersion, namespace } = line.input;
      const spec = specOf(line.input);
      for (const [key, contexts] of [['emissary', 'all'], ['emissaryNoTlsContext', 'none']] as const) {
        const want = line[key];
        const refused = rejection(apiVersion, spec);
        assert.equal(refused === undefined, want.accepted, `${key}: accepted`);
        if (refused) continue;
        const view = emissaryView(apiVersion, spec);
        assert.deepEqual(view, want.sees, `${key}: what Emissary's Python receives`);
        const reading = readUpstream(view.service, view.tls, namespace, environment(contexts));
        assert.deepEqual(reading.errors, want.errors, `${key}: errors`);
        assert.deepEqual(tuple(reading), want.upstream, `${key}: upstream`);
        assert.equal(reading.valid, want.valid, `${key}: valid`);
        assert.equal(!reading.built, want.failure !== undefined, `${key}: no cluster is built`);
        if (!reading.built) continue;
        assert.deepEqual(
          { tls: reading.tls, tlsContext: reading.tlsContext ?? null, normalized: reading.normalized, host: reading.host, port: reading.port, endpoint: reading.endpoint },
          { tls: want.tls, tlsContext: want.tlsContext, normalized: want.normalized, host: want.host, port: want.port, endpoint: want.endpoint },
          `${key}: cluster`,
        );
      }
    });
  }
});

const VERSIONS: Record<string, ControllerLogic> = { 'v1.6.6': 'host-rebuild', 'v1.7.2': 'first-replace', 'v1.9.1': 'first-replace' };

describe('Argo Rollouts creates the canary as v1.6.6, v1.7.2 and v1.9.1 did (rollouts-canary.jsonl)', () => {
  for (const line of lines('rollouts-canary.jsonl')) {
    const { input } = line;
    it(`${line.id}: ${input.apiVersion} ${JSON.stringify(input.service)} tls ${JSON.stringify(input.tls)} through ${input.controllerApiVersion}, stable ${input.stableService}`, () => {
      const spec = specOf(input);
      const namespace: string = input.appNamespace;
      const refused = rejection(input.apiVersion, spec);
      assert.equal(refused === undefined, line.base.accepted, 'the API server admits the base');
      if (!refused) assert.deepEqual(stored(input.apiVersion, spec), line.base.stored, 'the base as stored');
      assert.deepEqual(withoutRejectionText(shortReading(input.apiVersion, spec, namespace)), withoutRejectionText(line.base.emissary), "Emissary's reading of the base");
      assert.deepEqual(
        withoutRejectionText(shortReading(input.apiVersion, specOf(line.declared), namespace)),
        withoutRejectionText(line.declared.emissary),
        "Emissary's reading of the declared canary",
      );
      const base = { apiVersion: input.apiVersion, spec };
      const rollout = { stableService: input.stableService, canaryService: input.canaryService, namespace };
      for (const [version, logic] of Object.entries(VERSIONS)) {
        const want = line.controllers[version];
        const run = refused ? undefined : runController(base, rollout, logic, input.controllerApiVersion as AmbassadorApiVersion);
        if (version === 'v1.6.6') {
          assert.deepEqual(run ? { visible: true, spec: run.reads } : { visible: false }, line.controllerReads, 'what the controller reads');
        }
        const outcome = groupOf(input.apiVersion) !== groupOf(input.controllerApiVersion) ? 'not-visible' : refused ? 'base-rejected' : 'created';
        assert.equal(outcome, want.outcome, `${version}: outcome`);
        assert.equal(run !== undefined, outcome === 'created', `${version}: the emulation creates a canary`);
        if (!run) continue;
        assert.deepEqual(run.created, want.created, `${version}: created`);
        assert.deepEqual(run.stored, want.stored ?? want.created, `${version}: stored`);
        assert.deepEqual(run.readBack, want.readBack ?? want.created, `${version}: read back`);
        const canary = shortReading(input.controllerApiVersion, run.created, namespace);
        assert.deepEqual(canary, want.emissary, `${version}: Emissary's reading of the canary`);
        const declared = shortReading(input.apiVersion, specOf(line.declared), namespace);
        const asDeclared = declared.upstream[0] !== 'invalid' && JSON.stringify(canary.upstream) === JSON.stringify(declared.upstream);
        assert.equal(asDeclared, want.asDeclared, `${version}: as declared`);
      }
    });
  }
});

// The refusal check: the solver must find a safe form exactly when the recorded search found one for the targeted
// versions. The data assumes every named TLSContext exists, so the render is taken to hold them all.
const TARGETS: Record<string, ControllerLogic[]> = {
  'v1.6.6,v1.7.2,v1.9.1': ['host-rebuild', 'first-replace'],
  'v1.6.6': ['host-rebuild'],
  'v1.7.2,v1.9.1': ['first-replace'],
};

describe('clone-safe refuses exactly when no safe form exists (rollouts-canary.jsonl safe_form_exists)', () => {
  const setup: EmissarySetup = { namespace: 'emissary', useAmbassadorNamespace: false, hasTlsContext: () => true };
  for (const line of lines('rollouts-canary.jsonl')) {
    const { input } = line;
    it(`${line.id}: ${input.apiVersion} ${JSON.stringify(input.service)} tls ${JSON.stringify(input.tls)} through ${input.controllerApiVersion}, stable ${input.stableService}`, () => {
      const spec = specOf(input);
      const namespace: string = input.appNamespace;
      const checked = rejection(input.apiVersion, spec) ? undefined : checkService(input.apiVersion, spec, namespace, setup);
      const stable = checked?.ok ? checked.upstream : undefined;
      const reachesStable = stable?.host.kind === 'service' && stable.host.name === input.stableService && stable.host.namespace === namespace;
      if (line.no_safe_form_because === 'base-does-not-reach-the-stable-service') {
        assert.ok(!reachesStable, 'the plugin refuses a base that does not reach the stable Service');
        return;
      }
      assert.ok(checked?.ok, `the plugin accepts the base: ${checked?.ok === false ? checked.problem : 'rejected'}`);
      assert.ok(reachesStable, 'the base reaches the stable Service');
      if (groupOf(input.apiVersion) !== groupOf(input.controllerApiVersion)) {
        // The plugin reports mapping-not-visible: the controller never finds this base.
        assert.ok(Object.values(line.safe_form_exists).every((exists) => !exists), 'no form helps a base the controller cannot see');
        return;
      }
      const rollout = { stableService: input.stableService, canaryService: input.canaryService, namespace };
      const declared = derivedCanary({ base: checked.url, stable: checked.upstream, rollout: { name: 'r', ...rollout }, mapping: 'm', setup });
      assert.deepEqual(upstreamTuple(declared.upstream), line.declared.emissary.upstream, 'the declared canary');
      const stableHosts = [checked.upstream.host];
      for (const [versions, logics] of Object.entries(TARGETS)) {
        const solve = (legacyTlsContext: string) =>
          solveCloneSafe({ apiVersion: input.apiVersion, service: input.service, tls: input.tls, rollout, declared, stableHosts, logics, controllerApiVersion: input.controllerApiVersion, legacyTlsContext, setup });
        const found = solve('');
        assert.equal(found.ok, line.safe_form_exists[versions], `${versions}: a safe form exists`);
        // legacy-tls-context only widens the search.
        if (line.settings.legacyTlsContext && line.safe_form_exists[versions]) assert.ok(solve(line.settings.legacyTlsContext).ok, `${versions}: with legacy-tls-context`);
      }
    });
  }
});
