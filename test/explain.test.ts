// `canary-mapping explain` on the bundled examples: the exact report, in text and JSON. UPDATE_GOLDEN=1 rewrites it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../src/cli/main.js';
import { repoRoot } from './support/repo.js';

const update = process.env.UPDATE_GOLDEN === '1';
const explain = (...argv: string[]) => runCli(['explain', ...argv], {}, { cwd: repoRoot, version: 'test' });

function expectFile(name: string, actual: string): void {
  const file = join(repoRoot, 'test', 'explain', name);
  if (update) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

describe('explain', () => {
  for (const [example, outputs] of [
    ['identity', ['text']],
    ['checkout', ['text', 'json']],
  ] as const) {
    for (const output of outputs) {
      it(`examples/${example} as ${output}`, async () => {
        const result = await explain(`examples/${example}`, '--output', output);
        assert.equal(result.stderr, '');
        assert.equal(result.exitCode, 0);
        expectFile(`${example}.${output === 'json' ? 'json' : 'txt'}`, result.stdout);
        if (output === 'json') assert.equal(JSON.parse(result.stdout).mappings.length, 1);
      });
    }
  }

  it('shows the analysis on stderr with the problems, and nothing on stdout, when the app has errors', async () => {
    const result = await explain('test/golden/error-no-clone-safe-form/input');
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Argo Rollouts ≤ 1\.6\.6 from written base {2}identity-canary:443 — without TLS/);
    assert.match(result.stderr, /verdict +unsafe/);
    assert.match(result.stderr, /error\[no-clone-safe-form\]/);
  });

  it('says so when no Rollout routes through Ambassador', async () => {
    const result = await explain('examples/identity', '--exclude=rollout.yaml');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'No Rollout in this app routes through Ambassador Mappings: nothing to explain.\n');
  });
});
