// `npm run bench`: times `canary-mapping generate` against `kubectl kustomize` on generated trees of
// 2,000 and 6,000 objects, against a floor (the `yaml` library parsing the same files in-process,
// bench/floor.ts), and against an empty `node -e 0` on the example app, then checks the project's
// targets, every one a ratio of rows measured in this same run (or a peak RSS). Results are printed
// and written to bench/results/latest.json. The same trees are also rendered with the Kustomize
// source: the plugin running `kubectl kustomize` itself, whose time over `kubectl kustomize` alone is
// the overhead the plugin adds to a Kustomize app.
//
// Rows and targets are data (rowSpecs, TARGETS): to measure and check something new, add a RowSpec
// and a TargetSpec, from another module if need be (the types are exported).
//
// Environment:
//   BENCH_SIZES=2000,6000  tree sizes in objects (default both)
//   BENCH_RUNS=N           timed runs per command (default 5; kubectl kustomize, alone or through the
//                          plugin, at >= 6,000 objects: 3, because kustomize is quadratic and takes
//                          about a minute a run there)
//   BENCH_PLUGIN=PATH      the executable to time instead of dist/canary-mapping (e.g. an older build)
//   BENCH_ROWS=TEXT        time only the rows whose name holds TEXT, in any case (`kustomize`: kubectl
//                          kustomize and the Kustomize source), skip the hostile inputs and write no
//                          results file
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatHostile, measureHostile, type HostileRow } from './hostile.js';
import { writeTree, type Tree } from './tree.js';

// Compiled to build/bench/run.js, so the repository root is two levels up.
const ROOT = join(__dirname, '..', '..');
const PLUGIN = process.env.BENCH_PLUGIN ?? join(ROOT, 'dist/canary-mapping');
const EXAMPLE = join(ROOT, 'examples/identity');
// Compiled beside this file.
const FLOOR_SCRIPT = join(__dirname, 'floor.js');
const RESULTS = join(ROOT, 'bench/results/latest.json');
const GNU_TIME = '/usr/bin/time';

// Row names, also the keys the targets look rows up by.
const OURS = 'canary-mapping generate';
// The tree's kustomization.yaml is for `kubectl kustomize`; OURS reads the same files as a plain directory.
const KUSTOMIZATION_FILE = 'kustomization.yaml';
// The plugin with its Kustomize source (source auto finds kustomization.yaml), on the same kubectl.
const OURS_KUSTOMIZE = 'canary-mapping generate, Kustomize source';
const KUSTOMIZE = 'kubectl kustomize';
const FLOOR = 'yaml parseAllDocuments, in-process';
const EMPTY_NODE = 'node -e 0';
const EXAMPLE_APP = 'canary-mapping generate examples/identity';

export interface Sample {
  ms: number;
  /**
   * CPU time (user + system) in ms: of the child from GNU time (10 ms resolution), or reported with `ms`; null when
   * /usr/bin/time is unavailable. On a busy machine it varies far less than wall time.
   */
  cpuMs: number | null;
  /** Peak resident set size of the child in KiB, or null when /usr/bin/time is unavailable. */
  rssKiB: number | null;
}

/** Identifies a row: targets look rows up by name and object count. */
export interface RowKey {
  name: string;
  /** Objects in the input, null for rows without a generated tree (`node -e 0`, the example app). */
  objects: number | null;
}

