// The Dockerfile cannot be built here (no container engine), so this checks what can be checked from its text: base
// images pinned, the bundle built as on a developer's machine, every copied file present after `npm run build` and
// inside the build context, and the runtime image's paths, user and entrypoint in agreement with cmp-plugin.yaml and
// deploy/. The image build itself is verified by the maintainer (docs/install.md).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildInputs, repoRoot } from './support/repo.js';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/** Stages, with `${ARG}` in FROM replaced by the defaults of the ARGs declared before the first FROM. */
function stages(text: string): Stage[] {
  const globals = new Map<string, string>();
  const result: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.replace(/\$\{(\w+)\}/g, (_, arg: string) => globals.get(arg) ?? '').split(/\s+/);
      result.push({ image: image!, ...(as?.toUpperCase() === 'AS' ? { name: name! } : {}), instructions: [] });
    } else if (result.length === 0 && instruction.keyword === 'ARG') {
      const [name, value = ''] = instruction.args.split('=');
      globals.set(name!, value);
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

/** A stage's ARG defaults. */
function args(stage: Stage): Map<string, string> {
  return new Map(stage.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=') as [string, string]));
}

interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      return { ...(from ? { from } : {}), sources: paths.slice(0, -1), destination: paths.at(-1)! };
    });
}

