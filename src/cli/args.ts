// Command-line words → command, positional arguments and setting flags. Flag handling only; no behaviour.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMean } from '../diagnostics/nearest-names.js';
import { parameterName, settingKeys, settingsTable, type SettingKey } from '../settings/table.js';

export interface ParsedArgs {
  command?: string;
  positional: string[];
  flags: Partial<Record<SettingKey, string | string[]>>;
  help: boolean;
  /** `--output json` of explain and audit. */
  output?: 'text' | 'json';
  diagnostics: Diagnostic[];
}

const FLAG_KEYS = new Map(settingKeys.map((key) => [`--${parameterName(key)}`, key]));

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], flags: {}, help: false, diagnostics: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--help' || word === '-h') {
      parsed.help = true;
      continue;
    }
    if (word === '--version') {
      parsed.command ??= 'version';
      continue;
    }
    if (!word.startsWith('--') || word === '-') {
      if (parsed.command === undefined) parsed.command = word;
      else parsed.positional.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const flag = equals < 0 ? word : word.slice(0, equals);
    if (flag === '--output') {
      const value = equals < 0 ? argv[++i] : word.slice(equals + 1);
      if (value === 'json' || value === 'text') parsed.output = value;
      else parsed.diagnostics.push(diagnostic('output-invalid', `flag --output takes json or text, not ${value ?? 'nothing'}`, undefined, 'write --output json'));
      continue;
    }
    const key = FLAG_KEYS.get(flag);
    if (!key) {
      const hint = didYouMean(flag, [...FLAG_KEYS.keys(), '--output', '--help', '--version'], 'run `canary-mapping --help` to list the flags');
      parsed.diagnostics.push(diagnostic('unknown-flag', `unknown flag ${flag}`, undefined, hint));
      continue;
    }
    const value = equals < 0 ? argv[++i] : word.slice(equals + 1);
    if (value === undefined) {
      parsed.diagnostics.push(diagnostic('flag-value-missing', `flag ${flag} needs a value`, undefined, `write ${flag}=VALUE`));
      continue;
    }
    // Array flags repeat (no comma splitting: a glob may hold `{a,b}`); a repeated string flag is passed on as a
    // list so that the settings layer reports it instead of silently keeping one value.
    const previous = parsed.flags[key];
    const isArray = settingsTable[key].collectionType === 'array';
    parsed.flags[key] = previous === undefined && !isArray ? value : [...(previous === undefined ? [] : [previous].flat()), value];
  }
  return parsed;
}
