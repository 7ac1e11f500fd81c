import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean, nearestNames } from '../../src/diagnostics/nearest-names.js';

describe('nearest names', () => {
  const known = ['--rollouts-version', '--max-depth', '--max-documents', '--strategy'];

  it('finds a name a letter or two away, ignoring case and separators', () => {
    assert.deepEqual(nearestNames('--rollout-version', known), ['--rollouts-version']);
    assert.deepEqual(nearestNames('--ROLLOUTS_VERSION', known), ['--rollouts-version']);
    assert.deepEqual(nearestNames('--strategie', known), ['--strategy']);
  });

  it('names every equally near name, at most three, in the order given', () => {
    assert.deepEqual(nearestNames('ab', ['aa', 'ba', 'bb', 'cc']), ['aa', 'bb']);
    assert.deepEqual(nearestNames('x', ['a', 'b', 'c', 'd']), ['a', 'b', 'c']);
  });

  it('guesses nothing when every name is far off', () => {
    assert.deepEqual(nearestNames('--colour', known), []);
    assert.equal(didYouMean('--colour', known, 'run --help'), 'run --help');
  });

  it('words one or several names as a question', () => {
    assert.equal(didYouMean('--max-dept', known, ''), 'did you mean --max-depth?');
    assert.equal(didYouMean('ab', ['aa', 'bb', 'ac'], ''), 'did you mean aa, bb or ac?');
  });
});