/** Whether .dockerignore keeps `path` in the build context: the last pattern matching it or a parent decides. */
function inContext(path: string, patterns: string[]): boolean {
  const segments = path.split('/');
  let included = true;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/|\/$/g, '');
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}$`);
    if (segments.some((_, index) => regex.test(segments.slice(0, index + 1).join('/')))) included = negated;
  }
  return included;
}

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const all = stages(dockerfile);
const runtime = all.at(-1)!;
const plugin = parseYaml(readFileSync(join(repoRoot, 'cmp-plugin.yaml'), 'utf8')) as Record<string, any>;
/** The JSON patch of deploy/sidecar: the sidecar container it appends, and the volumes. */
const sidecarPatch = parseYaml(readFileSync(join(repoRoot, 'deploy', 'sidecar', 'repo-server-sidecar.yaml'), 'utf8')) as { path: string; value: Record<string, any> }[];
const sidecar = sidecarPatch.find((op) => op.path === '/spec/template/spec/containers/-')!.value;
const volumes = sidecarPatch.filter((op) => op.path === '/spec/template/spec/volumes/-').map((op) => op.value);
const valueOf = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;

describe('Dockerfile', () => {
  it('pins every base image by version (or digest), never latest', () => {
    const bases = all.map((stage) => stage.image).filter((image) => !all.some((stage) => stage.name === image));
    assert.ok(bases.length > 0);
    for (const image of bases) {
      const tag = /:([^/@]+)(@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
      assert.ok(tag && /\d+\.\d+\.\d+/.test(tag) && !/latest/.test(tag), `${image} is pinned to a full version`);
    }
  });

  it('runs Node.js of a supported LTS line (22 or 24: 20 is past its end of life), the image docs/install.md names', () => {
    const version = /^node:(\d+\.\d+\.\d+)-bookworm-slim$/.exec(runtime.image)?.[1];
    assert.ok(version && ['22', '24'].includes(version.split('.')[0]!), `${runtime.image} is node:<22 or 24>.x.y-bookworm-slim`);
    assert.ok(all.every((stage) => stage.image === runtime.image || all.some((other) => other.name === stage.image)), 'every stage builds on the same Node.js');
    const install = readFileSync(join(repoRoot, 'docs', 'install.md'), 'utf8');
    assert.ok(install.includes(`imagetools inspect ${runtime.image}\``), 'docs/install.md looks up the digest of this image');
    assert.ok(install.includes(`(\`${runtime.image}\`)`), 'docs/install.md says which Node.js the image runs');
  });

  it('builds the bundle with npm ci and npm run build, from the lock file', () => {
    const build = all.find((stage) => copies(stage).some((copy) => copy.sources.includes('package-lock.json')))!;
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(runs.some((run) => /^npm ci\b/.test(run)), 'npm ci');
    assert.ok(runs.some((run) => /^npm run build\b/.test(run)), 'npm run build');
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
    assert.match(scripts.build, /scripts\/build\.mjs/);
    // The lock file for npm ci; the rest is what the build reads, which the reproducible-build test builds from.
    const copied = copies(build).flatMap((copy) => copy.sources);
    assert.deepEqual(copied.filter((source) => source !== 'package-lock.json').sort(), [...buildInputs].sort());
  });

  it('copies only files that exist after npm run build and that .dockerignore keeps in the context', () => {
    const patterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    let checked = 0;
    for (const stage of all) {
      for (const copy of copies(stage)) {
        const from = copy.from && all.find((s) => s.name === copy.from);
        for (const source of copy.sources) {
          if (copy.from && !from) assert.fail(`COPY --from=${copy.from}: no such stage`);
          if (from) {
            // Files of a stage that built the repository: its WORKDIR is the repository root.
            if (!from.instructions.some((i) => i.keyword === 'COPY' && i.args.includes('package.json'))) continue;
            const workdir = valueOf(from, 'WORKDIR')!;
            const relative = posix.relative(workdir, source);
            // Built in that stage from context files, which the other branch checks.
            assert.ok(existsSync(join(repoRoot, relative)), `${source} of stage ${copy.from} is ${relative}, which npm run build makes`);
          } else {
            assert.ok(existsSync(join(repoRoot, source)), `${source} exists`);
            assert.ok(inContext(source, patterns), `${source} is not excluded by .dockerignore`);
          }
          checked++;
        }
      }
    }
    assert.ok(checked >= 7, `checked ${checked} sources`);
  });

  it('puts the bundle on PATH under the name cmp-plugin.yaml calls, and plugin.yaml where the cmp-server reads it', () => {
    const copied = copies(runtime);
    const bundle = copied.find((copy) => copy.sources.some((source) => source.endsWith('/dist/canary-mapping')))!;
    const path = (valueOf(runtime, 'ENV')?.match(/\bPATH=(\S+)/)?.[1] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
    assert.ok(path.includes(posix.dirname(bundle.destination)), `${bundle.destination} is on PATH`);
    for (const command of [plugin.spec.generate.command, plugin.spec.parameters.dynamic.command]) {
      assert.equal(posix.basename(bundle.destination), command[0], `cmp-plugin.yaml calls ${command[0]}`);
    }
    const config = copied.find((copy) => copy.sources.includes('cmp-plugin.yaml'))!;
    assert.equal(config.destination, '/home/argocd/cmp-server/config/plugin.yaml');
    assert.ok(copied.some((copy) => copy.from === 'kustomize' && copy.destination === '/usr/local/bin/kustomize'), 'Kustomize on PATH');
  });

  it('runs as the user, with the entrypoint, that deploy/ gives the sidecar', () => {
    assert.equal(valueOf(runtime, 'USER'), '999');
    assert.equal(sidecar.securityContext.runAsUser, 999);
    assert.equal(sidecar.securityContext.runAsNonRoot, true);
    assert.deepEqual(JSON.parse(valueOf(runtime, 'ENTRYPOINT')!), sidecar.command);
    assert.deepEqual(sidecar.command, ['/var/run/argocd/argocd-cmp-server']);
  });

  it('needs no writable root filesystem: HOME and the cache directory are in the /tmp emptyDir deploy/ mounts', () => {
    const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    const home = /\bHOME=(\S+)/.exec(env)?.[1];
    const cache = /\bXDG_CACHE_HOME=(\S+)/.exec(env)?.[1];
    const tmp = sidecar.volumeMounts.find((mount: { mountPath: string }) => mount.mountPath === '/tmp');
    assert.ok(tmp, 'the sidecar mounts /tmp');
    assert.ok(volumes.some((volume) => volume.name === tmp.name && volume.emptyDir !== undefined), '/tmp is an emptyDir of its own');
    for (const dir of [home, cache]) assert.ok(dir === '/tmp' || dir?.startsWith('/tmp/'), `${dir} is under /tmp`);
    assert.equal(sidecar.securityContext.readOnlyRootFilesystem, true);
  });

  it('fetches a pinned Kustomize and checks its SHA-256 before running it', () => {
    const stage = all.find((s) => s.name === 'kustomize')!;
    const defaults = args(stage);
    assert.match(defaults.get('KUSTOMIZE_VERSION') ?? '', /^\d+\.\d+\.\d+$/);
    for (const arch of ['AMD64', 'ARM64']) assert.match(defaults.get(`KUSTOMIZE_SHA256_${arch}`) ?? '', /^[0-9a-f]{64}$/, `a SHA-256 for ${arch}`);
    const run = stage.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('sha256sum -c'))!.args;
    assert.ok(run.indexOf('sha256sum -c') < run.indexOf('./kustomize'), 'checked before it runs');
    assert.match(run, /kustomize_v\$\{KUSTOMIZE_VERSION\}_linux_\$\{TARGETARCH\}\.tar\.gz/);
  });
});
