// The README is part of the product: its promises are checked here against the code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readmeTables, TARGETS, type Row, type Target } from '../bench/run.js';
import { repoRoot } from './support/repo.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('the first section gives exactly the two fresh-clone commands', () => {
  const first = readme.split(/^## /m)[1]!;
  const commands = [...first.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.trim().split('\n'));
  assert.deepEqual(commands, ['npm ci && npm start', 'npm test']);
  const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
  assert.match(scripts.start, /generate examples\/identity/);
  assert.match(readFileSync(join(repoRoot, '.ci/run'), 'utf8'), /^npm ci\b[\s\S]*^npm test$/m);
});

test('every diagnostic code the code can report is explained in the README', () => {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/diagnostic\(\s*'([a-z0-9-]+)'/g)) codes.add(match[1]!);
    // Problems the YAML reader returns as values, turned into diagnostics by its caller.
    for (const match of text.matchAll(/\bcode: '([a-z0-9-]+)'/g)) codes.add(match[1]!);
    // A code chosen by a condition: `diagnostic(cond ? 'a' : 'b', …)`.
    for (const match of text.matchAll(/diagnostic\([^,'(]*\? '([a-z-]+)' : '([a-z-]+)'/g)) codes.add(match[1]!).add(match[2]!);
  }
  assert.ok(codes.size > 20, `found the codes (${codes.size})`);
  const undocumented = [...codes].filter((code) => !readme.includes(`\`${code}\``));
  assert.deepEqual(undocumented, []);
});

test('the Install and Security sections match the Dockerfile, deploy/ and the lock file', () => {
  const section = (title: string) => readme.split(/^## /m).find((part) => part.startsWith(`${title}\n`)) ?? '';
  const install = section('Install');
  const security = section('Security');
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)![1]!;
  const kustomize = /^ARG KUSTOMIZE_VERSION=(\S+)$/m.exec(dockerfile)![1]!;
  assert.ok(install.includes(nodeImage), `Install names the base image ${nodeImage}`);
  assert.ok(install.includes(`Kustomize ${kustomize}`), `Install names Kustomize ${kustomize}`);
  const sidecar = readFileSync(join(repoRoot, 'deploy', 'sidecar', 'repo-server-sidecar.yaml'), 'utf8');
  const image = /image: ([^:\s]+):/.exec(sidecar)![1]!;
  assert.ok(install.includes(`name: ${image}`), `Install overrides the component's image ${image}`);
  for (const text of ['deploy/sidecar', 'deploy/example/application.yaml', 'reposerver.plugin.tar.exclusions: .git/*', 'server.repo.server.timeout.seconds', 'ARGOCD_EXEC_TIMEOUT']) {
    assert.ok(install.includes(text), `Install mentions ${text}`);
  }
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  for (const name of Object.keys(lock.packages[''].dependencies)) {
    const version = lock.packages[`node_modules/${name}`].version;
    assert.ok(security.includes(`${name} ${version}`), `Security lists the runtime dependency ${name} ${version}`);
  }
});

test('Performance shows the figures of bench/results/latest.json, measured against the targets bench/run.ts checks', () => {
  const results = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'latest.json'), 'utf8')) as { rows: Row[]; targets: Target[] };
  const limits = (targets: readonly Pick<Target, 'name' | 'op' | 'limit' | 'unit'>[]) => targets.map(({ name, op, limit, unit }) => ({ name, op, limit, unit }));
  assert.deepEqual(limits(results.targets), limits(TARGETS), 'latest.json was measured against the current targets: run npm run bench');
  const performance = /<!-- bench:begin -->([\s\S]*)<!-- bench:end -->/.exec(readme)![1]!;
  assert.ok(performance.includes(readmeTables(results.rows, results.targets)), 'paste the tables npm run bench prints into README, "Performance"');
});
