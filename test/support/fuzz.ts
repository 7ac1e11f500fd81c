// A seeded property test: mutate the golden inputs (bytes, YAML structure, parameters and env) and check the fail-closed
// invariant on each result: exit 0 with non-empty output that parses into Kubernetes objects, or exit 1/2 with NOTHING
// on stdout and at least one `error[` line; never an internal error, never a stack trace, never a hang.
//
// Cases run in a worker process (scripts/fuzz.ts --worker) that reports each case as it finishes; the driver kills
// the worker when a case takes longer than its deadline, which is how a hang is caught. Case i of seed S is a pure
// function of (S, i): `npm run fuzz -- --seed S --case i` replays it and keeps its files.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readAsArgoCd } from './argo-reading.js';
import type { CliResult } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { repoRoot } from './repo.js';

/** xorshift32: small, fast and good enough to pick mutations; never seeded with 0. */
export function randomSource(seed: number): { next: () => number; int: (below: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const int = (below: number) => Math.floor(next() * below);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

type Random = ReturnType<typeof randomSource>;

export interface FuzzCase {
  /** Paths relative to the app directory. */
  files: Map<string, Buffer>;
  args: string[];
  env: Record<string, string>;
  stdin?: Buffer;
  /** What was done to the golden input, for the report. */
  steps: string[];
}

interface GoldenCase {
  name: string;
  files: Map<string, Buffer>;
  args: string[];
  env: Record<string, string>;
  stdin?: Buffer;
}

function readTree(dir: string, files = new Map<string, Buffer>(), root = dir): Map<string, Buffer> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readTree(path, files, root);
    else files.set(relative(root, path), readFileSync(path));
  }
  return files;
}

let corpus: GoldenCase[] | undefined;

/** The golden cases' inputs, read once. */
export function goldenCorpus(): GoldenCase[] {
  const goldenRoot = join(repoRoot, 'test', 'golden');
  corpus ??= readdirSync(goldenRoot)
    .sort()
    .map((name) => {
      const spec = parseYaml(readFileSync(join(goldenRoot, name, 'case.yaml'), 'utf8')) as { args?: string[]; env?: Record<string, string>; stdin?: string };
      const args = spec.args ?? ['.'];
      const stdin = args.includes('-') ? readFileSync(join(goldenRoot, name, spec.stdin ?? 'stdin.yaml')) : undefined;
      return { name, files: readTree(join(goldenRoot, name, 'input')), args, env: spec.env ?? {}, ...(stdin ? { stdin } : {}) };
    });
  return corpus;
}

const SPECIAL_BYTES = [0x00, 0x09, 0x0d, 0x0a, 0x22, 0x27, 0x3a, 0x2d, 0x5b, 0x7b, 0x26, 0x2a, 0x21, 0x25, 0x23, 0x7c, 0x3e, 0x80, 0xc3, 0xff, 0xfe, 0xef];
const SNIPPETS = [
  '---',
  '...',
  '%YAML 1.2',
  '%TAG ! tag:example.com,2000:',
  '&anchor',
  '*anchor',
  '<<: *anchor',
  '? complex',
  '__proto__: {polluted: true}',
  'constructor: {prototype: {polluted: true}}',
  '!!binary aGVsbG8=',
  '!!js/function "function () {}"',
  '!custom {a: 1}',
  "'unterminated",
  '"\\u0000\\uD800"',
  'key: &a [*a]',
  'weight: 50',
  'tls: true',
  'service: https://identity-canary:8443',
  'service: grpc://identity',
  'service: "[::1]:443"',
  'apiVersion: v1',
  'kind: List',
  'items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]',
  '- a\n- b',
  '|\n  block',
  '\uFEFF',
  '# comment',
  // The config file's mappings: templates, patches and previews, well-formed and hostile.
  'mappings: {identity: {canaryService: "https://{{canaryService}}.{{namespace}}:8443"}}',
  'canaryService: "https://{{unknown}}:1"',
  'canaryService: "{{canaryService}}:{{port}}{{port}}"',
  'patches: [{op: add, path: /spec/x, value: 1}, {op: replace, path: /metadata/name, value: y}]',
  'patches: [{op: add, path: /__proto__/polluted, value: true}, {op: copy, from: /constructor/prototype, path: /spec/z}]',
  'preview: {header: x-preview, value: "on"}',
  'canary-mapping.dev/canary-service: "https://{{canaryService}}:8443"',
  'canary-mapping.dev/skip: "true"',
  'argocd.argoproj.io/sync-wave: "-2"',
];

