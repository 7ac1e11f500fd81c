// The command line: dispatches the words to one command (a module each) and returns what to print instead of
// printing, so tests can run it in-process.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMean } from '../diagnostics/nearest-names.js';
import { resolveSettings } from '../settings/resolve.js';
import { parameterName, settingKeys, type SettingKey } from '../settings/table.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { audit, AUDIT_SETTINGS } from './audit.js';
import { explain } from './explain.js';
import { generate } from './generate.js';
import { usage } from './help.js';
import { EXIT_USAGE, failure, type CliIo, type CliResult, type Environment } from './io.js';
import { NOTHING_ANNOUNCED, parameters } from './parameters.js';

interface Command {
  /** How many arguments it takes, and where it reads stdin: `-`, or also no argument at all (audit). */
  arguments: 0 | 1;
  stdin?: 'dash' | 'dash-or-none';
  /** The setting flags it reads, and whether it writes a report that --output shapes. */
  settings: readonly SettingKey[];
  output: boolean;
  /** The end of the summary line when it fails. */
  outcome: string;
}

const COMMANDS: Record<string, Command> = {
  generate: { arguments: 1, stdin: 'dash', settings: settingKeys, output: false, outcome: 'nothing was rendered' },
  explain: { arguments: 1, stdin: 'dash', settings: settingKeys, output: true, outcome: 'nothing was rendered' },
  audit: { arguments: 1, stdin: 'dash-or-none', settings: AUDIT_SETTINGS, output: true, outcome: 'nothing was audited' },
  parameters: { arguments: 0, settings: [], output: false, outcome: NOTHING_ANNOUNCED },
  version: { arguments: 0, settings: [], output: false, outcome: 'nothing was printed' },
};

/** What `name` takes, for the hint of a flag it does not. */
function takes(name: string, command: Command): string {
  const flags = command.settings === settingKeys ? ['the setting flags'] : command.settings.map((key) => `--${parameterName(key)}`);
  if (command.output) flags.push('--output');
  const list = flags.length > 1 ? `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}` : flags.join('');
  return flags.length === 0 ? `${name} takes no flags` : `${name} takes ${list}${command.output ? '' : '; --output is for explain and audit'}`;
}

/** A command refuses what does not apply to it rather than ignore it: surplus arguments, flags, a terminal for stdin. */
function refusals(name: string, command: Command, args: ParsedArgs, io: CliIo): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const surplus = args.positional[command.arguments];
  if (surplus !== undefined) problems.push(diagnostic('extra-arguments', `unexpected argument ${surplus}`, undefined, 'run `canary-mapping --help`'));
  const given = [...(Object.keys(args.flags) as SettingKey[]).filter((key) => !command.settings.includes(key)).map((key) => `--${parameterName(key)}`)];
  if (args.output !== undefined && !command.output) given.push('--output');
  for (const flag of given) problems.push(diagnostic('flag-not-for-command', `flag ${flag} does not apply to ${name}`, undefined, takes(name, command)));
  const target = args.positional[0];
  const readsStdin = target === '-' || (target === undefined && command.stdin === 'dash-or-none');
  if (command.stdin && readsStdin && io.stdinIsTerminal?.()) {
    const hint =
      name === 'audit'
        ? 'pipe kubectl into it: kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml | canary-mapping audit (or name a file)'
        : `pipe manifests into it, or name the app directory: canary-mapping ${name} DIR`;
    problems.push(diagnostic('stdin-is-terminal', `${name} would read its input from stdin, which is a terminal here`, undefined, hint));
  }
  return problems;
}

export async function runCli(argv: readonly string[], environment: Environment, io: CliIo): Promise<CliResult> {
  const args = parseArgs(argv);
  if (args.help || args.command === 'help') return { exitCode: 0, stdout: usage(), stderr: '' };
  const command = args.command !== undefined && Object.hasOwn(COMMANDS, args.command) ? COMMANDS[args.command] : undefined;
  const outcome = command?.outcome ?? 'nothing was done';
  if (args.diagnostics.length > 0) return failure(args.diagnostics, EXIT_USAGE, outcome);
  if (args.command === undefined) return failure([diagnostic('no-command', 'no command given', undefined, 'run `canary-mapping generate` (or --help)')], EXIT_USAGE, outcome);
  if (!command) {
    const hint = didYouMean(args.command, Object.keys(COMMANDS), 'run `canary-mapping --help` to list the commands');
    return failure([diagnostic('unknown-command', `unknown command ${args.command}`, undefined, hint)], EXIT_USAGE, outcome);
  }
  const refused = refusals(args.command, command, args, io);
  if (refused.length > 0) {
    // The whole command line is checked at once: the values of the flags that do apply too.
    const applicable = Object.fromEntries(Object.entries(args.flags).filter(([key]) => command.settings.includes(key as SettingKey)));
    return failure([...refused, ...resolveSettings({ flags: applicable, environment: {} }).diagnostics], EXIT_USAGE, outcome);
  }
  switch (args.command) {
    case 'generate':
      return generate(args.positional[0] ?? '.', args.flags, environment, io);
    case 'explain':
      return explain(args.positional[0] ?? '.', args, environment, io);
    case 'audit':
      return audit(args.positional[0] ?? '-', args, environment, io);
    case 'parameters':
      return parameters(environment, io);
    default:
      return { exitCode: 0, stdout: `canary-mapping ${io.version}\n`, stderr: '' };
  }
}
