// The README and docs/ are part of the product: their promises are checked here against the code, and every link
// between them against the files and headings it points at.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { test } from 'node:test';
import { readmeTables, TARGETS, type Row, type Target } from '../bench/run.js';
import { repoRoot } from './support/repo.js';
import { FINDING_CODES } from '../src/audit/entry.js';
import { errorCodeGroups } from '../scripts/docs/error-codes.js';

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

// From the files, not the running Node.js: the suite must pass on any supported line.
test('README states the Node.js lines: the one the suite runs on here (as docs/install.md says), and the image\'s', () => {
  const image = /^ARG NODE_IMAGE=node:(\d+)\./m.exec(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))![1];
  const here = /the whole suite runs here on\s+Node\.js (\d+)\./.exec(readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8'))![1];
  assert.match(readme, new RegExp(`tested here on Node\\.js ${here}\\b`));
  assert.match(readme, new RegExp(`the image runs Node\\.js ${image} LTS`));
});

/** Every code a diagnostic of the source can carry: what `diagnostic(…)` is called with, and the YAML reader's problems. */
function reportableCodes(): Set<string> {
  const codes = new Set<string>();
  const findings = new Set<string>(FINDING_CODES);
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/[dD]iagnostic\(\s*'([a-z0-9-]+)'/g)) codes.add(match[1]!);
    // Problems the YAML reader fails with, or returns as values, turned into diagnostics by its caller.
    for (const match of text.matchAll(/\bthis\.fail\([^,]*, '([a-z0-9-]+)'/g)) codes.add(match[1]!);
    // `code:` also spells audit findings, which are not diagnostics (docs/audit.md explains those), and zod's issue
    // codes, which are not the plugin's: only the manifests reader's problems count.
    if (file.includes(`${sep}manifests${sep}`)) {
      for (const match of text.matchAll(/\bcode: '([a-z0-9-]+)'/g)) if (!findings.has(match[1]!)) codes.add(match[1]!);
    }
    // A code chosen by a condition: `diagnostic(cond ? 'a' : 'b', …)`.
    for (const match of text.matchAll(/diagnostic\([^,'(]*\? '([a-z-]+)' : '([a-z-]+)'/g)) codes.add(match[1]!).add(match[2]!);
  }
  return codes;
}

test('the error-code table has an entry for every code the code can report, and none that it cannot', () => {
  const codes = reportableCodes();
  assert.ok(codes.size > 60, `found the codes (${codes.size})`);
  const entries = errorCodeGroups.flatMap((group) => Object.keys(group.codes));
  assert.deepEqual(entries.filter((code, i) => entries.indexOf(code) !== i), [], 'each code has one entry');
  assert.deepEqual([...codes].filter((code) => !entries.includes(code)).sort(), [], 'codes without an entry in scripts/docs/error-codes.ts');
  assert.deepEqual(entries.filter((code) => !codes.has(code)), [], 'entries of scripts/docs/error-codes.ts for codes the source no longer reports');
  for (const group of errorCodeGroups) {
    for (const [code, meaning] of Object.entries(group.codes)) assert.ok(meaning.trim().length > 10, `${code} says what it means`);
  }
});

test('the Install and Security pages match the Dockerfile, deploy/ and the lock file', () => {
  const install = readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8');
  const security = readFileSync(join(repoRoot, 'docs', 'security.md'), 'utf8');
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

/** The anchor GitHub gives a heading: lower case, punctuation removed, spaces turned into `-`. */
function headingAnchor(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The lines of a Markdown page outside fenced code blocks, with inline code spans blanked out. */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length)));
  }
  return lines;
}

/** Every anchor a page's headings give, numbered as GitHub numbers repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) fence = fence === undefined ? marker : undefined;
    const heading = fence === undefined ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) continue;
    const anchor = headingAnchor(heading);
    let numbered = anchor;
    for (let n = 1; anchors.has(numbered); n++) numbered = `${anchor}-${n}`;
    anchors.add(numbered);
  }
  return anchors;
}

const docsDirectory = join(repoRoot, 'docs');
const pages = ['README.md', ...readdirSync(docsDirectory).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

test('GitHub anchors: lower case, punctuation removed, spaces to -', () => {
  assert.equal(headingAnchor("namePrefix, nameSuffix and the Rollout's Mapping names"), 'nameprefix-namesuffix-and-the-rollouts-mapping-names');
  assert.equal(headingAnchor('Strategies, templates and preview routes'), 'strategies-templates-and-preview-routes');
  assert.equal(headingAnchor('`max-depth` and the [Limits](x.md)'), 'max-depth-and-the-limits');
  assert.deepEqual([...anchorsOf('# FAQ\n```yaml\n# not a heading\n```\n## FAQ\n')], ['faq', 'faq-1']);
});

test('every relative link and #anchor in README.md and docs/ resolves', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(join(repoRoot, page), 'utf8');
    proseLines(text).forEach((line) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        checked++;
        const [path, anchor] = target.split('#', 2) as [string, string | undefined];
        const file = path === '' ? join(repoRoot, page) : join(repoRoot, dirname(page), path);
        if (!existsSync(file)) {
          broken.push(`${page}: ${target}: no such file`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!file.endsWith('.md')) broken.push(`${page}: ${target}: an anchor into a file that is not Markdown`);
        else if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${page}: ${target}: no such heading`);
      }
    });
  }
  assert.ok(checked > 40, `found the links (${checked})`);
  assert.deepEqual(broken, []);
});

test('README stays short and links every page of docs/', () => {
  assert.ok(Buffer.byteLength(readme) <= 12 * 1024, `README.md has ${Buffer.byteLength(readme)} bytes; move detail into docs/`);
  const unlinked = pages.filter((page) => page !== 'README.md' && !readme.includes(`](${page})`));
  assert.deepEqual(unlinked, []);
});

test('Performance shows the figures of bench/results/latest.json, measured against the targets bench/run.ts checks', () => {
  const results = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'latest.json'), 'utf8')) as { rows: Row[]; targets: Target[] };
  const limits = (targets: readonly Pick<Target, 'name' | 'op' | 'limit' | 'unit'>[]) => targets.map(({ name, op, limit, unit }) => ({ name, op, limit, unit }));
  assert.deepEqual(limits(results.targets), limits(TARGETS), 'latest.json was measured against the current targets: run npm run bench');
  const performance = /<!-- bench:begin -->([\s\S]*)<!-- bench:end -->/.exec(readFileSync(join(repoRoot, 'docs', 'performance.md'), 'utf8'))![1]!;
  assert.ok(performance.includes(readmeTables(results.rows, results.targets)), 'paste the tables npm run bench prints into docs/performance.md');
});