const SETTING_VALUES: Record<string, string[]> = {
  'rollouts-version': ['any', '1.6', '1.8.3', '0.9', 'banana', '', '1.10'],
  'ambassador-api-version': ['getambassador.io/v2', 'getambassador.io/v3alpha1', 'x.getambassador.io/v3alpha1', 'v1'],
  'legacy-tls-context': ['', 'upstream-tls', 'Bad_Name'],
  strategy: ['clone-safe', 'guarded', ''],
  'guard-policy': ['omit', 'emit', 'always'],
  'rollouts-service-account': ['argo-rollouts/argo-rollouts', 'platform/rollouts', 'no-slash'],
  exclude: ['**', '*.yaml', 'a/**', '{a,b}/*', '[!x]*', '**/**/*a*a*a*b', ''],
  'max-file-size': ['200', '4Ki', '16Mi', '0', 'x'],
  'max-documents': ['1', '2', '5', '0'],
  'max-aliases': ['0', '1', '5', '-1'],
  'max-depth': ['3', '6', '12', '500', '501'],
};

function randomText(random: Random, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(random.pick([random.int(0x7f), random.int(0x7f), random.int(0x3000), random.pick(SPECIAL_BYTES)]))).join('');
}

type Mutation = (c: FuzzCase, random: Random) => string;

/** A file of the case to mutate: a manifest most of the time, sometimes the config file or stdin. */
function target(c: FuzzCase, random: Random): { name: string; get: () => Buffer; set: (bytes: Buffer) => void } {
  const names = [...c.files.keys()];
  if (c.stdin && random.int(2) === 0) return { name: '<stdin>', get: () => c.stdin!, set: (bytes) => (c.stdin = bytes) };
  const name = names.length > 0 && random.int(8) > 0 ? random.pick(names) : '.canary-mapping.yaml';
  return { name, get: () => c.files.get(name) ?? Buffer.alloc(0), set: (bytes) => c.files.set(name, bytes) };
}

const byteMutations: Mutation[] = [
  (c, random) => {
    const file = target(c, random);
    const bytes = Buffer.from(file.get());
    if (bytes.length > 0) bytes[random.int(bytes.length)] = random.next() < 0.5 ? random.int(256) : random.pick(SPECIAL_BYTES);
    file.set(bytes);
    return `flip a byte of ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const bytes = file.get();
    const at = random.int(bytes.length + 1);
    const inserted = Buffer.from(Array.from({ length: 1 + random.int(8) }, () => random.pick(SPECIAL_BYTES)));
    file.set(Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]));
    return `insert bytes into ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const bytes = file.get();
    const start = random.int(bytes.length + 1);
    const end = Math.min(bytes.length, start + random.int(64));
    file.set(random.next() < 0.5 ? Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]) : Buffer.concat([bytes.subarray(0, end), bytes.subarray(start)]));
    return `delete or repeat a byte range of ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    file.set(file.get().subarray(0, random.int(file.get().length + 1)));
    return `truncate ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const text = file.get().toString('latin1');
    file.set(Buffer.from(random.next() < 0.5 ? text.replaceAll('\n', '\r\n') : `\uFEFF${text}`, random.next() < 0.5 ? 'latin1' : 'utf8'));
    return `CRLF or a byte order mark in ${file.name}`;
  },
];

function lines(file: ReturnType<typeof target>): string[] {
  return file.get().toString('utf8').split('\n');
}