export interface Row extends RowKey {
  /** How `samples[].ms` was measured: around the spawned process, or reported by the process itself. */
  timing: 'wall' | 'in-process';
  samples: Sample[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  medianCpuMs: number | null;
  peakRssMiB: number | null;
  /** Objects in what the command produced: top-level `kind:` lines of the YAML it printed, or its own count. */
  outputObjects: number;
  outputBytes: number;
}

/** What a row's command may ask for. */
export interface BenchContext {
  /** The generated tree of that many objects, written on first use (bench/tree.ts). */
  tree(objects: number): Tree;
  /** `kubectl version --client`, or null when kubectl is missing. */
  kubectl: string | null;
}

/** One command to time, or the reason it cannot run here. */
export type Command = { command: string; args: string[] } | { skip: string };

export interface RowSpec extends RowKey {
  command(context: BenchContext): Command;
  runs: number;
  /**
   * What stdout holds. manifests: YAML, which must not be empty (else the command took an error path); nothing:
   * ignored; report: one JSON object {"ms", "cpuMs", "objects"}, times measured inside the process (timing in-process).
   */
  output: 'manifests' | 'nothing' | 'report';
  /** One untimed run first, so disk cache and node's own start-up files are warm for every timed run. */
  warmUp: boolean;
  /** Output must hold exactly this many objects (for commands whose output we can predict). */
  expectObjects?: number;
}

export interface TargetSpec {
  name: string;
  /** The value: that figure of one row, or the ratio of that figure of two rows (first / second). */
  of: readonly [RowKey] | readonly [RowKey, RowKey];
  /** A row's figure; null when it was not measured here (peak RSS without GNU time). */
  figure: (row: Row) => number | null;
  op: '>=' | '<=';
  limit: number;
  unit: string;
}

export interface Target {
  name: string;
  value: number | null;
  op: TargetSpec['op'];
  limit: number;
  unit: string;
  status: 'PASS' | 'MISS' | 'SKIP';
  note?: string;
}

class BenchError extends Error {}

// Thrown, not process.exit(), so the temporary trees are still removed on the way out.
function fail(message: string): never {
  throw new BenchError(message);
}

function sizesFromEnv(): number[] {
  const sizes = (process.env.BENCH_SIZES ?? '2000,6000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 3)) fail(`BENCH_SIZES must list integers >= 3, got "${process.env.BENCH_SIZES}"`);
  return sizes;
}

function runsFor(command: 'ours' | 'kustomize' | 'node', objects: number): number {
  const fromEnv = process.env.BENCH_RUNS;
  if (fromEnv !== undefined) {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) fail(`BENCH_RUNS must be a positive integer, got "${fromEnv}"`);
    return n;
  }
  return command === 'kustomize' && objects >= 6000 ? 3 : 5;
}

const at = (name: string, objects: number | null = null): RowKey => ({ name, objects });
const medianMs = (row: Row) => row.medianMs;
// Decimal megabytes, as the target is written.
const peakRssMB = (row: Row) => (row.peakRssMiB === null ? null : (row.peakRssMiB * 1024 * 1024) / 1e6);

/** Every command timed, in order. `node` is the one from PATH, which the plugin's `#!/usr/bin/env node` starts. */
function rowSpecs(sizes: number[]): RowSpec[] {
  const rows: RowSpec[] = [
    { ...at(EMPTY_NODE), command: () => ({ command: 'node', args: ['-e', '0'] }), output: 'nothing', runs: runsFor('node', 0), warmUp: true },
    { ...at(EXAMPLE_APP), command: () => ({ command: PLUGIN, args: ['generate', EXAMPLE] }), output: 'manifests', runs: runsFor('ours', 0), warmUp: true },
  ];
  const needsKubectl = (context: BenchContext, command: Command): Command => (context.kubectl === null ? { skip: 'kubectl not found' } : command);
  for (const objects of sizes) {
    rows.push(
      {
        ...at(OURS, objects),
        command: (context) => ({ command: PLUGIN, args: ['generate', context.tree(objects).dir, '--source=directory', `--exclude=${KUSTOMIZATION_FILE}`] }),
        output: 'manifests',
        runs: runsFor('ours', objects),
        warmUp: true,
      },
      {
        ...at(FLOOR, objects),
        command: (context) => {
          const tree = context.tree(objects);
          return { command: 'node', args: [FLOOR_SCRIPT, ...tree.files.map((file) => join(tree.dir, file))] };
        },
        output: 'report',
        runs: runsFor('ours', objects),
        warmUp: true,
        expectObjects: objects,
      },
      {
        ...at(KUSTOMIZE, objects),
        command: (context) => needsKubectl(context, { command: 'kubectl', args: ['kustomize', context.tree(objects).dir] }),
        output: 'manifests',
        runs: runsFor('kustomize', objects),
        // No warm-up: a kustomize run at 6,000 objects takes about a minute, and the tree is already in the page cache.
        warmUp: false,
        expectObjects: objects,
      },
      {
        ...at(OURS_KUSTOMIZE, objects),
        // The timeout raised: at 6,000 objects Kustomize alone takes longer than the default 45 s.
        command: (context) => needsKubectl(context, { command: PLUGIN, args: ['generate', context.tree(objects).dir, '--kustomize-path=kubectl', '--kustomize-timeout=3600'] }),
        output: 'manifests',
        runs: runsFor('kustomize', objects),
        warmUp: false,
        expectObjects: objects,
      },
    );
  }
  return rows;
}

/** The project's targets (README, "Performance"). */
export const TARGETS: TargetSpec[] = [
  { name: '2,000 objects: kubectl kustomize / ours', of: [at(KUSTOMIZE, 2000), at(OURS, 2000)], figure: medianMs, op: '>=', limit: 3, unit: 'x' },
  { name: '6,000 objects: kubectl kustomize / ours', of: [at(KUSTOMIZE, 6000), at(OURS, 6000)], figure: medianMs, op: '>=', limit: 10, unit: 'x' },
  { name: 'floor, 2,000 objects: ours / yaml parsing in-process', of: [at(OURS, 2000), at(FLOOR, 2000)], figure: medianMs, op: '<=', limit: 2, unit: 'x' },
  { name: 'growth: ours at 6,000 / ours at 2,000', of: [at(OURS, 6000), at(OURS, 2000)], figure: medianMs, op: '<=', limit: 3.5, unit: 'x' },
  { name: 'peak RSS ours at 6,000 objects', of: [at(OURS, 6000)], figure: peakRssMB, op: '<=', limit: 150, unit: ' MB' },
  { name: 'example app: ours / node -e 0', of: [at(EXAMPLE_APP), at(EMPTY_NODE)], figure: medianMs, op: '<=', limit: 1.6, unit: 'x' },
  ...[2000, 6000].map((objects): TargetSpec => ({
    name: `${objects.toLocaleString('en')} objects: ours with the Kustomize source / kustomize alone`,
    of: [at(OURS_KUSTOMIZE, objects), at(KUSTOMIZE, objects)],
    figure: medianMs,
    op: '<=',
    limit: 1.3,
    unit: 'x',
  })),
];

// GNU time's %M is the child's ru_maxrss (KiB on Linux); it is the only way to see a child's peak
// RSS from Node, which reports only its own. The shebang's `env` execs node in the same process,
// so for the plugin this is node's peak. %U and %S are its user and system CPU seconds.
const GNU_TIME_FORMAT = '%M %U %S';

function hasGnuTime(): boolean {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', GNU_TIME_FORMAT, 'true'], { encoding: 'utf8' }).status === 0;
}

function kubectlVersion(): string | null {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? null : r.stdout.trim().replace(/\n/g, ', ');
}

function countObjects(yaml: string): number {
  return yaml.match(/^kind:/gm)?.length ?? 0;
}

function label(key: RowKey): string {
  return `${key.name}${key.objects === null ? '' : ` (${key.objects} objects)`}`;
}

/** What one run produced: its time, and the objects in its output. */
interface Run extends Sample {
  objects: number;
  outputBytes: number;
}

/** One run. Anything but exit 0 with output is an error path, which is not worth timing: stop. */
function runOnce(spec: RowSpec, command: string, args: string[], rssFile: string | null): Run {
  const name = label(spec);
  // -o keeps GNU time's report out of the child's stderr.
  const [file, argv] = rssFile ? [GNU_TIME, ['-f', GNU_TIME_FORMAT, '-o', rssFile, command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) fail(`${name}: ${r.error.message}`);
  if (r.status !== 0 || (spec.output !== 'nothing' && r.stdout.trim() === '')) {
    fail(`${name}: exit code ${r.status ?? r.signal}, ${r.stdout.length} bytes on stdout; stderr:\n${r.stderr.slice(-4000)}`);
  }
  // The last line is GNU_TIME_FORMAT (earlier lines, if any, are GNU time's own notes).
  const measured = rssFile ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : null;
  const rssKiB = measured ? measured[0]! : null;
  const outputBytes = Buffer.byteLength(r.stdout);
  if (spec.output === 'report') {
    const report = JSON.parse(r.stdout) as { ms: number; cpuMs: number; objects: number };
    return { ms: round(report.ms), cpuMs: round(report.cpuMs), rssKiB, objects: report.objects, outputBytes };
  }
  const cpuMs = measured ? round((measured[1]! + measured[2]!) * 1000) : null;
  return { ms: round(wallMs), cpuMs, rssKiB, objects: countObjects(r.stdout), outputBytes };
}

// Hundredths of a millisecond or MiB are noise; rounding keeps the committed JSON readable.
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function bench(spec: RowSpec, command: string, args: string[], rssFile: string | null): Row {
  const name = label(spec);
  process.stdout.write(`  ${name}: ${spec.runs} run(s)${spec.warmUp ? ' + warm-up' : ''} `);
  if (spec.warmUp) runOnce(spec, command, args, rssFile);
  const samples: Sample[] = [];
  let last: Run | undefined;
  for (let i = 0; i < spec.runs; i++) {
    last = runOnce(spec, command, args, rssFile);
    samples.push({ ms: last.ms, cpuMs: last.cpuMs, rssKiB: last.rssKiB });
    process.stdout.write('.');
  }
  if (spec.expectObjects !== undefined && last!.objects !== spec.expectObjects) {
    fail(`${name}: expected ${spec.expectObjects} objects in the output, found ${last!.objects}`);
  }
  const ms = samples.map((s) => s.ms);
  const known = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  const cpu = known(samples.map((s) => s.cpuMs));
  const rss = known(samples.map((s) => s.rssKiB));
  const row: Row = {
    name: spec.name,
    objects: spec.objects,
    timing: spec.output === 'report' ? 'in-process' : 'wall',
    samples,
    medianMs: round(median(ms)),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    medianCpuMs: cpu.length > 0 ? round(median(cpu)) : null,
    peakRssMiB: rss.length > 0 ? round(Math.max(...rss) / 1024) : null,
    outputObjects: last!.objects,
    outputBytes: last!.outputBytes,
  };
  process.stdout.write(` median ${row.medianMs.toFixed(0)} ms\n`);
  return row;
}

function formatTable(rows: Row[]): string {
  const header = ['command', 'objects', 'runs', 'median ms', 'min ms', 'max ms', 'median CPU ms', 'peak RSS MiB', 'output objects'];
  const body = rows.map((r) => [
    r.name,
    r.objects === null ? '-' : String(r.objects),
    String(r.samples.length),
    r.medianMs.toFixed(1),
    r.minMs.toFixed(1),
    r.maxMs.toFixed(1),
    r.medianCpuMs === null ? 'n/a' : r.medianCpuMs.toFixed(0),
    r.peakRssMiB === null ? 'n/a' : r.peakRssMiB.toFixed(1),
    String(r.outputObjects),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  // First column left-aligned (names), the numbers right-aligned.
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const targetValue = (t: Target) => (t.value === null ? 'n/a' : `${t.value.toFixed(2)}${t.unit}`);

function formatTarget(t: Target): string {
  return `  ${t.status.padEnd(4)}  ${t.name}: ${targetValue(t)} (target ${t.op} ${t.limit}${t.unit})${t.note ? ` - ${t.note}` : ''}`;
}

/** The figures as README "Performance" shows them; test/docs.test.ts checks the README against latest.json. */
export function readmeTables(rows: Row[], targets: Target[]): string {
  const table = (header: string[], body: string[][]) => [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return [
    table(
      ['command', 'objects', 'median', 'median CPU', 'peak RSS'],
      rows.map((r) => [
        `\`${r.name}\``,
        r.objects === null ? '–' : r.objects.toLocaleString('en'),
        `${Math.round(r.medianMs).toLocaleString('en')} ms`,
        r.medianCpuMs === null ? 'n/a' : `${Math.round(r.medianCpuMs).toLocaleString('en')} ms`,
        r.peakRssMiB === null ? 'n/a' : `${r.peakRssMiB.toFixed(1)} MiB`,
      ]),
    ),
    table(
      ['target', 'limit', 'measured', 'result'],
      targets.map((t) => [t.name, `${t.op} ${t.limit}${t.unit}`, targetValue(t), t.status]),
    ),
  ].join('\n\n');
}

interface Measured {
  rows: Row[];
  /** Rows that could not run here, by label, with the reason. */
  skipped: Map<string, string>;
  rssMethod: string;
  kubectl: string | null;
}

function measureAll(specs: RowSpec[], work: string): Measured {
  const measureRss = hasGnuTime();
  const rssFile = measureRss ? join(work, 'rss') : null;
  const rssMethod = measureRss
    ? `${GNU_TIME} -f %M (GNU time: the child's peak resident set size, ru_maxrss), max over the timed runs; CPU time from its %U + %S`
    : `not measured: ${GNU_TIME} is missing (Debian package \`time\`: apt-get install -y time)`;
  const kubectl = kubectlVersion();
  process.stdout.write(
    `plugin: ${PLUGIN}\npeak RSS: ${rssMethod}\ntime: median of the timed runs, measured around the spawned process` +
      ` (rows "in-process": measured by the process itself, bench/floor.ts)\n`,
  );
  const trees = new Map<number, Tree>();
  const context: BenchContext = {
    tree: (objects) => trees.get(objects) ?? trees.set(objects, writeTree(join(work, `tree-${objects}`), objects)).get(objects)!,
    kubectl,
  };
  const rows: Row[] = [];
  const skipped = new Map<string, string>();
  for (const spec of specs) {
    const command = spec.command(context);
    if ('skip' in command) {
      skipped.set(label(spec), command.skip);
      process.stdout.write(`  ${label(spec)}: skipped, ${command.skip}\n`);
    } else {
      rows.push(bench(spec, command.command, command.args, rssFile));
    }
  }
  return { rows, skipped, rssMethod, kubectl };
}

function check(spec: TargetSpec, sizes: number[], m: Measured): Target {
  const { name, op, limit, unit } = spec;
  const rows = spec.of.map((key) => m.rows.find((r) => r.name === key.name && r.objects === key.objects));
  const figures = rows.map((row) => (row ? spec.figure(row) : null));
  if (figures.some((figure) => figure === null)) {
    const missing = spec.of.flatMap((key, i) => {
      if (figures[i] !== null) return [];
      // Run, but without the figure: peak RSS where GNU time is missing.
      if (rows[i]) return [`${label(key)}: ${m.rssMethod}`];
      return [`${label(key)} not run (${m.skipped.get(label(key)) ?? `BENCH_SIZES=${sizes.join(',')}`})`];
    });
    return { name, value: null, op, limit, unit, status: 'SKIP', note: missing.join('; ') };
  }
  const [a, b] = figures as number[];
  const value = b === undefined ? a! : a! / b;
  const ok = op === '>=' ? value >= limit : value <= limit;
  return { name, value, op, limit, unit, status: ok ? 'PASS' : 'MISS' };
}

function main(): void {
  if (!existsSync(PLUGIN)) fail(`${PLUGIN} does not exist: run node scripts/build.mjs first`);
  const sizes = sizesFromEnv();
  const only = process.env.BENCH_ROWS?.toLowerCase();
  const work = mkdtempSync(join(tmpdir(), 'canary-bench-'));
  let measured: Measured;
  let hostile: HostileRow[];
  try {
    measured = measureAll(
      rowSpecs(sizes).filter((spec) => !only || spec.name.toLowerCase().includes(only)),
      work,
    );
    if (!only) process.stdout.write('hostile inputs (issue 10):\n');
    hostile = only ? [] : measureHostile(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const checked = TARGETS.map((spec) => check(spec, sizes, measured));
  process.stdout.write(`\n${formatTable(measured.rows)}\n\nhostile inputs:\n${formatHostile(hostile)}\n\ntargets:\n${checked.map(formatTarget).join('\n')}\n`);
  process.stdout.write(`\nfor docs/performance.md:\n\n${readmeTables(measured.rows, checked)}\n`);

  const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', kubectl: measured.kubectl };
  const results = { generatedAt: new Date().toISOString(), machine, rssMethod: measured.rssMethod, sizes, rows: measured.rows, hostile, targets: checked };
  // The tables in docs/performance.md are a whole run's, and a test checks them against this file.
  if (only) return;
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwrote ${RESULTS}\n`);
}

// Imported by test/docs.test.ts for TARGETS and readmeTables: measure only when run.
if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`\nbench: FAILED: ${error instanceof BenchError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}
