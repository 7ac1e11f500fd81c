// One truth: on every golden case, explain and audit report what generate decides. generate's output is then fed
// back to generate (it must come out unchanged) and, as the live state once Argo CD has synced it, to audit (which
// must find it clean, for the same controller versions). An app that generate refuses for a reason audit can see is
// audited as written: audit must refuse it in the same words. A case may hold explain.txt (explain's text on the
// input) and audit.txt (audit's text on what was audited); UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { CliResult } from '../src/cli/io.js';
import { runCli } from '../src/cli/main.js';
import { kustomizeCommand } from '../src/sources/kustomize.js';
import { REFUSAL_FINDINGS } from '../src/audit/entry.js';
import { repoRoot } from './support/repo.js';

interface CaseFile {
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  needs?: 'kubectl';
}

type Obj = Record<string, any>;

const goldenRoot = join(repoRoot, 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const noKubectl = 'problem' in kustomizeCommand('kubectl', process.env, repoRoot);
/** The refusals of a base that audit, reading the live base alone, can see too. */
const REFUSALS_AUDIT_SEES: readonly string[] = ['no-clone-safe-form', 'needs-guarded', 'host-selects-base', ...REFUSAL_FINDINGS];

function run(command: string, spec: CaseFile, cwd: string, stdin: string, extra: string[] = []): Promise<CliResult> {
  const args = spec.args ?? ['.'];
  return runCli([command, ...args, ...extra], { PATH: process.env.PATH, ...spec.env }, { cwd, version: 'test', readStdin: async () => stdin });
}

function expectText(file: string, actual: string): void {
  if (update) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), file);
}

const codesOf = (stderr: string) => new Set([...stderr.matchAll(/error\[([a-z-]+)\]/g)].map((m) => m[1]!));

