import assert from 'node:assert/strict';
import {
  downloads,
  isPopular,
  popularityText,
  popularNames,
  popularRank,
  registerPopular,
  registerShippedPopular,
} from '../../../../server/src/data/popular';
import { findLookalike } from '../../../../server/src/data/lookalike';

describe('popular package data', () => {
  afterEach(() => registerShippedPopular());

  it('ships the top 5,000 PyPI names (PEP 503, rank order) and the top 3,000 npm names with downloads', () => {
    const pypi = popularNames('PyPI');
    assert.equal(pypi.length, 5000);
    assert.equal(new Set(pypi).size, 5000);
    for (const n of pypi) assert.match(n, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, n);
    assert.ok(popularRank('PyPI', 'boto3')! <= 3);
    assert.ok(popularRank('PyPI', 'requests')! < popularRank('PyPI', 'torch')!);
    assert.equal(isPopular('PyPI', 'torch'), true);
    assert.equal(isPopular('PyPI', 'Torch'), false, 'callers pass normalised names');
    assert.equal(downloads('PyPI', 'torch'), undefined, 'the PyPI table has ranks only');
    assert.equal(popularNames('npm').length, 3000);
    assert.ok(downloads('npm', 'lodash')! > 1_000_000);
    assert.match(popularityText('npm', 'lodash'), /^about [\d.]+ (million|billion) downloads a month$/);
    assert.equal(popularityText('PyPI', 'requests'), `#${popularRank('PyPI', 'requests')} by downloads on PyPI`);
    assert.equal(popularityText('PyPI', 'no-such-package-here'), '');
  });

  it('replacing a list re-indexes look-alikes', () => {
    registerPopular('PyPI', ['zebra-tools', 'requests']);
    assert.equal(popularRank('PyPI', 'zebra-tools'), 1);
    assert.equal(isPopular('PyPI', 'numpy'), false);
    // (`zebra-toolz` would read as a zebra- plugin of the real package toolz.)
    assert.equal(findLookalike('PyPI', 'zebra-tols')?.target, 'zebra-tools');
    registerShippedPopular();
    assert.equal(findLookalike('PyPI', 'zebra-tols'), undefined);
    assert.equal(isPopular('PyPI', 'numpy'), true);
  });
});
