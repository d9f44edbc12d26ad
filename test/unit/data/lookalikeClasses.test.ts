import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { knownNames, registerKnownNames } from '../../../server/src/data/knownNames';
import { explainLookalike, findLookalike, type Namespace } from '../../../server/src/data/lookalike';
import { editScript, handSlip, osaWithin } from '../../../server/src/data/lookalikeEdits';
import { registerShippedPopular } from '../../../server/src/data/popular';

const strong = (ns: Namespace, name: string): string | undefined => {
  const l = findLookalike(ns, name);
  return l?.strength === 'strong' ? l.target : undefined;
};
const classOf = (ns: Namespace, name: string): string | undefined => explainLookalike(ns, name).candidates[0]?.cls;

/** Plain optimal-string-alignment distance, for the property test. */
function naiveOsa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function fixture(file: string): string[][] {
  return readFileSync(path.join(__dirname, '../../fixtures/names', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

describe('look-alike classes', () => {
  before(() => registerShippedPopular());
  afterEach(() => registerKnownNames('npm', undefined));

  it('measures optimal-alignment distance within a bound, as the full table does (property)', () => {
    const word = fc.stringMatching(/^[abc-]{0,9}$/);
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const d = naiveOsa(a, b);
        assert.equal(osaWithin(a, b, max), d <= max ? d : max + 1);
        const script = editScript(a, b, max);
        if (d <= max) assert.equal(script?.length, d);
        else assert.equal(script, undefined);
      }),
      { numRuns: 500 },
    );
  });

  it('tells a slip of the hand from a word changed', () => {
    // An x added next to the s it neighbours, an s dropped: both slips.
    assert.ok(editScript('requesxt', 'requests', 2, true)!.every((e) => handSlip('requesxt', e)));
    // `streamlm` for `streamlit`: an m far from the i it replaces.
    assert.equal(editScript('streamlm', 'streamlit', 2, true)!.every((e) => handSlip('streamlm', e)), false);
  });

  it('catches two slips in a long name, not two letters of another word', () => {
    assert.equal(strong('PyPI', 'beuatiflsoup'), 'beautifulsoup4');
    assert.equal(strong('PyPI', 'requesgt'), 'requests');
    assert.equal(strong('npm', 'webpacks-dev-servers'), 'webpack-dev-server');
    for (const n of ['streamlm', 'termtable', 'logchain']) assert.equal(strong('PyPI', n), undefined, n);
    // Reported only with registry facts.
    assert.equal(findLookalike('PyPI', 'termtable')?.strength, 'weak');
  });

  it('catches a key held down, which no honest name does', () => {
    assert.equal(strong('PyPI', 'requstsss'), 'requests');
    assert.equal(strong('PyPI', 'aiohtttp'), 'aiohttp');
    assert.equal(classOf('PyPI', 'requstsss'), 'repeated-letters');
    assert.equal(findLookalike('PyPI', 'zzzfoo'), undefined);
  });

  it('catches doubled letters dropped or added in several places, not real names that differ so', () => {
    assert.equal(strong('npm', 'pupeter'), 'puppeteer');
    assert.equal(classOf('npm', 'pupeter'), 'doubled-letters');
    assert.equal(strong('npm', 'pupeteerextra'), 'puppeteer-extra');
    assert.equal(strong('npm', 'looddash'), 'lodash');
    assert.equal(strong('PyPI', 'nummpyy'), 'numpy');
    // Listed real names that differ from a target only so are projects of their own.
    for (const [ns, n] of [['PyPI', 'pyaml'], ['PyPI', 'cchardet'], ['npm', 'ttypescript'], ['npm', 'reactable']] as const) assert.equal(findLookalike(ns, n), undefined, n);
    // Too short to tell: `lodd` squeezes to three letters.
    assert.notEqual(classOf('npm', 'lodd'), 'doubled-letters');
  });

  it('catches the same letters shuffled (same first letter)', () => {
    assert.equal(strong('PyPI', 'matlibplot'), 'matplotlib');
    assert.equal(strong('PyPI', 'bo3to'), 'boto3');
    assert.equal(classOf('PyPI', 'matlibplot'), 'anagram');
    // Another first letter makes another word.
    assert.equal(findLookalike('PyPI', 'sandpa'), undefined);
  });

  it('sees through separators and look-alike characters', () => {
    assert.equal(strong('npm', 'crossenv'), 'cross-env');
    assert.equal(strong('PyPI', 'opteinsm'), 'opt-einsum');
    assert.equal(classOf('PyPI', 'opteinsm'), 'slip+separator');
    // Also beyond the 5,000 most popular names, for the surest slips: a letter dropped.
    assert.equal(strong('npm', 'ethblock-trackr'), 'eth-block-tracker');
    // A one-letter word left out is another name (taken off the list to be judged at all).
    registerKnownNames('npm', knownNames('npm'), undefined, ['zip-folder', 'each-series']);
    assert.equal(strong('npm', 'zip-folder'), undefined);
    assert.equal(strong('npm', 'each-series'), undefined);
    assert.equal(strong('PyPI', 'reque5ts'), 'requests');
    assert.equal(strong('PyPI', 'b0to3'), 'boto3');
    // A listed real name with the same letters is left alone.
    assert.equal(findLookalike('PyPI', 'djangorestframework'), undefined);
  });

  it('catches decoy words, years, versions and platforms tacked on, not plugins with a name of their own', () => {
    assert.equal(strong('PyPI', 'install-pytest'), 'pytest');
    assert.equal(strong('PyPI', 'print-requests'), 'requests');
    assert.equal(strong('PyPI', '2022-requests'), 'requests');
    assert.equal(strong('PyPI', 'requests-darwin-lite'), 'requests');
    assert.equal(strong('npm', 'eslint-v9'), 'eslint');
    assert.equal(strong('npm', 'html-webpack-plugin-v4'), 'html-webpack-plugin');
    // Listed plugins and extensions are never judged.
    for (const n of ['pytest-cov', 'requests-toolbelt', 'requests-mock']) assert.equal(findLookalike('PyPI', n), undefined, n);
    // A python affix on PyPI is an everyday wrapper name: registry facts decide.
    assert.equal(findLookalike('PyPI', 'py-cmake')?.strength, 'weak');
  });

  it('catches decoys glued on without a separator, not the words authors glue on', () => {
    assert.equal(strong('PyPI', 'urllib3installer'), 'urllib3');
    assert.equal(strong('PyPI', 'urllibloader'), 'urllib3', 'through the version-less alias');
    assert.equal(strong('PyPI', 'httpxfaster'), 'httpx');
    assert.equal(strong('PyPI', 'easyrequests'), 'requests');
    assert.equal(classOf('PyPI', 'easyrequests'), 'glued-decoy');
    // `client`, `lib`, `core` glued on make names of their own (`redisclient`, `amqplib`).
    assert.equal(strong('PyPI', 'redisclient'), undefined);
    // Two popular names glued, the second without its plural s.
    assert.equal(strong('PyPI', 'pandasrequest'), 'pandas');
    assert.equal(classOf('PyPI', 'pandasrequest'), 'glued-pair');
    // Another word in front of one of the very top names.
    assert.equal(strong('PyPI', 'pandarequests'), 'requests');
    // With separators, the words are judged as words (`opensearch-requests` is a plugin's name).
    assert.equal(strong('PyPI', 'opensearch-requests'), undefined);
  });

  it('catches two popular names joined, unless the first is a framework with plugins for everything', () => {
    assert.equal(strong('PyPI', 'matplotlib-requests'), 'matplotlib');
    assert.equal(strong('PyPI', 'pandas-numpy'), 'pandas');
    assert.equal(classOf('PyPI', 'pandas-numpy'), 'pair');
    // flask-* and pytest-* name hundreds of real plugins after other projects.
    assert.equal(strong('PyPI', 'flask-numpy'), undefined);
  });

  it('catches a long last word cut short, not a short one', () => {
    assert.equal(strong('PyPI', 'keras-preprocess'), 'keras-preprocessing');
    assert.equal(classOf('PyPI', 'keras-preprocess'), 'truncated');
    assert.notEqual(classOf('PyPI', 'pytest-asyn'), 'truncated');
  });

  it('catches one python affix swapped for another at the front, not wrappers named either way', () => {
    assert.equal(strong('PyPI', 'python-cord'), 'py-cord');
    assert.equal(classOf('PyPI', 'python-cord'), 'python-affix-swap');
    assert.notEqual(classOf('PyPI', 'mermaid-py'), 'python-affix-swap');
  });

  it('catches npm scope games: a look-alike scope, not a sibling scope or a short neighbour', () => {
    assert.equal(strong('npm', '@typescript_eslinter/eslint'), '@typescript-eslint/eslint-plugin');
    assert.equal(strong('npm', '@typescript_eslinter/prettier'), 'prettier');
    assert.equal(strong('npm', '@sentry-internals/profiling-node'), '@sentry/profiling-node');
    assert.equal(strong('npm', '@opentelemetrya/api'), '@opentelemetry/api');
    for (const n of ['@fluentui-contrib/react-chat', '@x-ray/core', '@headless-tree/react']) assert.equal(strong('npm', n), undefined, n);
  });

  it('leaves the real names of the committed samples alone: none of the top 5,000, few of the rest', function () {
    this.timeout(120_000);
    for (const n of knownNames('PyPI').slice(0, 5000)) assert.equal(findLookalike('PyPI', n), undefined, n);
    const ranked = fixture('pypi-real.tsv').map((r) => r[1]!);
    const flagged = ranked.filter((n) => findLookalike('PyPI', n)?.strength === 'strong');
    // Only the documented known confusions (`pytorch`, `docx`, ...) are reported among them.
    assert.ok(flagged.length / ranked.length <= 0.002, `${flagged.length}: ${flagged.join(' ')}`);
    const tail = fixture('pypi-tail.tsv').map((r) => r[0]!.toLowerCase().replace(/[-_.]+/g, '-'));
    const tailFlagged = tail.filter((n) => findLookalike('PyPI', n)?.strength === 'strong');
    assert.ok(tailFlagged.length / tail.length <= 0.012, `PyPI long tail ${tailFlagged.length}/${tail.length}`);
    const npmTail = fixture('npm-tail.tsv').map((r) => r[1]!);
    assert.ok(npmTail.every((n) => findLookalike('npm', n) === undefined), 'listed npm names are never judged');
    registerKnownNames('npm', knownNames('npm'), undefined, npmTail);
    const npmFlagged = npmTail.filter((n) => findLookalike('npm', n)?.strength === 'strong');
    assert.ok(npmFlagged.length / npmTail.length <= 0.025, `npm tail off the list ${npmFlagged.length}/${npmTail.length}`);
  });

  it('answers each of thousands of hostile names in bounded time (no quadratic scans)', function () {
    this.timeout(60_000);
    // Names of the most common target lengths, so every length bucket is scanned in full.
    const rnd = fc.sample(fc.stringMatching(/^[a-z][a-z0-9-]{6,14}$/), { numRuns: 3000, seed: 7 });
    // Each answer scans a bounded number of targets; the mocha timeout is the bound that matters.
    for (const n of rnd) findLookalike('PyPI', `${n}q`);
    for (const n of rnd) findLookalike('npm', `@${n}/${n}`);
    assert.equal(findLookalike('PyPI', `${'ab'.repeat(50)}`), undefined);
    assert.equal(findLookalike('conda', 'x'.repeat(50_000)), undefined, 'conda names are capped too');
  });
});
