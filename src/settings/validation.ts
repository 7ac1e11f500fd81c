// Value checks shared by every settings source (config file, flags, parameters, env), so all of them word a bad
// value, an unknown name and a key path alike. zod's issues become diagnostics here and nowhere else.
import * as z from 'zod/mini';
import type { $ZodIssue, $ZodRawIssue } from 'zod/v4/core';
import { diagnostic, quoteInput, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostics.js';
import { didYouMean } from '../diagnostics/nearest-names.js';
import { settingKeys, settingsTable, type SettingKey } from './table.js';

export type Issue = $ZodIssue;

/** Zod's own wording ("Invalid input") does not say what to write; messages written in the table take precedence. */
function expectedMessage(issue: $ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected === 'array' ? 'a list' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`}`;
  }
  // Only the mappings record has a key schema.
  if (issue.code === 'invalid_key') return 'expected the name of a base Mapping (a Kubernetes object name)';
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((value) => JSON.stringify(value)).join(', ');
    return `expected ${issue.values.length > 1 ? 'one of ' : ''}${values}`;
  }
  return undefined;
}

/** Checks a value; keeps one issue per offending value (a value failing a regex also fails later refinements). */
export function validate(schema: z.ZodMiniType, value: unknown): { data: unknown; issues: Issue[] } {
  const result = schema.safeParse(value, { error: expectedMessage, reportInput: true });
  if (result.success) return { data: result.data, issues: [] };
  const paths = result.error.issues.map((issue) => JSON.stringify(issue.path));
  return { data: undefined, issues: result.error.issues.filter((_, index) => paths.indexOf(paths[index]!) === index) };
}

/** `<where>: invalid value "0.9": <what was expected>`. */
export function invalidValue(where: string, issue: Issue, hint: string | undefined, location?: SourceLocation): Diagnostic {
  return diagnostic('invalid-setting', `${where}: invalid value ${quoteInput(issue.input)}: ${issue.message}`, location, hint);
}

/** What a setting accepts, in a line, as the hint for a bad value; undefined for a config key that is not a setting. */
export function settingHint(key: PropertyKey | undefined): string | undefined {
  if (!settingKeys.includes(key as SettingKey)) return undefined;
  const { title, format } = settingsTable[key as SettingKey];
  return `${title}: ${format}`;
}

/** The nearest known names (`did you mean rollouts-version?`); a short list in full; else where the names are listed. */
export function unknownNameHint(given: string, known: string[]): string {
  const otherwise = known.length <= 4 ? `expected ${known.join(', ')}` : 'docs/settings.md lists every setting under each of its names';
  return didYouMean(given, known, otherwise);
}

/** `exclude[1]`, `mappings.web.canary`: the key path as the user reads it in the file. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index ? '.' : ''}${String(segment)}`)).join('');
}
