// The hostile inputs of issue 10 (test/support/hostile-apps.ts), timed: each once cost more than linear time or
// overflowed the stack, and must now finish in linear time or stop at a named bound. Part of `npm run bench`; on its
// own: node build/bench/hostile.js (BENCH_RUNS and BENCH_PLUGIN as for bench/run.ts).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hostileApps } from '../test/support/hostile-apps.js';

const PLUGIN = process.env.BENCH_PLUGIN ?? join(__dirname, '..', '..', 'dist/canary-mapping');

export interface HostileRow {
  name: string;
  runs: number;
  medianMs: number;
  maxMs: number;
  exitCode: number | null;
  /** The diagnostic code of the first problem, when the render must fail. */
  stoppedBy: string | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times every hostile app in a directory under `work`; throws when one does not end as its test expects. */
export function measureHostile(work: string, runs = Number(process.env.BENCH_RUNS ?? 3)): HostileRow[] {
  return hostileApps.map((make, index) => {
    const app = make();
    const dir = join(work, `hostile-${index}`);
    for (const [path, text] of Object.entries(app.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    process.stdout.write(`  ${app.name}: ${runs} run(s) `);
    const samples: number[] = [];
    let last: SpawnSyncReturns<string> | undefined;
    for (let run = 0; run < runs; run++) {
      const start = process.hrtime.bigint();
      last = spawnSync(PLUGIN, ['generate', ...app.args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      process.stdout.write('.');
    }
    const stoppedBy = /error\[([\w-]+)\]/.exec(last!.stderr)?.[1] ?? null;
    const expected = app.fails ? last!.status === 1 && stoppedBy === app.fails : last!.status === 0;
    if (!expected) throw new Error(`${app.name}: exit ${last!.status ?? last!.signal}, expected ${app.fails ?? 'a render'}; stderr:\n${last!.stderr.slice(0, 2000)}`);
    rmSync(dir, { recursive: true, force: true });
    const row = { name: app.name, runs, medianMs: Math.round(median(samples)), maxMs: Math.round(Math.max(...samples)), exitCode: last!.status, stoppedBy };
    process.stdout.write(` median ${row.medianMs} ms\n`);
    return row;
  });
}

export function formatHostile(rows: readonly HostileRow[]): string {
  return rows.map((row) => `  ${String(row.medianMs).padStart(7)} ms median (max ${row.maxMs})  ${row.name}: ${row.stoppedBy ? `stopped by ${row.stoppedBy}` : 'rendered'}`).join('\n');
}

if (require.main === module) {
  const work = mkdtempSync(join(tmpdir(), 'canary-bench-hostile-'));
  try {
    process.stdout.write(`hostile inputs (${PLUGIN}):\n`);
    process.stdout.write(`${formatHostile(measureHostile(work))}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
