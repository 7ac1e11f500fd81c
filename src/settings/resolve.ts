// Merges every source of the settings. Precedence, highest first: command-line flags, ARGOCD_APP_PARAMETERS, PARAM_*,
// Application env (ARGOCD_ENV_CANARY_MAPPING_*), the config file, the defaults. Every source is checked in full even
// where a higher one wins, so that a mistake shows now and not on the day the higher source is removed.
import { diagnostic, inputName, type Diagnostic } from '../diagnostics/diagnostics.js';
import { characterClassAt } from '../manifests/glob.js';
import { readParameters, type SourcedValue } from './parameters.js';
import { parseConfigFile } from './config-file.js';
import { invalidValue, settingHint, unknownNameHint, validate } from './validation.js';
import type { LocatedMappingConfig } from './mapping-config.js';
import { applicationSchema, defaultSettings, environmentName, parameterName, type SettingKey, settingKeys, type Settings, settingsTable } from './table.js';

export interface ResolveInput {
  flags: Partial<Record<SettingKey, string | string[]>>;
  environment: Record<string, string | undefined>;
  configFile?: { path: string; text: string };
}

const ENV_PREFIX = 'ARGOCD_ENV_';
const keyByEnvironment = new Map(settingKeys.map((key) => [ENV_PREFIX + environmentName(key), key]));

/**
 * `a, b,,c` → `[a, b, c]`: how an array setting is written in one env variable. A comma inside braces or inside a
 * character class belongs to the glob (`*.{test,fixture}.yaml` and `x[,]y.yaml` are one item each), and so does a
 * brace in a class (`a[{].yaml`); a `}` that closes nothing is left for the setting's check to report.
 */
function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const characterClass = characterClassAt(text, i);
    if (characterClass) i = characterClass.end;
    else if (char === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if (char === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function readFlags(flags: ResolveInput['flags']): { values: SourcedValue[]; diagnostics: Diagnostic[] } {
  const values: SourcedValue[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const key of settingKeys) {
    const value = flags[key];
    const source = `flag --${parameterName(key)}`;
    if (value === undefined) continue;
    if (settingsTable[key].collectionType === 'array') values.push({ key, value: typeof value === 'string' ? splitList(value) : value, source });
    else if (typeof value === 'string') values.push({ key, value, source });
    else diagnostics.push(diagnostic('setting-collection-mismatch', `${source}: given ${value.length} times; expected one value`, undefined, `give --${parameterName(key)} once`));
  }
  return { values, diagnostics };
}

function readEnvironment(environment: ResolveInput['environment']): { values: SourcedValue[]; diagnostics: Diagnostic[] } {
  const values: SourcedValue[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const variable of Object.keys(environment).sort()) {
    const value = environment[variable];
    // Argo CD keeps the case of Application env names, so `canary_mapping_…` is meant for this plugin too.
    // Every other ARGOCD_ENV_* belongs to the user.
    if (value === undefined || !variable.toUpperCase().startsWith(`${ENV_PREFIX}CANARY_MAPPING_`)) continue;
    const key = keyByEnvironment.get(variable);
    if (key) values.push({ key, value: settingsTable[key].collectionType === 'array' ? splitList(value) : value, source: variable });
    else diagnostics.push(diagnostic('unknown-setting', `${inputName(variable)}: not a setting of this plugin`, undefined, unknownNameHint(variable, [...keyByEnvironment.keys()])));
  }
  return { values, diagnostics };
}

/** Flags come from the plugin's own command line; every other source from the Application or the repository. */
function validateSource(values: SourcedValue[], fromFlags: boolean): { values: Partial<Settings>; diagnostics: Diagnostic[] } {
  const valid: Partial<Record<SettingKey, unknown>> = {};
  const diagnostics: Diagnostic[] = [];
  for (const { key, value, source } of values) {
    const { data, issues } = validate(fromFlags ? settingsTable[key].schema : applicationSchema(key), value);
    if (issues.length === 0) valid[key] = data;
    for (const issue of issues) {
      const where = issue.path.length > 0 ? `item ${issue.path.join('.')} of ${source}` : source;
      diagnostics.push(invalidValue(where, issue, settingHint(key)));
    }
  }
  return { values: valid as Partial<Settings>, diagnostics };
}

/**
 * The settings in effect and every problem found in any source; callers stop on any diagnostic. `commandLine` says
 * whether a flag is among the problems: the command line is then wrong, which the exit status tells apart.
 */
export function resolveSettings(input: ResolveInput): {
  settings: Settings;
  mappings: Record<string, LocatedMappingConfig>;
  diagnostics: Diagnostic[];
  commandLine: boolean;
} {
  const flags = readFlags(input.flags);
  const parameters = readParameters(input.environment);
  const environment = readEnvironment(input.environment);
  const config = input.configFile ? parseConfigFile(input.configFile.path, input.configFile.text) : { values: {}, mappings: {}, diagnostics: [] };
  const sources = [flags.values, parameters.appParameters, parameters.paramVariables, environment.values].map((values) => validateSource(values, values === flags.values));
  const settings: Settings = Object.assign({}, defaultSettings, config.values, ...sources.map((source) => source.values).reverse());
  const diagnostics = [
    ...flags.diagnostics,
    ...parameters.diagnostics,
    ...environment.diagnostics,
    ...sources.flatMap((source) => source.diagnostics),
    ...config.diagnostics,
  ];
  return { settings, mappings: config.mappings, diagnostics, commandLine: flags.diagnostics.length + sources[0]!.diagnostics.length > 0 };
}
