// Writes what is generated from the code: cmp-plugin.yaml, deploy/cmp-plugin-helm.yaml and the settings block of
// docs/settings.md from the settings table, docs/errors.md from the error-code table, deploy/guard/ from the guard
// policy, and the install kit (deploy/sidecar, deploy/argo-cd-chart, deploy/argocd-operator) from scripts/docs/install-kit.ts.
// The generators live in scripts/docs/: the plugin itself never runs them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HELM_PLUGIN_FILE } from '../src/cmp/helm-plugin.js';
import { renderObjects } from '../src/manifests/emit.js';
import { defaultSettings } from '../src/settings/table.js';
import { guardPolicyFiles } from './docs/guard-policy.js';
import { renderHelmPluginYaml } from './docs/helm-plugin.js';
import { installKitFiles } from './docs/install-kit.js';
import { renderPluginYaml } from './docs/plugin-file.js';
import { SETTINGS_PAGE, withSettingsBlock } from './docs/settings-page.js';
import { ERRORS_PAGE, renderErrorsPage } from './docs/error-codes.js';

// This runs compiled, as build/scripts/generate-docs.js: the repository root is two levels up.
const root = pathToFileURL(join(__dirname, '..', '..', '/'));
writeFileSync(new URL('cmp-plugin.yaml', root), renderPluginYaml());
mkdirSync(new URL('deploy/guard/', root), { recursive: true });
for (const [name, text] of Object.entries(guardPolicyFiles(renderObjects, defaultSettings.rolloutsServiceAccount))) {
  writeFileSync(new URL(`deploy/guard/${name}`, root), text);
}
writeFileSync(new URL(HELM_PLUGIN_FILE, root), renderHelmPluginYaml());
for (const [path, text] of Object.entries(installKitFiles())) {
  mkdirSync(new URL(dirname(path) + '/', root), { recursive: true });
  writeFileSync(new URL(path, root), text);
}
mkdirSync(new URL(dirname(ERRORS_PAGE) + '/', root), { recursive: true });
writeFileSync(new URL(ERRORS_PAGE, root), renderErrorsPage());

const settingsFile = new URL(SETTINGS_PAGE, root);
const settings = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
const updated = settings === undefined ? undefined : withSettingsBlock(settings);
if (updated === undefined) {
  process.stderr.write(
    `generate-docs: left ${SETTINGS_PAGE} alone: it is missing or lacks the lines <!-- settings:begin --> and <!-- settings:end -->\n`,
  );
  process.exitCode = 1;
} else if (updated !== settings) {
  writeFileSync(settingsFile, updated);
}
