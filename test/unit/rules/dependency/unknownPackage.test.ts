import assert from 'node:assert/strict';
import { unknownPackage } from '../../../../server/src/rules/dependency/unknownPackage';
import { applyFix, factsFor } from './factsBuilder';

describe('unknown-package', () => {
  it('warns when the registry has no such package, without a fix when nothing looks alike', () => {
    const text = 'torch-quantum-accel==0.3\n';
    const [f, ...rest] = unknownPackage.check(factsFor(text, { notFound: true }));
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'unknown-package');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.range, { start: 0, end: 19 });
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'torch-quantum-accel' });
    assert.match(f!.message, /^torch-quantum-accel does not exist on PyPI: .*hallucinated.*anyone can register it/);
    assert.doesNotMatch(f!.message, /Did you mean/);
    assert.deepEqual(f!.fixes, []);
  });

  it('names a look-alike and offers the rename when there is one', () => {
    const text = 'cv2>=4  # vision\n';
    const [f] = unknownPackage.check(factsFor(text, { notFound: true }));
    assert.match(f!.message, /Did you mean opencv-python \(#\d+ by downloads on PyPI\)\?$/);
    assert.equal(applyFix(text, f!.fixes![0]!), 'opencv-python>=4  # vision\n');
  });

  it('explains dependency confusion when the manifest names another index, hiding credentials', () => {
    const text = '--extra-index-url https://user:s3cret@pkgs.corp.example/simple\nacme-internal-utils==1.2\n';
    const facts = factsFor(text, { notFound: true, indexUrls: ['https://user:s3cret@pkgs.corp.example/simple'] });
    const [f] = unknownPackage.check(facts);
    assert.match(f!.message, /internal package of pkgs\.corp\.example/);
    assert.match(f!.message, /--extra-index-url/);
    assert.match(f!.message, /use --index-url for the private index alone/);
    assert.doesNotMatch(f!.message, /s3cret|user/);
    assert.deepEqual(f!.fixes, [], 'an internal name is not renamed');
  });

  it('is silent for packages that exist, unknown answers, and direct references', () => {
    assert.deepEqual(unknownPackage.check(factsFor('numpy==2.0\n')), []);
    assert.deepEqual(unknownPackage.check(factsFor('numpy==2.0\n', { notFound: false })), []);
    assert.deepEqual(unknownPackage.check(factsFor('mypkg @ file:///src/mypkg\n', { notFound: true })), []);
  });

  it('carries the notebook cell', () => {
    const facts = factsFor('nonexistent-pkg-xyz\n', { notFound: true });
    const [f] = unknownPackage.check({ ...facts, dep: { ...facts.dep, cell: 2 } });
    assert.equal(f!.cell, 2);
  });

  describe('conda specs', () => {
    const conda = (text: string) => {
      const f = factsFor(text, { notFound: true });
      return { ...f, dep: { ...f.dep, format: 'notebook' as const, group: 'conda' } };
    };

    it('never calls a conda package an unknown PyPI package (%conda install cudatoolkit, mkl, a conda-only name)', () => {
      for (const spec of ['cudatoolkit\n', 'mkl\n', 'libgdal\n', 'some-private-conda-pkg\n']) assert.deepEqual(unknownPackage.check(conda(spec)), [], spec);
    });

    it('names the conda look-alike of a misspelt spec and renames it in place', () => {
      const text = 'cudatoolkt==11.8\n';
      const [f, ...rest] = unknownPackage.check(conda(text));
      assert.equal(rest.length, 0);
      assert.equal(f!.rule, 'unknown-package');
      assert.match(f!.message, /^cudatoolkt is neither on PyPI nor a well-known conda package, and it looks like cudatoolkit/);
      assert.doesNotMatch(f!.message, /does not exist on PyPI/);
      assert.equal(applyFix(text, f!.fixes![0]!), 'cudatoolkit==11.8\n');
    });

    it('is silent for a conda spec the registry knows', () => {
      assert.deepEqual(unknownPackage.check({ ...conda('cudatoolkt\n'), notFound: false }), []);
    });
  });
});
