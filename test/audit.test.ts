// `canary-mapping audit` end to end, in-process through runCli. test/audit/cases/<case>/case.yaml gives the arguments
// (run in test/audit/inputs), optional stdin file and the exit status; expected.txt or expected.json is the exact
// stdout, expected-error.txt the exact stderr of a case that exits 2.
// UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { argoObjects } from './support/argo-reading.js';
import { FINDING_CODES } from '../src/audit/entry.js';
import { runCli } from '../src/cli/main.js';
import { repoRoot } from './support/repo.js';

interface AuditCase {
  description: string;
  args: string[];
  stdin?: string;
  exitCode: 0 | 1 | 2;
}

const root = join(repoRoot, 'test', 'audit');
const inputs = join(root, 'inputs');
const update = process.env.UPDATE_GOLDEN === '1';

type Obj = Record<string, any>;

/** The JSON report's contract with scripts, beyond the bytes of one case. */
function checkJsonShape(report: Obj, exitCode: number): void {
  assert.deepEqual(Object.keys(report), ['settings', 'controllers', 'clean', 'findings', 'mappings']);
  assert.equal(report.clean, exitCode === 0);
  const findings = report.mappings.flatMap((m: Obj) => m.findings);
  assert.equal(report.findings, findings.length);
  for (const mapping of report.mappings) {
    assert.match(mapping.status, /^(findings|clean|skipped)$/);
    assert.equal(mapping.status === 'findings', mapping.findings.length > 0);
    assert.equal(typeof mapping.fix === 'string', mapping.findings.length > 0, 'a fix exactly where there are findings');
    for (const finding of mapping.findings) {
      assert.ok((FINDING_CODES as readonly string[]).includes(finding.code), finding.code);
      assert.match(`${finding.location.file}:${finding.location.line}:${finding.location.column}`, /^[^:]+:\d+:\d+$/);
    }
  }
}

describe('audit cases', () => {
  const casesRoot = join(root, 'cases');
  for (const name of readdirSync(casesRoot).sort()) {
    const dir = join(casesRoot, name);
    const spec = parseYaml(readFileSync(join(dir, 'case.yaml'), 'utf8')) as AuditCase;
    it(`${name}: ${spec.description}`, async () => {
      const readStdin = async () => readFileSync(join(inputs, spec.stdin!), 'utf8');
      const result = await runCli(spec.args, {}, { cwd: inputs, version: 'test', ...(spec.stdin ? { readStdin } : {}) });
      assert.equal(result.exitCode, spec.exitCode, result.stderr);
      const json = /--output[= ]json/.test(spec.args.join(' '));
      const [expectedFile, actual] =
        spec.exitCode === 2 ? ['expected-error.txt', result.stderr] : [json ? 'expected.json' : 'expected.txt', result.stdout];
      if (update) writeFileSync(join(dir, expectedFile), actual);
      assert.equal(actual, readFileSync(join(dir, expectedFile), 'utf8'));
      if (spec.exitCode === 2) {
        assert.equal(result.stdout, '', 'nothing on stdout on bad input');
        assert.match(result.stderr, /error\[[a-z-]+\]/);
        assert.match(result.stderr, /nothing was audited\n$/);
      } else {
        assert.equal(result.stderr, '', 'the report, findings included, goes to stdout');
        if (json) checkJsonShape(JSON.parse(result.stdout), spec.exitCode);
      }
    });
  }
});

describe('audit command line', () => {
  const run = (argv: string[]) => runCli(argv, {}, { cwd: inputs, version: 'test' });

  it('is listed in --help', async () => {
    assert.match((await run(['--help'])).stdout, /^  canary-mapping audit \[FILE\|-\] \[flags\]/m);
  });

  it('refuses unknown flags and extra arguments with exit 2 and nothing on stdout', async () => {
    for (const [argv, code] of [
      [['audit', 'cluster.yaml', '--namespace=iam'], 'unknown-flag'],
      [['audit', 'cluster.yaml', '--output=yaml'], 'output-invalid'],
      [['audit', 'cluster.yaml', 'payments.json'], 'extra-arguments'],
    ] as const) {
      const result = await run([...argv]);
      assert.equal(result.exitCode, 2, code);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
    }
  });
});

describe('audit of what generate renders', () => {
  const goldenRoot = join(repoRoot, 'test', 'golden');
  /** The settings audit shares with generate, from a golden case's arguments. */
  const auditFlags = (args: readonly string[]) =>
    args.flatMap((arg, i) => (/^--(rollouts-version|ambassador-api-version)=/.test(arg) ? [arg] : /^--(rollouts-version|ambassador-api-version)$/.test(arg) ? [`${arg}=${args[i + 1]}`] : []));

  it('finds every successful golden render clean, before any canary exists', async () => {
    for (const name of readdirSync(goldenRoot).filter((n) => !n.startsWith('error-'))) {
      const spec = parseYaml(readFileSync(join(goldenRoot, name, 'case.yaml'), 'utf8')) as { args?: string[]; env?: Record<string, string> };
      const rendered = readFileSync(join(goldenRoot, name, 'expected.yaml'), 'utf8');
      const result = await runCli(['audit', '-', ...auditFlags(spec.args ?? [])], spec.env ?? {}, { cwd: root, version: 'test', readStdin: async () => rendered });
      assert.equal(result.exitCode, 0, `${name}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /^clean: /m, name);
    }
  });

  it('finds the worked example clean once the rendered base is synced and the broken canary deleted', async () => {
    const rendered = await runCli(['generate', 'examples/identity'], {}, { cwd: repoRoot, version: 'test' });
    const base = argoObjects(rendered.stdout).find((o) => o.kind === 'Mapping');
    const live = parseYaml(readFileSync(join(inputs, 'identity-live.yaml'), 'utf8')) as Obj;
    live.items = live.items.filter((o: Obj) => o.kind === 'Rollout').concat([base]);
    const result = await runCli(['audit', '-'], {}, { cwd: inputs, version: 'test', readStdin: async () => JSON.stringify(live) });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.match(result.stdout, /\nclean: 1 base Mapping as declared\.\n$/);
  });
});

describe('audit documentation', () => {
  const section = readFileSync(join(repoRoot, 'docs', 'audit.md'), 'utf8');

  it('explains every finding code in docs/audit.md', () => {
    assert.deepEqual(
      FINDING_CODES.filter((code) => !section.includes(`\`${code}\``)),
      [],
    );
  });

  it('shows the actual output of the worked example', async () => {
    const example = /^\$ (canary-mapping audit [^\n]+)\n([\s\S]*?)^```/m.exec(section);
    assert.ok(example, 'a worked example: a command line, then its output');
    const [, command, shown] = example;
    const result = await runCli(command!.split(' ').slice(1), {}, { cwd: inputs, version: 'test' });
    assert.equal(`${result.stdout}${result.exitCode === 0 ? '' : `$ echo $?\n${result.exitCode}\n`}`, shown);
  });
});
