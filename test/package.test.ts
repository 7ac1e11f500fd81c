// What a release ships: `npm pack` must hold the bundle and cmp-plugin.yaml as its only runtime payload (plus the
// package.json, README and LICENSE npm always adds), and the bundle must run on its own, with no node_modules beside
// it and no source map or path of the machine that built it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { repoRoot } from './support/repo.js';

const bundle = join(repoRoot, 'dist', 'canary-mapping');

it('npm pack ships the bundle and cmp-plugin.yaml, nothing else that runs', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
    files: { path: string; mode: number }[];
    bundled: string[];
  }[];
  const files = pack!.files.map((file) => file.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'cmp-plugin.yaml', 'dist/canary-mapping', 'package.json']);
  assert.deepEqual(pack!.bundled, [], 'no bundled dependencies');
  assert.equal(pack!.files.find((file) => file.path === 'dist/canary-mapping')!.mode & 0o111, 0o111, 'the bundle is executable');
});

it('the bundle has no source map and no path of the build machine', () => {
  const text = readFileSync(bundle, 'utf8');
  assert.ok(!text.includes('sourceMappingURL'), 'no source map reference');
  assert.ok(!text.includes(repoRoot.replace(/\/$/, '')), 'no absolute path of the checkout');
  assert.ok(text.startsWith('#!/usr/bin/env node\n'));
});

it('the bundle runs alone: copied where no node_modules can be found, it renders and reports with positions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canary-mapping-alone-'));
  try {
    copyFileSync(bundle, join(dir, 'canary-mapping'));
    const run = (args: string[]) => {
      try {
        return { code: 0, stdout: execFileSync(process.execPath, [join(dir, 'canary-mapping'), ...args], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
      }
    };
    assert.match(run(['generate', 'examples/identity']).stdout, /kind: Rollout/);
    // A located error needs the yaml library, which is loaded lazily: it must be inside the bundle too.
    const broken = run(['generate', 'test/contract/broken']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr ?? '', /^test\/contract\/broken\/mapping\.yaml:\d+:\d+: error\[/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
