// The folders of src/ form one pipeline: each may import only folders below it in LAYERS, so the order in which the
// code can be read (and changed) is the order listed here. Type-only imports count too: a type from a higher layer
// still couples the lower one to its meaning, and would let a cycle back in as soon as a value follows the type.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/repo.js';

/** Lowest first. */
const LAYERS = [
  'diagnostics', // codes, messages, locations, "did you mean": a leaf
  'manifests', // YAML reading and writing, the manifest model, globs
  'settings', // the settings table, its validation, the config file and Argo CD parameters as sources
  'input', // files from the repository under the limits, parsed into manifests
  'ambassador', // what Emissary and its API server do with a Mapping
  'rollouts', // what the Argo Rollouts controller does with a Rollout
  'canary', // the per-Mapping plan: base lookup, declaration, checks, solver, emitted objects
  'core', // the render: every Rollout's plans applied to the manifests
  'audit', // live objects against the plans
  'report', // explain and audit output
  'cmp', // the Argo CD plugin's announcement and Helm plugin file
  'sources', // directory, Kustomize and Helm inputs
  'cli', // commands
] as const;

const src = join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file names: static and type imports, re-exports, require() and import(). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => resolve(dirname(file), spec));
}

function folderOf(path: string): string {
  return relative(src, path).split(sep)[0]!;
}

const edges = sourceFiles(src).flatMap((file) => relativeImports(file).map((target) => ({ file, from: folderOf(file), to: folderOf(target) })));

test('every folder of src/ has a place in the layer table, and every layer is a folder', () => {
  const folders = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());
  assert.deepEqual([...folders].sort(), [...LAYERS].sort());
});

test('the import scan sees the imports between folders', () => {
  // A scan that found nothing would pass the next test vacuously.
  assert.ok(edges.some((e) => e.from === 'cli' && e.to === 'sources'));
  assert.ok(edges.some((e) => e.from === 'canary' && e.to === 'diagnostics'));
});

test('no folder imports one above it in the layer table, or outside src/', () => {
  const rank = (folder: string) => LAYERS.indexOf(folder as (typeof LAYERS)[number]);
  const upward = edges
    .filter((e) => e.from !== e.to && (rank(e.to) < 0 || rank(e.to) > rank(e.from)))
    .map((e) => `${relative(repoRoot, e.file)} (${e.from}) imports ${e.to}`);
  assert.deepEqual(upward, []);
});
