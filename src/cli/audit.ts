// `canary-mapping audit`: live objects from a file or stdin, checked against the plans generate would make.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { audit as auditObjects } from '../audit/audit.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { fileTooLarge } from '../input/load-directory.js';
import { parseManifests } from '../input/parse.js';
import { readTextFile, type ReadResult } from '../input/read-file.js';
import { auditData, auditText, findingCount } from '../report/audit.js';
import { limitsOf, type Limit } from '../settings/limits.js';
import { resolveSettings } from '../settings/resolve.js';
import type { SettingKey } from '../settings/table.js';
import { stdinText } from '../sources/source.js';
import type { ParsedArgs } from './args.js';
import { EXIT_PROBLEMS, EXIT_USAGE, failure, stdinReader, type CliIo, type CliResult, type Environment } from './io.js';

/** The settings audit reads: which controller logics to check, and the API the controller reads bases through. */
// max-file-size too: a whole cluster's dump can be larger than one app's file.
// legacy-tls-context too: whether generate finds a clone-safe form of a v3alpha1 https:// base depends on it.
export const AUDIT_SETTINGS: readonly SettingKey[] = ['rolloutsVersion', 'ambassadorApiVersion', 'legacyTlsContext', 'serviceNamespace', 'maxFileSize'];

const NOT_READABLE: Record<string, string> = { ENOENT: 'does not exist', EISDIR: 'is a directory', EACCES: 'is not readable' };

/** The file or stdin, within the size limit; UTF-8 without its byte order mark. */
async function readAuditInput(target: string, limit: Limit, io: CliIo): Promise<ReadResult> {
  if (target === '-') return stdinText(await stdinReader(io)(limit.value), limit);
  const path = resolve(io.cwd, target);
  const hint = 'pass a file written by `kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml`, or - to read stdin';
  let code: string | undefined;
  try {
    if (statSync(path).isDirectory()) code = 'EISDIR';
  } catch (error) {
    code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  }
  if (code) return { problem: diagnostic('audit-input-unreadable', `${target} ${NOT_READABLE[code] ?? `cannot be read (${code})`}`, undefined, hint) };
  // Within the size limit, and never a FIFO or device (`audit /dev/zero` would read forever).
  return readTextFile(path, target, { maxBytes: limit.value, tooLarge: (size) => fileTooLarge(target, size, limit) });
}

/**
 * Live objects in, a report out. Findings are the requested output, so the report goes to stdout with exit 1; bad
 * input (exit 2) prints nothing there. No `.canary-mapping.yaml` is read: live objects are not an app directory.
 */
export async function audit(target: string, args: ParsedArgs, environment: Environment, io: CliIo): Promise<CliResult> {
  const refuse = (diagnostics: readonly Diagnostic[]) => failure(diagnostics, EXIT_USAGE, 'nothing was audited');
  // Flags other than AUDIT_SETTINGS were refused before (main.ts).
  const { settings, diagnostics: settingProblems } = resolveSettings({ flags: args.flags, environment });
  if (settingProblems.length > 0) return refuse(settingProblems);
  const limits = limitsOf(settings);
  const read = await readAuditInput(target, limits.maxFileSize, io);
  if ('problem' in read) return refuse([read.problem]);
  // A dump of a whole cluster can be far larger than one app: the document limit is not the app's here.
  const parsed = parseManifests({ path: target === '-' ? '<stdin>' : target, text: read.text }, { limits, documentBudget: Infinity });
  if (parsed.diagnostics.length === 0 && parsed.manifests.length === 0) {
    const hint = 'check the kubectl context and namespace: kubectl get rollouts.argoproj.io,mappings.getambassador.io -A -o yaml';
    parsed.diagnostics.push(diagnostic('audit-no-objects', `found no Kubernetes objects in ${target === '-' ? 'stdin' : target}`, undefined, hint));
  }
  // The parser's hint speaks of app directories; the audit input is a dump of live objects.
  const hint = 'audit reads what `kubectl get … -o yaml` or `-o json` prints: Kubernetes objects, or Lists of them';
  if (parsed.diagnostics.length > 0) return refuse(parsed.diagnostics.map((d) => (d.code === 'not-an-object' ? { ...d, hint } : d)));
  const result = auditObjects(parsed.manifests, settings);
  if (result.diagnostics.length > 0) return refuse(result.diagnostics);
  const report = args.output === 'json' ? `${JSON.stringify(auditData(result, settings), null, 2)}\n` : auditText(result, settings);
  return { exitCode: findingCount(result) > 0 ? EXIT_PROBLEMS : 0, stdout: report, stderr: '' };
}

