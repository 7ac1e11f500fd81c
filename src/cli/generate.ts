// `canary-mapping generate`: the CMP generate command.
import { renderStream } from '../manifests/emit.js';
import type { ParsedArgs } from './args.js';
import { renderApp } from './app.js';
import { failure, type CliIo, type CliResult, type Environment } from './io.js';

export function generate(target: string, flags: ParsedArgs['flags'], environment: Environment, io: CliIo): Promise<CliResult> {
  return renderApp(target, flags, environment, io, (app) => {
    if (app.result.diagnostics.length > 0) return failure(app.result.diagnostics);
    const kept = app.manifests.filter((manifest) => !app.result.superseded.has(manifest));
    const written = renderStream(kept, app.result);
    if ('diagnostics' in written) return failure(written.diagnostics);
    return { exitCode: 0, stdout: written.stream, stderr: '' };
  });
}

