import assert from 'node:assert/strict';
import { bandRank, parseKnownList, isKnownName, knownCount, knownNames, knownRank, registerKnownNames, unrankedCount } from '../../../server/src/data/knownNames';
import { explainLookalike, findLookalike } from '../../../server/src/data/lookalike';
import { popularNames } from '../../../server/src/data/popular';

describe('known real package names', () => {
  afterEach(() => {
    registerKnownNames('PyPI', undefined);
    registerKnownNames('npm', undefined);
  });

  it('ships every ranked PyPI name and the top 20,000 npm names, read from the gzip asset', () => {
    assert.equal(knownCount('PyPI'), 14985);
    assert.equal(knownCount('npm'), 20000);
    assert.equal(unrankedCount('PyPI'), 0);
    for (const n of knownNames('PyPI')) assert.match(n, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, n);
    for (const n of knownNames('npm')) assert.equal(n, n.toLowerCase(), n);
    // The popular target lists are the head of the known lists, in the same order.
    assert.deepEqual(knownNames('PyPI').slice(0, 5000), [...popularNames('PyPI')]);
    assert.deepEqual(knownNames('npm').slice(0, 3000), [...popularNames('npm')]);
    assert.equal(knownRank('PyPI', 'boto3'), 1);
    assert.equal(isKnownName('npm', 'mongoose'), true);
    assert.equal(isKnownName('PyPI', 'reqeusts'), false);
    assert.equal(knownRank('PyPI', 'no-such-package-here'), undefined);
  });

  it('holds every other npm package with a few hundred downloads a month: listed, never ranked', () => {
    assert.ok(unrankedCount('npm') > 200_000, String(unrankedCount('npm')));
    // `franc` ranks 20,037th by downloads: listed without a rank, so never judged.
    assert.equal(isKnownName('npm', 'franc'), true);
    assert.equal(knownRank('npm', 'franc'), undefined);
    assert.equal(knownNames('npm').includes('franc'), false);
    assert.equal(findLookalike('npm', 'franc'), undefined);
    // A squat npm replaced with a security holding package keeps downloads but is not listed.
    assert.equal(isKnownName('npm', 'crossenv'), false);
    assert.equal(findLookalike('npm', 'crossenv')?.target, 'cross-env');
    // Taken off the list (as the evaluation does), a real name is judged like any unlisted one.
    registerKnownNames('npm', knownNames('npm'), undefined, ['franc']);
    assert.equal(isKnownName('npm', 'franc'), false);
    assert.equal(isKnownName('npm', 'optjs'), true, 'the rest of the shipped hashes stay');
  });

  it('keeps npm ranks 20,001-60,000 as sorted names in bands: listed, and targets of sure slips only', () => {
    // Each band name answers with its band's last rank; ranked, hashed and unknown names with none.
    assert.equal(bandRank('npm', 'puppeteer-cluster'), 30000);
    assert.equal(bandRank('npm', 'xgplayer'), 60000);
    assert.equal(isKnownName('npm', 'xgplayer'), true);
    assert.equal(knownRank('npm', 'xgplayer'), undefined);
    assert.equal(isKnownName('npm', 'cordova-plugin-appminimize'), true, 'ranked ~100,000th: hashed, beyond the bands');
    for (const n of ['puppeteer', 'cordova-plugin-appminimize', 'xgplayre', '', 'zzzzzzzzzzzz']) assert.equal(bandRank('npm', n), undefined, n);
    assert.equal(bandRank('PyPI', 'xgplayer'), undefined);
    // A dropped, doubled or swapped letter of a banded name is reported, with the banded name.
    assert.equal(findLookalike('npm', 'xgplayre')?.target, 'xgplayer');
    assert.equal(findLookalike('npm', 'pupeteer-cluster')?.target, 'puppeteer-cluster');
    assert.equal(findLookalike('npm', 'puppeteer-harr')?.target, 'puppeteer-har');
    // A plural, a separator or a letter changed makes another name this far down.
    for (const n of ['puppeteer-clusters', 'puppeteercluster', 'xgplayes']) assert.equal(explainLookalike('npm', n).candidates.some((c) => c.cls.startsWith('band-')), false, n);
    // Taken off the list, a banded name is neither listed nor a target.
    registerKnownNames('npm', knownNames('npm'), undefined, ['xgplayer']);
    assert.equal(isKnownName('npm', 'xgplayer'), false);
    assert.equal(findLookalike('npm', 'xgplayre'), undefined);
    assert.equal(bandRank('npm', 'puppeteer-cluster'), 30000, 'the rest of the bands stay');
  });

  it('reads the asset format: ranked names, sorted bands, unranked hashes; old assets and damage too', () => {
    const hashes = Buffer.from(Uint32Array.from([7, 3]).sort().buffer).toString('base64');
    const text = (bands: string): Buffer => Buffer.from(`top-a\ntop-b\n${bands}#unranked-fnv1a32-base64\n${hashes}\n`);
    const l = parseKnownList(text('#band 30\nalpha\nbeta\n#band 60\ngamma\n'));
    assert.deepEqual(l.names, ['top-a', 'top-b']);
    assert.deepEqual(l.bands.map((b) => [b.upTo, b.has('alpha'), b.has('beta'), b.has('gamma'), b.has('alph'), b.has('alphaa')]), [
      [30, true, true, false, false, false],
      [60, false, false, true, false, false],
    ]);
    assert.equal(l.bandHashes?.length, 3);
    assert.equal(l.unranked.length, 2);
    // Without bands (the previous format) and without hashes at all.
    assert.equal(parseKnownList(text('')).bands.length, 0);
    assert.deepEqual(parseKnownList(Buffer.from('x\ny\n')).names, ['x', 'y']);
    // A band mark without a number or without names is skipped, never a throw.
    assert.deepEqual(parseKnownList(text('#band many\nalpha\n#band 60\ngamma\n')).bands.map((b) => b.upTo), [60]);
    assert.deepEqual(parseKnownList(text('#band 60\n')).bands, []);
  });

  it('never calls a listed name a look-alike, however close it is to a popular one', () => {
    // Real packages one slip from a popular name, ranked 5,001-15,000 on PyPI.
    for (const n of ['pymantic', 'aiomcache', 'py-redis', 'pytest-mpi', 'tabulator']) {
      assert.equal(isKnownName('PyPI', n), true, n);
      assert.equal(findLookalike('PyPI', n), undefined, n);
    }
  });

  it('judges an unlisted name strictly and a listed one not at all (the list decides)', () => {
    assert.equal(findLookalike('PyPI', 'tabulator'), undefined);
    const shipped = [...knownNames('PyPI')];
    registerKnownNames('PyPI', shipped.filter((n) => n !== 'tabulator'));
    assert.equal(findLookalike('PyPI', 'tabulator')?.target, 'tabulate');
  });

  it('falls back to the cautious reach when no list is available', () => {
    registerKnownNames('PyPI', []);
    // Two slips in a long name: reported from the name alone only when the list vouches for the rest.
    assert.equal(findLookalike('PyPI', 'requesxt')?.strength, 'weak');
    // A key held down (three of a letter) is never an honest spelling, list or no list.
    assert.equal(findLookalike('PyPI', 'aiohtttps')?.strength, 'strong');
    registerKnownNames('PyPI', undefined);
    assert.equal(findLookalike('PyPI', 'requesxt')?.strength, 'strong');
  });
});
