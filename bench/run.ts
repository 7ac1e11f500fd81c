// `npm run bench`: times `canary-mapping generate` against `kubectl kustomize` on generated trees of
// 2,000 and 6,000 objects and against an empty `node -e 0` on the example app, then checks the
// project's targets. Results are printed and written to bench/results/latest.json. The same trees are
// also rendered with the Kustomize source: the plugin running `kubectl kustomize` itself, whose time
// over `kubectl kustomize` alone is the overhead the plugin adds to a Kustomize app.
//
// Environment:
//   BENCH_SIZES=2000,6000  tree sizes in objects (default both)
//   BENCH_RUNS=N           timed runs per command (default 5; kubectl kustomize, alone or through the
//                          plugin, at >= 6,000 objects: 3, because kustomize is quadratic and takes
//                          about a minute a run there)
//   BENCH_PLUGIN=PATH      the executable to time instead of dist/canary-mapping (e.g. an older build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatHostile, measureHostile, type HostileRow } from './hostile.js';
import { writeTree } from './tree.js';

// Compiled to build/bench/run.js, so the repository root is two levels up.
const ROOT = join(__dirname, '..', '..');
const PLUGIN = process.env.BENCH_PLUGIN ?? join(ROOT, 'dist/canary-mapping');
const EXAMPLE = join(ROOT, 'examples/identity');
const RESULTS = join(ROOT, 'bench/results/latest.json');
const GNU_TIME = '/usr/bin/time';

// Row names, also the keys the targets look rows up by.
const OURS = 'canary-mapping generate';
// The tree's kustomization.yaml is for `kubectl kustomize`; OURS reads the same files as a plain directory.
const KUSTOMIZATION_FILE = 'kustomization.yaml';
// The plugin with its Kustomize source (source auto finds kustomization.yaml), on the same kubectl.
const OURS_KUSTOMIZE = 'canary-mapping generate, Kustomize source';
const KUSTOMIZE = 'kubectl kustomize';
const EMPTY_NODE = 'node -e 0';
const EXAMPLE_APP = 'canary-mapping generate examples/identity';

interface Sample {
  ms: number;
  /** Peak resident set size of the child in KiB, or null when /usr/bin/time is unavailable. */
  rssKiB: number | null;
}

