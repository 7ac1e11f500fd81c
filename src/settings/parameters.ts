// Argo CD hands an Application's plugin parameters over twice (ApplicationSourcePluginParameters.Environ): as the JSON
// array ARGOCD_APP_PARAMETERS and as PARAM_<NAME> (a string) or PARAM_<NAME>_<i> (array items) variables. This reads
// both into raw values and checks their shape; resolveSettings validates the values like those of every other source.
import * as z from 'zod/mini';
import { diagnostic, inputName, quoteInput, type Diagnostic } from '../diagnostics/diagnostics.js';
import { keyPath, unknownNameHint, validate } from './validation.js';
import { paramVariableName, parameterName, settingKeys, settingsTable, type SettingKey } from './table.js';

/** A value as a source gave it, before validation; `source` names where it came from in diagnostics. */
export interface SourcedValue {
  key: SettingKey;
  value: string | string[];
  source: string;
}

export interface ParameterValues {
  /** From ARGOCD_APP_PARAMETERS, which takes precedence. */
  appParameters: SourcedValue[];
  /** From PARAM_* variables that ARGOCD_APP_PARAMETERS does not already carry. */
  paramVariables: SourcedValue[];
  diagnostics: Diagnostic[];
}

const APP_PARAMETERS = 'ARGOCD_APP_PARAMETERS';
const keyByName = new Map(settingKeys.map((key) => [parameterName(key), key]));
const keyByVariable = new Map(settingKeys.map((key) => [paramVariableName(parameterName(key)), key]));

/** One entry as Argo CD marshals it; other fields are ignored so that a newer Argo CD does not break the plugin. */
const parameterEntry = z.object({
  name: z.string(),
  string: z.optional(z.string()),
  array: z.optional(z.array(z.string())),
  map: z.optional(z.record(z.string(), z.string())),
});

const KINDS = { string: 'a string', array: 'an array', map: 'a map' } as const;
type Kind = keyof typeof KINDS;

function malformed(message: string): Diagnostic {
  return diagnostic(
    'parameters-malformed',
    message,
    undefined,
    `Argo CD sets ${APP_PARAMETERS} from spec.source.plugin.parameters of the Application; set by hand, it must look like [{"name":"rollouts-version","string":"1.6"}]`,
  );
}

function mismatch(source: string, given: Kind, key: SettingKey): Diagnostic {
  const expected = settingsTable[key].collectionType;
  return diagnostic(
    'setting-collection-mismatch',
    `${source}: given as ${KINDS[given]}; expected ${KINDS[expected]}`,
    undefined,
    `${parameterName(key)} is ${KINDS[expected]} parameter: give it as \`${expected}:\` in spec.source.plugin.parameters of the Application`,
  );
}

/** A parameter given twice: the value a source would keep is not clear, so neither is taken. */
function givenTwice(what: string, first: string, second: string): Diagnostic {
  return diagnostic('parameter-repeated', `${what} is given twice: as ${first} and as ${second}`, undefined, 'give each parameter once in spec.source.plugin.parameters of the Application');
}

function unknownParameter(source: string, given: string, known: Iterable<string>): Diagnostic {
  return diagnostic('unknown-setting', `${source}: not a parameter of this plugin`, undefined, unknownNameHint(given, [...known]));
}

/** What ARGOCD_APP_PARAMETERS gave, by the PARAM_ variable Argo CD derives from each entry. */
type GivenByVariable = Map<string, { entry: z.infer<typeof parameterEntry>; index: number }>;

function readAppParameters(text: string | undefined): { values: SourcedValue[]; given: GivenByVariable; diagnostics: Diagnostic[] } {
  const result = { values: [] as SourcedValue[], given: new Map() as GivenByVariable, diagnostics: [] as Diagnostic[] };
  const firstIndex = new Map<string, number>();
  // Unset when the plugin has no parameters section, `null` when it is empty.
  if (text === undefined || text.trim() === 'null') return result;
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    result.diagnostics.push(malformed(`${APP_PARAMETERS} is not valid JSON: ${(error as Error).message}`));
    return result;
  }
  if (!Array.isArray(list)) {
    result.diagnostics.push(malformed(`${APP_PARAMETERS} is ${quoteInput(list)}; expected a JSON array of parameters`));
    return result;
  }
  list.forEach((raw: unknown, index) => {
    const { data, issues } = validate(parameterEntry, raw);
    const entry = data as z.infer<typeof parameterEntry>;
    if (issues.length > 0) {
      const problems = issues.map((issue) => `${issue.path.length > 0 ? `${keyPath(issue.path)}: ` : ''}${issue.message}`);
      result.diagnostics.push(malformed(`${APP_PARAMETERS}[${index}] ${quoteInput(raw)}: ${problems.join('; ')}`));
      return;
    }
    if (!result.given.has(paramVariableName(entry.name))) result.given.set(paramVariableName(entry.name), { entry, index });
    const source = `parameter ${inputName(entry.name)} in ${APP_PARAMETERS}`;
    const first = firstIndex.get(entry.name);
    if (first !== undefined) {
      result.diagnostics.push(givenTwice(source, `${APP_PARAMETERS}[${first}]`, `${APP_PARAMETERS}[${index}]`));
      return;
    }
    firstIndex.set(entry.name, index);
    const key = keyByName.get(entry.name);
    if (!key) {
      result.diagnostics.push(unknownParameter(source, entry.name, keyByName.keys()));
      return;
    }
    const expected = settingsTable[key].collectionType;
    const wrong = (Object.keys(KINDS) as Kind[]).filter((kind) => kind !== expected && entry[kind] !== undefined);
    result.diagnostics.push(...wrong.map((kind) => mismatch(source, kind, key)));
    // An entry with only a name sets nothing: the next source or the default applies.
    const value = entry[expected];
    if (wrong.length === 0 && value !== undefined) result.values.push({ key, value, source });
  });
  return result;
}

