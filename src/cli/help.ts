// `canary-mapping --help`: the commands and every setting's flag, from the settings table.
import { parameterName, settingKeys, settingsTable } from '../settings/table.js';
import { CONFIG_FILE } from './app.js';

/** Where the descriptions of commands and flags start. */
const HELP_COLUMN = 44;

/** A flag and its title; a flag too wide for the column puts its title on the next line, so the two never touch. */
function helpRow(flag: string, title: string): string {
  const left = `  ${flag}`;
  return left.length + 2 <= HELP_COLUMN ? `${left.padEnd(HELP_COLUMN)}${title}` : `${left}\n${' '.repeat(HELP_COLUMN)}${title}`;
}

export function usage(): string {
  const flags = settingKeys.map((key) => helpRow(`--${parameterName(key)}=${settingsTable[key].placeholder}`, settingsTable[key].title)).join('\n');
  return `canary-mapping: Argo CD plugin that keeps Argo Rollouts canary Mappings on their declared upstream

Usage:
  canary-mapping generate [DIR|-] [flags]   render DIR (default .) or stdin; the CMP generate command
  canary-mapping explain [DIR|-] [flags]    per Rollout and base Mapping: declared canary, what each controller
                                            version creates, strategy, verdict (--output json for scripts)
  canary-mapping audit [FILE|-] [flags]     check live canary Mappings (kubectl get rollouts.argoproj.io,
                                            mappings.getambassador.io -A -o yaml) against the declared canaries;
                                            exit 1 on findings (--output json for scripts)
  canary-mapping parameters                 print the parameter announcement (CMP parameters.dynamic)
  canary-mapping version                    print the version

Flags (override Application parameters, env and ${CONFIG_FILE}; array flags may repeat):
${flags}

Manifests go to stdout; problems go to stderr as file:line:column, and the exit status is non-zero.
`;
}

