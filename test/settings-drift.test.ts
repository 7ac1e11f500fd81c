// cmp-plugin.yaml, deploy/cmp-plugin-helm.yaml and the README's settings table are generated from src/settings/table.ts,
// deploy/guard/ from the guard policy; this fails when a committed copy falls behind the code. Fix: `npm run generate-docs`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { guardPolicyFiles } from '../src/canary/guard-policy.js';
import { renderPluginYaml, withSettingsBlock } from '../src/cmp/announcement.js';
import { renderObjects } from '../src/manifests/emit.js';
import { defaultSettings } from '../src/settings/table.js';
import { HELM_PLUGIN_FILE, renderHelmPluginYaml } from '../src/cmp/helm-plugin.js';

// This runs compiled, as build/test/settings-drift.test.js: the repository root is two levels up.
const root = pathToFileURL(join(__dirname, '..', '..', '/'));
const FIX = 'run `npm run generate-docs` and commit the result';

test('cmp-plugin.yaml matches the settings table', () => {
  const file = new URL('cmp-plugin.yaml', root);
  assert.ok(existsSync(file), `cmp-plugin.yaml is missing: ${FIX}`);
  assert.equal(readFileSync(file, 'utf8'), renderPluginYaml(), `cmp-plugin.yaml differs from the settings table: ${FIX}`);
});

test('deploy/cmp-plugin-helm.yaml matches the settings table and the Helm variant', () => {
  const file = new URL(HELM_PLUGIN_FILE, root);
  assert.ok(existsSync(file), `${HELM_PLUGIN_FILE} is missing: ${FIX}`);
  assert.equal(readFileSync(file, 'utf8'), renderHelmPluginYaml(), `${HELM_PLUGIN_FILE} differs from its source: ${FIX}`);
});

test('the settings block of README.md matches the settings table', (t) => {
  const file = new URL('README.md', root);
  if (!existsSync(file)) {
    t.skip('README.md does not exist yet; once it does, it needs the lines <!-- settings:begin --> and <!-- settings:end -->');
    return;
  }
  const readme = readFileSync(file, 'utf8');
  const expected = withSettingsBlock(readme);
  assert.ok(expected !== undefined, `README.md lacks the lines <!-- settings:begin --> and <!-- settings:end -->: add them, then ${FIX}`);
  assert.equal(readme, expected, `the settings block of README.md differs from the settings table: ${FIX}`);
});

test('deploy/guard/ is what the plugin emits with guard-policy emit', () => {
  for (const [name, text] of Object.entries(guardPolicyFiles(renderObjects, defaultSettings.rolloutsServiceAccount))) {
    const file = new URL(`deploy/guard/${name}`, root);
    assert.ok(existsSync(file), `deploy/guard/${name} is missing: ${FIX}`);
    assert.equal(readFileSync(file, 'utf8'), text, `deploy/guard/${name} differs from the guard policy the plugin emits: ${FIX}`);
  }
});