/**
 * The ARGOCD_APP_PARAMETERS entry a PARAM_ variable is derived from (PARAM_<NAME>, or PARAM_<NAME>_<i> or _<KEY>), if
 * any, and what Argo CD would have set it to: undefined for a map key, which no setting takes. Only prefixes as long
 * as some entry's variable are looked up, so a long name costs no more than its length times the entries' lengths.
 */
function derivedFrom(variable: string, given: GivenByVariable, lengths: ReadonlySet<number>): { origin: string; expected: string | undefined } | undefined {
  for (let end = variable.length; end > 0; end = variable.lastIndexOf('_', end - 1)) {
    const found = lengths.has(end) ? given.get(variable.slice(0, end)) : undefined;
    if (!found) continue;
    const origin = `${APP_PARAMETERS}[${found.index}]`;
    const rest = variable.slice(end + 1);
    if (rest === '') return { origin, expected: found.entry.string };
    return { origin, expected: /^\d+$/.test(rest) && found.entry.array ? (found.entry.array[Number(rest)] ?? '') : undefined };
  }
  return undefined;
}

function readParamVariables(environment: Record<string, string | undefined>, given: GivenByVariable) {
  const values: SourcedValue[] = [];
  const diagnostics: Diagnostic[] = [];
  const items = new Map<SettingKey, { index: number; value: string; variable: string }[]>();
  const variables = Object.keys(environment).filter((name) => name.startsWith('PARAM_')).sort();
  const lengths = new Set([...given.keys()].map((base) => base.length));
  for (const variable of variables) {
    const value = environment[variable];
    if (value === undefined) continue;
    // Argo CD derives these from ARGOCD_APP_PARAMETERS: reading them again would report every problem twice. One that
    // says otherwise was set by someone else, and which value is meant cannot be told.
    const derived = derivedFrom(variable, given, lengths);
    if (derived) {
      if (derived.expected !== undefined && derived.expected !== value) diagnostics.push(givenTwice(`parameter ${inputName(variable)}`, derived.origin, `${variable} with another value`));
      continue;
    }
    const stringKey = keyByVariable.get(variable);
    const item = /^(.+)_(\d+)$/.exec(variable);
    const itemKey = item && keyByVariable.get(item[1]!);
    if (stringKey) {
      if (settingsTable[stringKey].collectionType === 'string') values.push({ key: stringKey, value, source: variable });
      else diagnostics.push(mismatch(variable, 'string', stringKey));
    } else if (item && itemKey) {
      if (settingsTable[itemKey].collectionType === 'array') items.set(itemKey, [...(items.get(itemKey) ?? []), { index: Number(item[2]), value, variable }]);
      else diagnostics.push(mismatch(variable, 'array', itemKey));
    } else {
      diagnostics.push(unknownParameter(inputName(variable), variable, keyByVariable.keys()));
    }
  }
  for (const [key, list] of items) {
    const sorted = list.sort((a, b) => a.index - b.index);
    // PARAM_X_1 and PARAM_X_01 are both item 1.
    const repeated = sorted.find((entry, position) => position > 0 && sorted[position - 1]!.index === entry.index);
    const source = `${paramVariableName(parameterName(key))}_<i>`;
    if (repeated) diagnostics.push(givenTwice(`item ${repeated.index} of ${source}`, sorted[sorted.indexOf(repeated) - 1]!.variable, repeated.variable));
    else values.push({ key, value: sorted.map((entry) => entry.value), source });
  }
  return { values, diagnostics };
}

/** Reads the parameter variables of a CMP command's environment. */
export function readParameters(environment: Record<string, string | undefined>): ParameterValues {
  const app = readAppParameters(environment[APP_PARAMETERS]);
  const variables = readParamVariables(environment, app.given);
  return { appParameters: app.values, paramVariables: variables.values, diagnostics: [...app.diagnostics, ...variables.diagnostics] };
}
