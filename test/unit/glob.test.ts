import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileGlobs } from '../../src/manifests/glob.js';

it('matches exclude globs against paths relative to the app directory', () => {
  const cases: Array<[string, string, boolean]> = [
    ['tests/**', 'tests/a.yaml', true],
    ['tests/**', 'tests/deep/a.yaml', true],
    ['tests/**', 'other/tests/a.yaml', false],
    ['*.values.yaml', 'prod.values.yaml', true],
    ['*.values.yaml', 'charts/prod.values.yaml', true],
    ['charts/*.yaml', 'charts/a.yaml', true],
    ['charts/*.yaml', 'charts/x/a.yaml', false],
    ['**/kustomization.yaml', 'kustomization.yaml', true],
    ['**/kustomization.yaml', 'a/b/kustomization.yaml', true],
    ['file?.yaml', 'file1.yaml', true],
    ['file?.yaml', 'file10.yaml', false],
    ['{a,b}.yaml', 'b.yaml', true],
    ['[ab].yaml', 'c.yaml', false],
    ['./local.yaml', 'local.yaml', true],
    ['a.b', 'axb', false],
  ];
  for (const [glob, path, expected] of cases) assert.equal(compileGlobs([glob])(path), expected, `${glob} vs ${path}`);
});
