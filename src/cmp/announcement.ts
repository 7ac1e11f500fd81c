// What Argo CD shows in the Application's parameter form: `canary-mapping parameters` prints it, and the generated
// plugin files (scripts/docs/) announce it.
import { parameterName, settingKeys, settingsTable, type CollectionType, type SettingKey, type Settings } from '../settings/table.js';

export interface ParameterAnnouncement {
  name: string;
  title: string;
  tooltip: string;
  collectionType: CollectionType;
  /** The default, under the key named by collectionType. Argo CD never sends it back: the plugin applies its own. */
  string?: string;
  array?: string[];
}

/**
 * `parameters.static` of cmp-plugin.yaml and the output of `canary-mapping parameters`, in table order. `current`:
 * what the app's config file sets, shown as the default, since that is what applies when the parameter is not given.
 */
export function parameterAnnouncement(keys: readonly SettingKey[] = settingKeys, current: Partial<Settings> = {}): ParameterAnnouncement[] {
  return keys.map((key) => {
    const { title, description, collectionType } = settingsTable[key];
    // The Argo CD UI shows tooltips as plain text, where Markdown backticks are noise.
    const tooltip = description.replaceAll('`', '');
    return { name: parameterName(key), title, tooltip, collectionType, [collectionType]: current[key] ?? settingsTable[key].default };
  });
}
