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

it('matches in time proportional to the path: globs that make regular expressions backtrack do not hang', { timeout: 10_000 }, () => {
  // As regular expressions these take exponential time on a long run of `a`; a hang here fails by the timeout.
  const long = `${'a'.repeat(4000)}`;
  assert.equal(compileGlobs(['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'])(long), false);
  assert.equal(compileGlobs(['**/**/**/**/**/**/**/**/x'])(`${'a/'.repeat(2000)}y`), false);
  assert.equal(compileGlobs(['{*a,*a}{*a,*a}{*a,*a}{*a,*a}{*a,*a}b'])(long), false);
  assert.equal(compileGlobs(['*a*a*a*a*a*a*a*a*a*a*a*a*a*a'])(long), true);
});

it('treats a bracket without a valid class as an ordinary character', () => {
  assert.equal(compileGlobs(['[z-a].yaml'])('[z-a].yaml'), true);
  assert.equal(compileGlobs(['[ab'])('[ab'), true);
});
