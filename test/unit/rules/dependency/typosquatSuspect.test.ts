import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findLookalike, singleEdit } from '../../../../server/src/data/lookalike';
import { isPopular, popularNames, popularRank, registerShippedPopular } from '../../../../server/src/data/popular';
import { looksEstablished, typosquatSuspect } from '../../../../server/src/rules/dependency/typosquatSuspect';
import { applyFix, factsFor, metadata, release } from './factsBuilder';

const SAMPLE = path.join(__dirname, '../../../fixtures/rules/pypi-rank-5001-15000-sample.tsv');

function check(text: string, extra = {}, file?: string) {
  return typosquatSuspect.check(factsFor(text, extra, file ? { file } : {}));
}

describe('typosquat-suspect', () => {
  before(() => registerShippedPopular());

  it('flags a one-letter slip of a top package, naming it with its rank, and fixes the name', () => {
    const text = 'requets==2.31.0\n';
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'typosquat-suspect');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.range, { start: 0, end: 7 });
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'requets' });
    assert.match(f!.message, /typosquat of requests \(#6 by downloads on PyPI\)/);
    assert.equal(applyFix(text, f!.fixes![0]!), 'requests==2.31.0\n');
    assert.equal(f!.fixes![0]!.isPreferred, true);
  });

  it('flags swapped neighbours and a dropped letter', () => {
    assert.equal(findLookalike('PyPI', 'reqeusts')?.kind, 'swap');
    assert.equal(findLookalike('PyPI', 'reqeusts')?.target, 'requests');
    assert.equal(findLookalike('PyPI', 'pandsa')?.target, 'pandas');
    assert.deepEqual(findLookalike('PyPI', 'torchvison'), { target: 'torchvision', kind: 'edit', strength: 'strong' });
    assert.deepEqual(findLookalike('PyPI', 'transfomers'), { target: 'transformers', kind: 'edit', strength: 'strong' });
  });

  it('`request` (not on the list) is taken for `requests`', () => {
    assert.equal(isPopular('PyPI', 'request'), false);
    assert.equal(findLookalike('PyPI', 'request')?.target, 'requests');
  });

  it('sees through normalisation: Py_YAML keeps extras, marker and comment when fixed', () => {
    const text = 'Py_YAML[extra]==6.0 ; python_version>"3"  # config\nnumpy\n';
    const [f] = check(text);
    assert.equal(f!.fixes!.length, 1);
    assert.equal(applyFix(text, f!.fixes![0]!), 'pyyaml[extra]==6.0 ; python_version>"3"  # config\nnumpy\n');
  });

  it('sees through word order, python affixes and look-alike characters', () => {
    assert.equal(findLookalike('PyPI', 'dateutil-python')?.target, 'python-dateutil');
    assert.equal(findLookalike('PyPI', 'python3-dateutil')?.target, 'python-dateutil');
    assert.equal(findLookalike('PyPI', 'redis-py')?.target, 'redis');
    assert.equal(findLookalike('PyPI', 'python-redis')?.target, 'redis');
    assert.deepEqual(findLookalike('PyPI', 'b0to3'), { target: 'boto3', kind: 'edit', strength: 'strong' });
    assert.deepEqual(findLookalike('PyPI', 'nurnpy'), { target: 'numpy', kind: 'disguise', strength: 'strong' });
    assert.deepEqual(findLookalike('PyPI', 'f1ask'), { target: 'flask', kind: 'disguise', strength: 'strong' });
    assert.equal(findLookalike('PyPI', 'requests3')?.target, 'requests');
  });

  it('reports known confusions with their specific reason, even for very short names', () => {
    const [f] = check('pytorch==1.0.2\n');
    assert.match(f!.message, /^pytorch is a placeholder on PyPI .*: depend on torch \(#\d+ by downloads on PyPI\) instead\.$/);
    assert.equal(applyFix('pytorch==1.0.2\n', f!.fixes![0]!), 'torch==1.0.2\n');
    assert.equal(findLookalike('PyPI', 'cv2')?.target, 'opencv-python');
    assert.equal(findLookalike('PyPI', 'huggingface')?.target, 'huggingface-hub');
    assert.equal(findLookalike('PyPI', 'pil')?.target, 'pillow');
    assert.equal(findLookalike('PyPI', 'yaml')?.target, 'pyyaml');
  });

  it('flags npm look-alikes with their monthly downloads', () => {
    const l = findLookalike('npm', 'lodahs');
    assert.deepEqual(l, { target: 'lodash', kind: 'swap', strength: 'strong' });
    const facts = factsFor('x==1\n');
    const f = typosquatSuspect.check({ ...facts, dep: { ...facts.dep, ecosystem: 'npm', name: 'exprses', rawName: 'exprses' } });
    assert.match(f[0]!.message, /typosquat of express \(about [\d.]+ (million|billion) downloads a month\)/);
  });

  it('never flags a popular name: the whole shipped lists pass', () => {
    for (const eco of ['PyPI', 'npm'] as const) {
      const names = popularNames(eco);
      assert.ok(names.length >= (eco === 'PyPI' ? 5000 : 3000));
      const flagged = names.filter((n) => findLookalike(eco, n) !== undefined);
      assert.deepEqual(flagged, [], `${eco}: popular names flagged`);
    }
    assert.deepEqual(check('torch==2.5.0\ntorchvision==0.20\n'), []);
    assert.deepEqual(check('bs4\n'), []);
    assert.deepEqual(check('sklearn\n'), [], 'popular: deprecated-package reports sklearn');
  });

  it('leaves honest variants alone: version digits, first letters, short names, known siblings', () => {
    for (const n of ['elasticsearch7', 'gitdb2', 'types-boto', 'mocker', 'slack', 'make', 'tqd', 'fastai', 'scanpy', 'torchx', 'nose2']) {
      assert.notEqual(findLookalike('PyPI', n)?.strength, 'strong', n);
      assert.deepEqual(check(`${n}\n`), [], n);
    }
  });

  it('skips direct references, unknown names, and established projects for non-known kinds', () => {
    assert.deepEqual(check('requets @ https://example.invalid/requets-1.0.tar.gz\n'), []);
    assert.deepEqual(check('requets\n', { notFound: true }), []);
    const years = [2019, 2020, 2021, 2022, 2023].map((y, i) => release(`1.${i}`, { uploadTime: `${y}-03-01T00:00:00Z` }));
    assert.equal(looksEstablished(years), true);
    assert.equal(looksEstablished(years.slice(0, 4)), false);
    assert.equal(looksEstablished(years.map((r) => ({ ...r, uploadTime: '2024-01-01T00:00:00Z' }))), false);
    assert.deepEqual(check('requets\n', { metadata: metadata('requets', { releases: years }) }), []);
    assert.equal(check('pytorch\n', { metadata: metadata('pytorch', { releases: years }) }).length, 1, 'known confusions stand');
    assert.equal(check('requets\n', { metadata: metadata('requets', { releases: years.slice(0, 2) }) }).length, 1);
  });

  it('carries the notebook cell and offers no edit in a lockfile', () => {
    const facts = factsFor('requets\n');
    const [f] = typosquatSuspect.check({ ...facts, dep: { ...facts.dep, cell: 3 } });
    assert.equal(f!.cell, 3);
    const [g] = typosquatSuspect.check({ ...facts, dep: { ...facts.dep, editStyle: 'none' } });
    assert.deepEqual(g!.fixes, []);
  });

  it('classifies single Damerau edits', () => {
    assert.deepEqual(singleEdit('requets', 'requests'), { kind: 'delete', at: 5, chars: 's' });
    assert.deepEqual(singleEdit('reqeusts', 'requests'), { kind: 'swap', at: 3, chars: 'eu' });
    assert.deepEqual(singleEdit('requestz', 'requests'), { kind: 'substitute', at: 7, chars: 'zs' });
    assert.equal(singleEdit('requests', 'requests'), undefined);
    assert.equal(singleEdit('rqeuetss', 'requests'), undefined);
  });

  it('keeps false positives on real, less popular PyPI names very low (ranks 5,001-15,000)', () => {
    const rows = readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split('\t')[1]!);
    assert.equal(rows.length, 300);
    // The shipped list is the top 5,000 distinct names, so it may reach a rank or two further.
    assert.ok(rows.filter((n) => popularRank('PyPI', n) !== undefined).length <= 2);
    const hits = rows.map((n) => [n, findLookalike('PyPI', n)] as const).filter(([, l]) => l && l.kind !== 'known' && l.strength === 'strong');
    const rate = hits.length / rows.length;
    console.log(`      typosquat false positives: ${hits.length}/300 (${(rate * 100).toFixed(1)}%): ${hits.map(([n, l]) => `${n}->${l!.target}`).join(', ')}`);
    assert.ok(rate <= 0.005, `false-positive rate ${rate}`);
  });

  it('checks 2,000 names fast once its index is built', () => {
    const rows = readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split('\t')[1]!);
    const names = Array.from({ length: 2000 }, (_, i) => `${rows[i % rows.length]}${i >= rows.length ? String.fromCharCode(97 + (i % 26)) : ''}`);
    const time = () => {
      const t0 = performance.now();
      for (const n of names) findLookalike('PyPI', n);
      return performance.now() - t0;
    };
    const cold = time();
    const warm = time();
    console.log(`      typosquat check: 2,000 names in ${cold.toFixed(1)} ms (first pass), ${warm.toFixed(1)} ms (warm)`);
    // Generous: the budget is per keystroke on a few hundred names; this guards against a quadratic slide.
    assert.ok(warm < 3000, `warm pass ${warm} ms`);
  });
});
