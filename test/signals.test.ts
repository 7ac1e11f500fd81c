// SIGTERM in the middle of a render (the cmp-server's deadline): the process must end promptly, non-zero, with
// nothing on stdout; once the complete output is being written, a signal must not cut it short.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeTree } from '../bench/tree.js';
import { runBundle } from './support/run-bundle.js';

/** Objects in the large app: rendering it takes many seconds, far longer than a prompt exit. */
const LARGE = 30_000;
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time the process has used, from /proc; undefined where there is no /proc. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

describe('signals', () => {
  let large = '';
  let small = '';
  before(() => {
    large = mkdtempSync(join(tmpdir(), 'canary-mapping-signals-'));
    small = mkdtempSync(join(tmpdir(), 'canary-mapping-signals-'));
    writeTree(large, LARGE);
    writeTree(small, 1500);
    // writeTree also writes a kustomization.yaml for the benchmark; this test is about the plain directory source.
    rmSync(join(large, 'kustomization.yaml'));
    rmSync(join(small, 'kustomization.yaml'));
  });
  after(() => {
    rmSync(large, { recursive: true, force: true });
    rmSync(small, { recursive: true, force: true });
  });

  // At start-up, while loading, while parsing, and once it has been busy for a while.
  for (const delay of [0, 60, 250, 'busy'] as const) {
    it(`SIGTERM ${delay === 'busy' ? 'after half a second of CPU' : `${delay} ms after the start`}: a prompt non-zero exit, nothing on stdout`, async () => {
      let killedAt = 0;
      const result = await runBundle(['generate', '.', `--max-documents=${LARGE}`], {
        cwd: large,
        timeoutMs: 60_000,
        started: (child) => {
          void (async () => {
            if (delay === 'busy') {
              for (let waited = 0; waited < 20_000 && (cpuSeconds(child.pid!) ?? waited / 1000) < 0.5; waited += 20) await sleep(20);
            } else {
              await sleep(delay);
            }
            killedAt = Date.now();
            child.kill('SIGTERM');
          })();
        },
      });
      const exitTook = Date.now() - killedAt;
      assert.equal(result.timedOut, false);
      assert.ok(result.signal === 'SIGTERM' || (result.code !== null && result.code !== 0), `ended by the signal or non-zero: ${result.code} ${result.signal}`);
      assert.equal(result.stdout, '', 'nothing on stdout');
      assert.doesNotMatch(result.stderr, /internal error|^\s+at /m);
      // The render itself takes far longer (tens of seconds); this only tells a prompt exit from a finished render.
      assert.ok(exitTook < 5000, `exited ${exitTook} ms after the signal`);
    });
  }

  it('SIGTERM while the complete output is being written: the output is written whole', async () => {
    const expected = await runBundle(['generate'], { cwd: small, timeoutMs: 60_000 });
    assert.equal(expected.code, 0);
    let signalled = false;
    const result = await runBundle(['generate'], {
      cwd: small,
      timeoutMs: 60_000,
      started: (child) => {
        // The first bytes mean the write has begun; stop reading so the writer waits on a full pipe, then signal it.
        child.stdout!.once('data', () => {
          child.stdout!.pause();
          child.kill('SIGTERM');
          signalled = true;
          setTimeout(() => child.stdout!.resume(), 300);
        });
      },
    });
    assert.ok(signalled, 'the signal was sent during the write');
    assert.ok(expected.stdout.length > 200_000, 'the output is larger than a pipe holds');
    assert.equal(result.stdout.length, expected.stdout.length, 'not truncated');
    assert.equal(result.stdout, expected.stdout);
    assert.equal(result.code, 0);
  });
});