/** What Argo CD applies: every object in the destination namespace unless it names its own (cluster-scoped ones aside). */
function asLive(output: string, namespace: string): string {
  const items = parseAllDocuments(output, { merge: true }).map((d) => d.toJS() as Obj);
  for (const item of items) {
    if (/^admissionregistration/.test(item.apiVersion)) continue;
    item.metadata.namespace ??= namespace;
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Audit of `live` with the settings explain reported, as JSON and as text. */
async function auditOf(live: string, settings: Obj): Promise<{ data: Obj; text: string; exitCode: number }> {
  const flags = [`--rollouts-version=${settings.rolloutsVersion}`, `--ambassador-api-version=${settings.ambassadorApiVersion}`];
  if (settings.legacyTlsContext) flags.push(`--legacy-tls-context=${settings.legacyTlsContext}`);
  const io = { cwd: repoRoot, version: 'test', readStdin: async () => live };
  const json = await runCli(['audit', '-', ...flags, '--output=json'], {}, io);
  const text = await runCli(['audit', '-', ...flags], {}, io);
  assert.notEqual(json.exitCode, 2, json.stderr);
  return { data: JSON.parse(json.stdout) as Obj, text: text.stdout, exitCode: json.exitCode };
}

function agreeOnSuccess(explained: Obj, output: Obj[], audited: Obj, namespace: string): void {
  const ns = (o: Obj) => o.metadata?.namespace ?? namespace;
  for (const plan of explained.mappings) {
    const key = `${plan.rollout.namespace}/${plan.base.name}`;
    const entry = audited.mappings.find((m: Obj) => m.rollout.name === plan.rollout.name && m.base?.name === plan.base.name);
    assert.ok(entry, `audit reports ${key}`);
    if (plan.strategy === 'skip') {
      assert.equal(entry.status, 'skipped', `${key}: skipped by both`);
      continue;
    }
    const targeted: string[] = plan.targeted;
    const logics = (list: Obj[]) => list.map((p) => p.controller);
    assert.deepEqual(logics(plan.fromWritten), targeted, `${key}: explain shows the targeted controllers only`);
    assert.deepEqual(logics(plan.emitted.predictions), targeted, `${key}: explain shows the targeted controllers only`);
    assert.deepEqual(audited.controllers, targeted, `${key}: audit checks the same controllers`);
    const base = output.find((o) => o.kind === plan.base.kind && o.metadata?.name === plan.base.name && ns(o) === plan.rollout.namespace);
    assert.ok(base, `${key} is in generate's output`);
    assert.equal(base.spec.service, plan.emitted.service, `${key}: explain's emitted base is generate's`);
    assert.deepEqual(base.spec.tls, plan.emitted.tls, `${key}: explain's emitted tls is generate's`);
    const changed = base.spec.service !== plan.base.service || !isDeepEqual(base.spec.tls, plan.base.tls);
    assert.equal(plan.emitted.rewritten, changed, `${key}: explain says rewritten exactly when generate rewrote it`);
    const canary = output.find((o) => o.kind === plan.base.kind && o.metadata?.name === plan.canaryMapping && ns(o) === plan.rollout.namespace);
    assert.equal(plan.strategy === 'guarded', canary !== undefined, `${key}: a canary Mapping exactly in guarded mode`);
    if (plan.strategy === 'clone-safe') assert.equal(plan.cloneSafe, true, `${key}: generate succeeded, so explain says safe`);
    // The synced output as live state: clean, and generate would keep the base as it is.
    assert.equal(entry.status, 'clean', `${key}: audit finds generate's output clean: ${JSON.stringify(entry.findings)}`);
    assert.deepEqual(entry.cloneSafe, { ok: true, rewritten: false, service: base.spec.service, ...(base.spec.tls !== undefined ? { tls: base.spec.tls } : {}) }, `${key}: audit's clone-safe verdict keeps the emitted base`);
    if (!canary) {
      const copies = entry.copies.map((c: Obj) => [c.controller, c.service, c.tls]);
      const predicted = plan.emitted.predictions.map((p: Obj) => [p.controller, p.service, p.tls]);
      assert.deepEqual(copies, predicted, `${key}: audit and explain predict the same copies`);
    }
  }
}

/** `--name=value` and `--name value` of a case's arguments. */
function flagsOf(args: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  args.forEach((arg, i) => {
    if (!arg.startsWith('--')) return;
    const [name, value] = arg.slice(2).split(/=(.*)/s);
    flags[name!] = value ?? args[i + 1] ?? '';
  });
  return flags;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The app's files as one stream, for audit: only for a plain directory without a config file. */
function inputAsLive(dir: string): string | undefined {
  const input = join(dir, 'input');
  const files = readdirSync(input, { recursive: true, encoding: 'utf8' }).sort();
  if (files.some((f) => /(^|\/)(\.canary-mapping\.yaml|kustomization\.ya?ml)$/.test(f))) return undefined;
  return files
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.'))
    .map((f) => readFileSync(join(input, f), 'utf8'))
    .join('\n---\n');
}

describe('generate, explain and audit agree on every golden case', () => {
  for (const name of readdirSync(goldenRoot).sort()) {
    const dir = join(goldenRoot, name);
    const spec = parseYaml(readFileSync(join(dir, 'case.yaml'), 'utf8')) as CaseFile;
    it(name, async (t) => {
      if (spec.needs === 'kubectl' && noKubectl) return t.skip('kubectl not installed');
      const cwd = join(dir, 'input');
      const stdin = spec.stdin || spec.args?.includes('-') ? readFileSync(join(dir, spec.stdin ?? 'stdin.yaml'), 'utf8') : '';
      const generated = await run('generate', spec, cwd, stdin);
      const explainedJson = await run('explain', spec, cwd, stdin, ['--output=json']);
      const explainedText = await run('explain', spec, cwd, stdin);
      if (existsSync(join(dir, 'explain.txt')) || (update && name.includes('explain'))) {
        expectText(join(dir, 'explain.txt'), generated.exitCode === 0 ? explainedText.stdout : explainedText.stderr);
      }
      const namespace = spec.env?.ARGOCD_APP_NAMESPACE || 'default';
      if (generated.exitCode !== 0) {
        assert.equal(explainedJson.exitCode, generated.exitCode, 'explain fails when generate does');
        assert.equal(explainedJson.stdout, '');
        assert.ok(explainedJson.stderr.endsWith(generated.stderr), 'explain reports the problems generate reports');
        const codes = codesOf(generated.stderr);
        const live = [...codes].every((c) => REFUSALS_AUDIT_SEES.includes(c)) ? inputAsLive(dir) : undefined;
        assert.ok(live || !existsSync(join(dir, 'audit.txt')), 'a case with audit.txt is one that audit can see');
        if (!live) return;
        // Audit reads the base as written, with the settings of the command line (no config file is involved here).
        const flags = flagsOf(spec.args ?? []);
        const audited = await auditOf(live, {
          rolloutsVersion: flags['rollouts-version'] ?? 'any',
          ambassadorApiVersion: flags['ambassador-api-version'] ?? 'getambassador.io/v2',
          legacyTlsContext: flags['legacy-tls-context'],
        });
        if (existsSync(join(dir, 'audit.txt')) || (update && name.includes('audit'))) expectText(join(dir, 'audit.txt'), audited.text);
        const seen = new Set<string>(
          audited.data.mappings.flatMap((m: Obj) => [
            ...(m.cloneSafe && !m.cloneSafe.ok ? [m.cloneSafe.refusal] : []),
            ...m.findings.filter((f: Obj) => REFUSALS_AUDIT_SEES.includes(f.code)).map((f: Obj) => f.code),
          ]),
        );
        assert.deepEqual([...seen].sort(), [...codes].sort(), 'audit of the app as written refuses what generate refuses');
        for (const m of audited.data.mappings) {
          if (m.cloneSafe && !m.cloneSafe.ok) assert.doesNotMatch(m.fix, /clone-safe rewrites the base/, 'no promise of a rewrite generate refuses');
        }
        return;
      }
      assert.equal(explainedJson.exitCode, 0, explainedJson.stderr);
      const explained = JSON.parse(explainedJson.stdout) as Obj;
      const output = parseAllDocuments(generated.stdout, { merge: true }).map((d) => d.toJS() as Obj);
      const audited = await auditOf(asLive(generated.stdout, namespace), explained.settings);
      if (existsSync(join(dir, 'audit.txt')) || (update && name.includes('audit'))) expectText(join(dir, 'audit.txt'), audited.text);
      agreeOnSuccess(explained, output, audited.data, namespace);

      // generate on its own output: the same bytes (the config file still applies; Kustomize has done its work).
      const again = mkdtempSync(join(tmpdir(), 'one-truth-'));
      try {
        const configFile = join(cwd, '.canary-mapping.yaml');
        if (existsSync(configFile)) writeFileSync(join(again, '.canary-mapping.yaml'), readFileSync(configFile));
        writeFileSync(join(again, 'app.yaml'), generated.stdout);
        const args = spec.args?.[0] === '-' ? spec.args : ['.', ...(spec.args ?? []).slice(1)];
        const second = await run('generate', { ...spec, args }, again, generated.stdout);
        assert.equal(second.stderr, '', 'generate accepts its own output');
        assert.equal(second.stdout, generated.stdout, 'generate is idempotent on its own output');
      } finally {
        rmSync(again, { recursive: true, force: true });
      }
    });
  }
});
