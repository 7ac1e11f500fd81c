// `canary-mapping explain`: the plans of an app, as text or JSON.
import { explainData, explainText } from '../report/explain.js';
import type { ParsedArgs } from './args.js';
import { renderApp } from './app.js';
import { failure, type CliIo, type CliResult, type Environment } from './io.js';

/** The report on stdout; with problems, the report goes to stderr ahead of them, and stdout stays empty. */
export function explain(target: string, args: ParsedArgs, environment: Environment, io: CliIo): Promise<CliResult> {
  return renderApp(target, args.flags, environment, io, (app) => {
    const report = args.output === 'json' ? `${JSON.stringify(explainData(app.result.plans, app.settings), null, 2)}\n` : explainText(app.result.plans, app.settings);
    if (app.result.diagnostics.length === 0) return { exitCode: 0, stdout: report, stderr: '' };
    const failed = failure(app.result.diagnostics);
    // With no plan, the report would only say that nothing routes through Ambassador: the problems say why.
    return app.result.plans.length === 0 ? failed : { ...failed, stderr: `${report}\n${failed.stderr}` };
  });
}