const structureMutations: Mutation[] = [
  (c, random) => {
    const file = target(c, random);
    const all = lines(file);
    const at = random.int(all.length + 1);
    const indent = ' '.repeat(random.pick([0, 2, 4, 6]));
    all.splice(at, 0, `${indent}${random.pick(SNIPPETS)}`);
    file.set(Buffer.from(all.join('\n')));
    return `insert a YAML snippet into ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const all = lines(file);
    const [a, b] = [random.int(all.length), random.int(all.length)];
    const operation = random.int(4);
    if (operation === 0) all.splice(a, 1);
    else if (operation === 1) all.splice(a, 0, all[b] ?? '');
    else if (operation === 2) [all[a], all[b]] = [all[b] ?? '', all[a] ?? ''];
    else all[a] = random.next() < 0.5 ? `  ${all[a] ?? ''}` : (all[a] ?? '').replace(/^ {1,2}/, '');
    file.set(Buffer.from(all.join('\n')));
    return `delete, repeat, swap or re-indent a line of ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const all = lines(file);
    const at = random.int(all.length);
    const depth = 1 + random.int(random.next() < 0.2 ? 600 : 30);
    const [open, close] = random.next() < 0.5 ? ['[', ']'] : ['{a: ', '}'];
    all[at] = `${(all[at] ?? '').replace(/:\s.*$/, ':')} ${open.repeat(depth)}x${close.repeat(depth)}`;
    file.set(Buffer.from(all.join('\n')));
    return `nest a value ${depth} levels deep in ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const all = lines(file);
    const at = random.int(all.length);
    const value = random.next() < 0.5 ? randomText(random, 1 + random.int(40)) : 'x'.repeat(random.int(20_000));
    all[at] = `${(all[at] ?? '').replace(/:\s.*$/, ':')} ${random.next() < 0.5 ? JSON.stringify(value) : value}`;
    file.set(Buffer.from(all.join('\n')));
    return `replace a value of ${file.name}`;
  },
  (c, random) => {
    const file = target(c, random);
    const text = file.get().toString('utf8');
    const anchored = text.replace(/^(\s*[a-zA-Z_]+:)(?=\s*\n)/m, '$1 &base');
    const aliasCount = 1 + random.int(random.next() < 0.3 ? 200 : 3);
    file.set(Buffer.from(`${anchored}\n${Array.from({ length: aliasCount }, (_, i) => `alias${i}: *base`).join('\n')}\n`));
    return `alias an anchored map ${aliasCount} times in ${file.name}`;
  },
  (c, random) => {
    const copies = 1 + random.int(random.next() < 0.2 ? 40 : 3);
    const file = target(c, random);
    file.set(Buffer.from(Array(copies).fill(file.get().toString('utf8')).join('\n---\n')));
    return `repeat ${file.name} as ${copies} documents`;
  },
];

const parameterMutations: Mutation[] = [
  (c, random) => {
    const name = random.pick(Object.keys(SETTING_VALUES));
    const value = random.pick(SETTING_VALUES[name]!);
    const where = random.int(4);
    if (where === 0) c.args.push(`--${name}=${value}`);
    else if (where === 1) c.env[`ARGOCD_ENV_CANARY_MAPPING_${name.toUpperCase().replaceAll('-', '_')}`] = value;
    else if (where === 2) c.env[`PARAM_${name.toUpperCase().replaceAll('-', '_')}`] = value;
    else {
      const entry = JSON.stringify(name === 'exclude' && random.next() < 0.8 ? { name, array: [value] } : { name, string: value });
      // Appended as text: an earlier mutation may have left the array unparseable.
      c.env.ARGOCD_APP_PARAMETERS = (c.env.ARGOCD_APP_PARAMETERS ?? '[]').replace(/\]\s*$/, (end) => `${c.env.ARGOCD_APP_PARAMETERS?.trim() === '[]' ? '' : ','}${entry}${end}`);
    }
    return `set ${name}=${JSON.stringify(value)} through ${['a flag', 'Application env', 'PARAM_*', 'ARGOCD_APP_PARAMETERS'][where]}`;
  },
  (c, random) => {
    const json = Buffer.from(c.env.ARGOCD_APP_PARAMETERS ?? '[{"name":"rollouts-version","string":"1.6"}]');
    if (json.length > 0) json[random.int(json.length)] = random.pick(SPECIAL_BYTES.filter((b) => b > 0 && b < 0x80));
    c.env.ARGOCD_APP_PARAMETERS = json.toString('utf8');
    return 'corrupt ARGOCD_APP_PARAMETERS';
  },
  (c, random) => {
    const name = `ARGOCD_ENV_${random.next() < 0.5 ? 'CANARY_MAPPING_' : ''}${randomText(random, 1 + random.int(12)).replace(/[=\0]/g, '_')}`;
    c.env[name] = randomText(random, random.int(30)).replace(/\0/g, '');
    return 'add an ARGOCD_ENV_* variable with odd characters';
  },
  (c, random) => {
    c.env[random.pick(['ARGOCD_APP_NAMESPACE', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_NAME'])] = random.pick(['', 'iam', 'a/b/c', '../..', 'x\n---\nkind: Secret']);
    return 'set an Argo CD build variable';
  },
];

const families = [byteMutations, structureMutations, parameterMutations];

/** Case `index` of `seed`: a golden input with one to four mutations. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const random = randomSource((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const golden = random.pick(goldenCorpus());
  const c: FuzzCase = {
    files: new Map([...golden.files].map(([name, bytes]) => [name, Buffer.from(bytes)])),
    args: [...golden.args],
    env: { ...golden.env },
    ...(golden.stdin ? { stdin: Buffer.from(golden.stdin) } : {}),
    steps: [`golden case ${golden.name}`],
  };
  for (let count = 1 + random.int(4); count > 0; count--) c.steps.push(random.pick(random.pick(families))(c, random));
  return c;
}

/** The case's app in `dir`/app, and what else it runs with in `dir`/case.json. */
export function writeCase(c: FuzzCase, dir: string): string {
  const app = join(dir, 'app');
  for (const [name, bytes] of c.files) {
    mkdirSync(dirname(join(app, name)), { recursive: true });
    writeFileSync(join(app, name), bytes);
  }
  mkdirSync(app, { recursive: true });
  writeFileSync(join(dir, 'case.json'), JSON.stringify({ args: c.args, env: c.env, steps: c.steps, stdin: c.stdin?.toString('base64') }, null, 2));
  return app;
}

/** Why a result breaks the invariant, or undefined when it holds. */
export function violation(result: CliResult): string | undefined {
  if (/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr)) return 'a stack trace on stderr';
  if (result.exitCode === 0) {
    if (result.stderr !== '') return 'exit 0 with something on stderr';
    if (result.stdout.trim() === '') return 'exit 0 with empty output (Argo CD would prune the app)';
    const reading = readAsArgoCd(result.stdout);
    if (reading.problems.length > 0) return `exit 0 with output Argo CD cannot read: ${reading.problems[0]!.message}`;
    if (reading.objects.length === 0) return 'exit 0 with output Argo CD reads as no objects (it would prune the app)';
    for (const { value } of reading.objects) {
      if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return 'exit 0 with a document that is not a Kubernetes object';
    }
    return undefined;
  }
  if (result.exitCode !== 1 && result.exitCode !== 2) return `exit status ${result.exitCode}`;
  if (result.stdout !== '') return `exit ${result.exitCode} with ${result.stdout.length} characters on stdout`;
  if (!/error\[[a-z0-9-]+\]/.test(result.stderr)) return `exit ${result.exitCode} without an error[...] line`;
  return undefined;
}

export async function runCase(c: FuzzCase, dir: string): Promise<CliResult> {
  const app = writeCase(c, dir);
  try {
    // In-process stdin is text: bytes that are not UTF-8 arrive replaced, as they cannot cross this interface.
    return await runCli(['generate', ...c.args], c.env, { cwd: app, version: 'fuzz', readStdin: async () => (c.stdin ?? Buffer.alloc(0)).toString('utf8') });
  } catch (error) {
    return { exitCode: 70, stdout: '', stderr: `internal error: ${error instanceof Error ? error.stack : String(error)}` };
  }
}

/**
 * The worker: runs cases [first, first + count) of `seed`, printing `ok <i>` after each; on a violation prints
 * `FAIL <i> <why>`, keeps the case's files and stops. Returns the number of failures (0 or 1).
 */
export async function runWorker(seed: number, first: number, count: number, print: (line: string) => void, keep = false): Promise<number> {
  for (let index = first; index < first + count; index++) {
    const c = fuzzCase(seed, index);
    const dir = mkdtempSync(join(tmpdir(), `canary-mapping-fuzz-${seed}-${index}-`));
    print(`case ${index} ${dir}`);
    const why = violation(await runCase(c, dir));
    if (why) {
      print(`FAIL ${index} ${why}; steps: ${c.steps.join('; ')}; files kept in ${dir}`);
      return 1;
    }
    if (keep) print(`kept ${index} ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    print(`ok ${index}`);
  }
  return 0;
}

