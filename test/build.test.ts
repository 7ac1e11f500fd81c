// Reproducible build: the executable's bytes depend only on the commit. Two builds, one in this checkout and one in a
// copy of it at another path run from another working directory, must give the same file, holding neither path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { buildInputs, repoRoot } from './support/repo.js';

const work = mkdtempSync(join(tmpdir(), 'canary-mapping-build-'));
after(() => rmSync(work, { recursive: true, force: true }));

function build(checkout: string, cwd: string, outfile: string): Buffer {
  execFileSync(process.execPath, [join(checkout, 'scripts', 'build.mjs'), '--outfile', outfile], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(outfile);
}

/** What the build reads, copied to another path; node_modules linked, as a second clone would have its own. */
function copyCheckout(): string {
  const copy = join(work, 'other-checkout');
  for (const path of buildInputs) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

it('two builds from the same commit, at different paths and working directories, are byte-identical', () => {
  const elsewhere = join(work, 'elsewhere');
  mkdirSync(elsewhere);
  const here = join(work, 'here', 'canary-mapping');
  const copy = copyCheckout();
  const first = build(repoRoot, repoRoot, here);
  const second = build(copy, elsewhere, join(work, 'there', 'canary-mapping'));
  assert.ok(first.equals(second), `the builds differ (${first.length} and ${second.length} bytes)`);

  const text = first.toString('utf8');
  assert.ok(text.startsWith('#!/usr/bin/env node\n'));
  for (const path of [repoRoot.replace(/\/$/, ''), copy, elsewhere, work]) assert.ok(!text.includes(path), `no path ${path} in the bundle`);
  assert.equal(statSync(here).mode & 0o777, 0o755);
  // The build made a working executable, not merely the same bytes twice.
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(execFileSync(process.execPath, [here, '--version'], { encoding: 'utf8' }).trim(), `canary-mapping ${version}`);
});
