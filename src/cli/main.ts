// The command line: dispatches the words to one command (a module each) and returns what to print instead of
// printing, so tests can run it in-process.
import { diagnostic } from '../diagnostics/diagnostics.js';
import { didYouMean } from '../diagnostics/nearest-names.js';
import { parseArgs } from './args.js';
import { audit } from './audit.js';
import { explain } from './explain.js';
import { generate } from './generate.js';
import { usage } from './help.js';
import { EXIT_USAGE, failure, type CliIo, type CliResult, type Environment } from './io.js';
import { parameters } from './parameters.js';

const COMMANDS = ['generate', 'explain', 'audit', 'parameters', 'version'];

export async function runCli(argv: readonly string[], environment: Environment, io: CliIo): Promise<CliResult> {
  const args = parseArgs(argv);
  if (args.help || args.command === 'help') return { exitCode: 0, stdout: usage(), stderr: '' };
  if (args.diagnostics.length > 0) return failure(args.diagnostics, EXIT_USAGE);
  const extra = (allowed: number) =>
    args.positional.length > allowed
      ? failure([diagnostic('extra-arguments', `unexpected argument ${args.positional[allowed]}`, undefined, 'run `canary-mapping --help`')], EXIT_USAGE)
      : undefined;
  switch (args.command) {
    case 'generate':
      return extra(1) ?? generate(args.positional[0] ?? '.', args.flags, environment, io);
    case 'explain':
      return extra(1) ?? explain(args.positional[0] ?? '.', args, environment, io);
    case 'audit':
      if (args.positional.length === 0 && io.stdinIsTerminal?.()) {
        const hint = 'pipe kubectl into it: kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml | canary-mapping audit (or name a file)';
        return failure([diagnostic('audit-no-input', 'audit reads its input from stdin, which is a terminal here', undefined, hint)], EXIT_USAGE, 'nothing was audited');
      }
      return extra(1) ?? audit(args.positional[0] ?? '-', args, environment, io);
    case 'parameters':
      return extra(0) ?? parameters(environment, io);
    case 'version':
      return extra(0) ?? { exitCode: 0, stdout: `canary-mapping ${io.version}\n`, stderr: '' };
    case undefined:
      return failure([diagnostic('no-command', 'no command given', undefined, 'run `canary-mapping generate` (or --help)')], EXIT_USAGE);
    default:
      return failure([diagnostic('unknown-command', `unknown command ${args.command}`, undefined, didYouMean(args.command, COMMANDS, 'run `canary-mapping --help` to list the commands'))], EXIT_USAGE);
  }
}