export interface FuzzReport {
  seed: number;
  completed: number;
  failure?: string;
  /** Directories of cases kept (with keep). */
  kept: string[];
}

/** Runs the worker as a child process and kills it when one case takes longer than `caseTimeoutMs` (a hang). */
export function driveFuzz(options: { seed: number; iterations: number; caseTimeoutMs: number; worker: string; first?: number; keep?: boolean }): Promise<FuzzReport> {
  const { seed, iterations, caseTimeoutMs, worker, first = 0, keep = false } = options;
  return new Promise((resolve, reject) => {
    const args = [worker, '--worker', `--seed=${seed}`, `--first=${first}`, `--iterations=${iterations}`, ...(keep ? ['--keep'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const report: FuzzReport = { seed, completed: 0, kept: [] };
    let current = '-1';
    let currentDir = '';
    let stderr = '';
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        report.failure ??= `case ${current} ran longer than ${caseTimeoutMs} ms (a hang?); files kept in ${currentDir}; replay: npm run fuzz -- --seed=${seed} --case=${current}`;
        child.kill('SIGKILL');
      }, caseTimeoutMs);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        const [word = '', index = '', dir = ''] = line.split(' ');
        if (word === 'case') [current, currentDir] = [index, dir];
        if (word === 'ok') report.completed++;
        if (word === 'kept') report.kept.push(dir);
        if (word === 'FAIL') report.failure ??= `${line}; replay: npm run fuzz -- --seed=${seed} --case=${index}`;
        arm();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 && !report.failure) report.failure = `the worker exited with ${code}: ${stderr.slice(0, 2000)}`;
      resolve(report);
    });
    arm();
  });
}
