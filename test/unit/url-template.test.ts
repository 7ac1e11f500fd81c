import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkService } from '../../src/ambassador/service-url.js';
import { templatedCanary, type DeclarationContext } from '../../src/canary/declared-canary.js';
import { parseTemplate, renderTemplate } from '../../src/canary/url-template.js';

const base = checkService('getambassador.io/v2', { service: 'https://identity.iam:443' }, 'iam');
assert.ok(base.ok);
const context: DeclarationContext = {
  base: base.url,
  stable: base.upstream,
  setup: { useAmbassadorNamespace: false },
  rollout: { name: 'identity-rollout', namespace: 'iam', stableService: 'identity', canaryService: 'identity-canary' },
  mapping: 'identity-mapping',
};

function render(text: string): string {
  const result = templatedCanary(context, { text, source: 'config' });
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.declared.url;
}

function problem(text: string): string {
  const result = templatedCanary(context, { text, source: 'config' });
  assert.ok(!result.ok, `${text} should be refused`);
  return result.problem;
}

describe('canary URL templates', () => {
  it('substitutes every variable', () => {
    const parsed = parseTemplate('{{stableService}}|{{canaryService}}|{{namespace}}|{{scheme}}|{{port}}|{{host}}|{{mapping}}|{{ rollout }}');
    assert.ok(parsed.ok);
    assert.equal(
      renderTemplate(parsed.parts, { stableService: 's', canaryService: 'c', namespace: 'n', scheme: 'https', port: '1', host: 'h', mapping: 'm', rollout: 'r' }),
      's|c|n|https|1|h|m|r',
    );
  });

  it('writes the declared canary as an explicit full URL', () => {
    assert.equal(render('https://{{canaryService}}.{{namespace}}:8443'), 'https://identity-canary.iam:8443');
    assert.equal(render('{{scheme}}://{{canaryService}}.{{namespace}}'), 'https://identity-canary.iam:443');
    assert.equal(render('http://{{mapping}}-v2.{{namespace}}'), 'http://identity-mapping-v2.iam:80');
    assert.equal(render('https://{{host}}:{{port}}'), 'https://identity.iam:443');
    assert.equal(render('https://fixed.example.com:9443'), 'https://fixed.example.com:9443');
  });

  it('refuses unknown variables, unterminated braces and results that are not explicit URLs', () => {
    assert.match(problem('https://{{canary}}:443'), /unknown variable `\{\{canary\}\}`/);
    assert.match(problem('https://{{canaryService:443'), /unterminated `\{\{` at character 9/);
    assert.match(problem('https://{{}}:443'), /unknown variable `\{\{\}\}`/);
    assert.match(problem('{{canaryService}}:8443'), /does not start with http:\/\/ or https:\/\//);
    assert.match(problem('grpc://{{canaryService}}'), /does not start with http:\/\/ or https:\/\//);
    assert.match(problem('https://{{canaryService}}/api'), /path/);
  });

  it('keeps substituted values as text: a value cannot add structure', () => {
    // A Rollout name with YAML or template syntax stays inside the string and is then refused as a host.
    const hostile = { ...context, rollout: { ...context.rollout, name: 'x\nkind: Secret' } };
    const result = templatedCanary(hostile, { text: 'https://{{rollout}}:443', source: 'annotation' });
    assert.ok(!result.ok);
    assert.match(result.problem, /white space/);
  });
});
