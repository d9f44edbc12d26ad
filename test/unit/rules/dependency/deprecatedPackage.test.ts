import assert from 'node:assert/strict';
import { summaryDeprecation } from '../../../../server/src/data/deprecatedPackages';
import { deprecatedPackage } from '../../../../server/src/rules/dependency/deprecatedPackage';
import { applyFix, factsFor, metadata } from './factsBuilder';

describe('deprecated-package', () => {
  it('flags a known deprecated PyPI package without metadata and renames it to its successor', () => {
    const text = 'sklearn>=0.0  # old notebook\n';
    const [f, ...rest] = deprecatedPackage.check(factsFor(text));
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'deprecated-package');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.range, { start: 0, end: 7 });
    assert.match(f!.message, /^sklearn is a deprecated dummy package .*: depend on scikit-learn instead\.$/);
    assert.equal(applyFix(text, f!.fixes![0]!), 'scikit-learn>=0.0  # old notebook\n');
  });

  it('knows the ML renames: tensorflow-gpu, pytorch-pretrained-bert, and keras-preprocessing (no single successor)', () => {
    assert.match(deprecatedPackage.check(factsFor('tensorflow-gpu==2.10\n'))[0]!.message, /depend on tensorflow instead/);
    assert.match(deprecatedPackage.check(factsFor('pytorch_pretrained_bert\n'))[0]!.message, /depend on transformers instead/);
    const [k] = deprecatedPackage.check(factsFor('Keras-Preprocessing==1.1.2\n'));
    assert.match(k!.message, /Keras-Preprocessing is deprecated and archived/);
    assert.deepEqual(k!.fixes, []);
  });

  it("quotes npm's deprecation message", () => {
    const facts = factsFor('x==1\n', { metadata: metadata('request', { ecosystem: 'npm', deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142' }) });
    const [f] = deprecatedPackage.check({ ...facts, dep: { ...facts.dep, ecosystem: 'npm', name: 'request', rawName: 'request' } });
    assert.match(f!.message, /^request is deprecated on npm \("request has been deprecated, see https:.*3142"\)/);
    assert.deepEqual(f!.fixes, []);
  });

  it('reads a PyPI summary only when it says so in so many words', () => {
    const [f] = deprecatedPackage.check(factsFor('oldthing==1\n', { metadata: metadata('oldthing', { summary: 'DEPRECATED: use newthing' }) }));
    assert.match(f!.message, /describes itself as deprecated or unmaintained \("DEPRECATED: use newthing"\)/);
    for (const s of ['This package is no longer maintained.', '[Deprecated] old client', 'Removed: please install "tensorflow" instead.', 'This project has been renamed to foo']) {
      assert.equal(summaryDeprecation(s), true, s);
    }
    for (const s of ['Detects deprecated API usage in Python code', 'A linter for deprecation warnings', 'Fast JSON parser', undefined, '']) {
      assert.equal(summaryDeprecation(s), false, String(s));
    }
  });

  it('is silent for maintained packages and direct references', () => {
    assert.deepEqual(deprecatedPackage.check(factsFor('scikit-learn==1.5\n', { metadata: metadata('scikit-learn', { summary: 'A set of python modules for machine learning' }) })), []);
    assert.deepEqual(deprecatedPackage.check(factsFor('sklearn @ https://example.invalid/sklearn.tar.gz\n')), []);
  });

  it('carries the notebook cell', () => {
    const facts = factsFor('sklearn\n');
    assert.equal(deprecatedPackage.check({ ...facts, dep: { ...facts.dep, cell: 5 } })[0]!.cell, 5);
  });
});