interface Row {
  name: string;
  /** Objects in the input, null for `node -e 0`. */
  objects: number | null;
  samples: Sample[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMiB: number | null;
  /** Top-level `kind:` lines in stdout: a cheap object count of the YAML the command printed. */
  outputObjects: number;
  outputBytes: number;
}

interface Target {
  name: string;
  value: number | null;
  op: '>=' | '<=';
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

// GNU time's %M is the child's ru_maxrss (KiB on Linux); it is the only way to see a child's peak
// RSS from Node, which reports only its own. The shebang's `env` execs node in the same process,
// so for the plugin this is node's peak.
function hasGnuTime(): boolean {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
}

function kubectlVersion(): string | null {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? null : r.stdout.trim().replace(/\n/g, ', ');
}

function countObjects(yaml: string): number {
  return yaml.match(/^kind:/gm)?.length ?? 0;
}

/** One run. Anything but exit 0 with output is an error path, which is not worth timing: stop. */
function runOnce(label: string, b: Bench, rssFile: string | null): Sample & { stdout: string } {
  const { command, args } = b;
  // -o keeps GNU time's report out of the child's stderr.
  const [file, argv] = rssFile ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = round(Number(process.hrtime.bigint() - start) / 1e6);
  if (r.error) fail(`${label}: ${r.error.message}`);
  if (r.status !== 0 || (b.printsManifests && r.stdout.trim() === '')) {
    fail(`${label}: exit code ${r.status ?? r.signal}, ${r.stdout.length} bytes on stdout; stderr:\n${r.stderr.slice(-4000)}`);
  }
  // The last line is %M (earlier lines, if any, are GNU time's own notes).
  const rssKiB = rssFile ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : null;
  return { ms, rssKiB, stdout: r.stdout };
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

interface Bench {
  name: string;
  objects: number | null;
  command: string;
  args: string[];
  runs: number;
  /** False only for `node -e 0`: everything else must print something, or it took an error path. */
  printsManifests: boolean;
  /** One untimed run first, so disk cache and node's own start-up files are warm for every timed run. */
  warmUp: boolean;
  /** Output must hold exactly this many objects (checked for kustomize, whose output we can predict). */
  expectObjects?: number;
}

function bench(b: Bench, rssFile: string | null): Row {
  const label = `${b.name}${b.objects === null ? '' : ` (${b.objects} objects)`}`;
  process.stdout.write(`  ${label}: ${b.runs} run(s)${b.warmUp ? ' + warm-up' : ''} `);
  if (b.warmUp) runOnce(label, b, rssFile);
  const samples: Sample[] = [];
  let last = '';
  for (let i = 0; i < b.runs; i++) {
    const { stdout, ...sample } = runOnce(label, b, rssFile);
    samples.push(sample);
    last = stdout;
    process.stdout.write('.');
  }
  const outputObjects = countObjects(last);
  if (b.expectObjects !== undefined && outputObjects !== b.expectObjects) {
    fail(`${label}: expected ${b.expectObjects} objects in the output, found ${outputObjects}`);
  }
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKiB).filter((v): v is number => v !== null);
  const row: Row = {
    name: b.name,
    objects: b.objects,
    samples,
    medianMs: round(median(ms)),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    peakRssMiB: rss.length > 0 ? round(Math.max(...rss) / 1024) : null,
    outputObjects,
    outputBytes: Buffer.byteLength(last),
  };
  process.stdout.write(` median ${row.medianMs.toFixed(0)} ms\n`);
  return row;
}

function hasManifests(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => /\.(ya?ml|json)$/.test(String(f)));
}

function target(name: string, value: number | null, op: Target['op'], limit: number, unit: string, skipNote: string): Target {
  if (value === null || !Number.isFinite(value)) return { name, value: null, op, limit, unit, status: 'SKIP', note: skipNote };
  const ok = op === '>=' ? value >= limit : value <= limit;
  return { name, value, op, limit, unit, status: ok ? 'PASS' : 'MISS' };
}

function formatTable(rows: Row[]): string {
  const header = ['command', 'objects', 'runs', 'median ms', 'min ms', 'max ms', 'peak RSS MiB', 'output objects'];
  const body = rows.map((r) => [
    r.name,
    r.objects === null ? '-' : String(r.objects),
    String(r.samples.length),
    r.medianMs.toFixed(1),
    r.minMs.toFixed(1),
    r.maxMs.toFixed(1),
    r.peakRssMiB === null ? 'n/a' : r.peakRssMiB.toFixed(1),
    String(r.outputObjects),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  // First column left-aligned (names), the numbers right-aligned.
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function formatTarget(t: Target): string {
  const value = t.value === null ? 'n/a' : `${t.value.toFixed(2)}${t.unit}`;
  return `  ${t.status.padEnd(4)}  ${t.name}: ${value} (target ${t.op} ${t.limit}${t.unit})${t.note ? ` - ${t.note}` : ''}`;
}

interface Measured {
  rows: Row[];
  rssMethod: string;
  kubectl: string | null;
  exampleSkip: string;
}

function measureAll(sizes: number[], work: string): Measured {
  const measureRss = hasGnuTime();
  const rssFile = measureRss ? join(work, 'rss') : null;
  const rssMethod = measureRss
    ? `${GNU_TIME} -f %M (GNU time: the child's peak resident set size, ru_maxrss), max over the timed runs`
    : `not measured: ${GNU_TIME} is missing (Debian package \`time\`: apt-get install -y time)`;
  const kubectl = kubectlVersion();
  process.stdout.write(`plugin: ${PLUGIN}\npeak RSS: ${rssMethod}\nwall time: median of the timed runs, measured around the spawned process\n`);
  if (kubectl === null) process.stdout.write('kubectl: not found, the kubectl kustomize rows are skipped\n');

  const rows: Row[] = [];
  // `node` from PATH, the one the plugin's `#!/usr/bin/env node` starts, so the baseline is the same binary.
  rows.push(bench({ name: EMPTY_NODE, objects: null, command: 'node', args: ['-e', '0'], printsManifests: false, runs: runsFor('node', 0), warmUp: true }, rssFile));
  let exampleSkip = 'examples/identity has no manifests yet';
  if (hasManifests(EXAMPLE)) {
    exampleSkip = '';
    rows.push(bench({ name: EXAMPLE_APP, objects: null, command: PLUGIN, args: ['generate', EXAMPLE], printsManifests: true, runs: runsFor('ours', 0), warmUp: true }, rssFile));
  } else {
    process.stdout.write(`  ${EXAMPLE_APP}: skipped, ${exampleSkip}\n`);
  }
  for (const objects of sizes) {
    const tree = writeTree(join(work, `tree-${objects}`), objects);
    const plain = ['generate', tree.dir, '--source=directory', `--exclude=${KUSTOMIZATION_FILE}`];
    rows.push(bench({ name: OURS, objects, command: PLUGIN, args: plain, printsManifests: true, runs: runsFor('ours', objects), warmUp: true }, rssFile));
    if (kubectl !== null) {
      // No warm-up: a kustomize run at 6,000 objects takes about a minute, and the tree is already in the page cache.
      rows.push(bench({ name: KUSTOMIZE, objects, command: 'kubectl', args: ['kustomize', tree.dir], printsManifests: true, runs: runsFor('kustomize', objects), warmUp: false, expectObjects: objects }, rssFile));
      // The timeout raised: at 6,000 objects Kustomize alone takes longer than the default 45 s.
      const kustomized = ['generate', tree.dir, '--kustomize-path=kubectl', '--kustomize-timeout=3600'];
      rows.push(bench({ name: OURS_KUSTOMIZE, objects, command: PLUGIN, args: kustomized, printsManifests: true, runs: runsFor('kustomize', objects), warmUp: false, expectObjects: objects }, rssFile));
    }
  }
  return { rows, rssMethod, kubectl, exampleSkip };
}

function targets(sizes: number[], m: Measured): Target[] {
  const find = (name: string, objects: number | null) => m.rows.find((r) => r.name === name && r.objects === objects);
  const ratio = (a: Row | undefined, b: Row | undefined) => (a && b ? a.medianMs / b.medianMs : null);
  const notRun = (what: string) => `${what} not run (BENCH_SIZES=${sizes.join(',')}${m.kubectl === null ? ', no kubectl' : ''})`;
  const rss6000 = find(OURS, 6000)?.peakRssMiB ?? null;
  const kustomizeOverhead = sizes.map((objects) =>
    target(`${objects.toLocaleString('en')} objects: ours with the Kustomize source / kustomize alone`, ratio(find(OURS_KUSTOMIZE, objects), find(KUSTOMIZE, objects)), '<=', 1.3, 'x', notRun('kubectl kustomize')),
  );
  return [
    target('2,000 objects: kustomize time / ours', ratio(find(KUSTOMIZE, 2000), find(OURS, 2000)), '>=', 4, 'x', notRun('2,000 objects with kustomize')),
    target('6,000 objects: kustomize time / ours', ratio(find(KUSTOMIZE, 6000), find(OURS, 6000)), '>=', 10, 'x', notRun('6,000 objects with kustomize')),
    target('growth: ours at 6,000 / ours at 2,000', ratio(find(OURS, 6000), find(OURS, 2000)), '<=', 3.5, 'x', notRun('2,000 and 6,000 objects')),
    target('example app: ours / node -e 0', ratio(find(EXAMPLE_APP, null), find(EMPTY_NODE, null)), '<=', 1.5, 'x', m.exampleSkip),
    target('peak RSS ours at 6,000 objects', rss6000, '<=', 150, ' MiB', m.rssMethod.startsWith('not measured') ? m.rssMethod : notRun('6,000 objects')),
    ...kustomizeOverhead,
  ];
}

function main(): void {
  if (!existsSync(PLUGIN)) fail(`${PLUGIN} does not exist: run node scripts/build.mjs first`);
  const sizes = sizesFromEnv();
  const work = mkdtempSync(join(tmpdir(), 'canary-bench-'));
  let measured: Measured;
  let hostile: HostileRow[];
  try {
    measured = measureAll(sizes, work);
    process.stdout.write('hostile inputs (issue 10):\n');
    hostile = measureHostile(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const checked = targets(sizes, measured);
  process.stdout.write(`\n${formatTable(measured.rows)}\n\nhostile inputs:\n${formatHostile(hostile)}\n\ntargets:\n${checked.map(formatTarget).join('\n')}\n`);

  const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', kubectl: measured.kubectl };
  const results = { generatedAt: new Date().toISOString(), machine, rssMethod: measured.rssMethod, sizes, rows: measured.rows, hostile, targets: checked };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwrote ${RESULTS}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`\nbench: FAILED: ${error instanceof BenchError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
}
