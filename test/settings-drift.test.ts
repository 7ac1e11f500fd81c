// cmp-plugin.yaml, deploy/cmp-plugin-helm.yaml and the settings table of docs/settings.md are generated from
// src/settings/table.ts, docs/errors.md from scripts/docs/error-codes.ts, deploy/guard/ from the guard policy; this
// fails when a committed copy falls behind the code. Fix: `npm run generate-docs`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { HELM_PLUGIN_FILE } from '../src/cmp/helm-plugin.js';
import { renderObjects } from '../src/manifests/emit.js';
import { defaultSettings } from '../src/settings/table.js';
import { guardPolicyFiles } from '../scripts/docs/guard-policy.js';
import { renderHelmPluginYaml } from '../scripts/docs/helm-plugin.js';
import { renderPluginYaml } from '../scripts/docs/plugin-file.js';
import { SETTINGS_PAGE, withSettingsBlock } from '../scripts/docs/settings-page.js';
import { ERRORS_PAGE, renderErrorsPage } from '../scripts/docs/error-codes.js';

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

test('the settings block of docs/settings.md matches the settings table', () => {
  const file = new URL(SETTINGS_PAGE, root);
  assert.ok(existsSync(file), `${SETTINGS_PAGE} is missing`);
  const page = readFileSync(file, 'utf8');
  const expected = withSettingsBlock(page);
  assert.ok(expected !== undefined, `${SETTINGS_PAGE} lacks the lines <!-- settings:begin --> and <!-- settings:end -->: add them, then ${FIX}`);
  assert.equal(page, expected, `the settings block of ${SETTINGS_PAGE} differs from the settings table: ${FIX}`);
});

test('docs/errors.md is what the error-code table generates', () => {
  const file = new URL(ERRORS_PAGE, root);
  assert.ok(existsSync(file), `${ERRORS_PAGE} is missing: ${FIX}`);
  assert.equal(readFileSync(file, 'utf8'), renderErrorsPage(), `${ERRORS_PAGE} differs from scripts/docs/error-codes.ts: ${FIX}`);
});

test('deploy/guard/ is what the plugin emits with guard-policy emit', () => {
  for (const [name, text] of Object.entries(guardPolicyFiles(renderObjects, defaultSettings.rolloutsServiceAccount))) {
    const file = new URL(`deploy/guard/${name}`, root);
    assert.ok(existsSync(file), `deploy/guard/${name} is missing: ${FIX}`);
    assert.equal(readFileSync(file, 'utf8'), text, `deploy/guard/${name} differs from the guard policy the plugin emits: ${FIX}`);
  }
});
