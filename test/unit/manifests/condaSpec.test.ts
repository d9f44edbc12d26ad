import * as assert from 'node:assert/strict';
import { parseCondaSpec, pypiNameForConda } from '../../../server/src/manifests/condaSpec';

function ok(s: string) {
  const r = parseCondaSpec(s);
  assert.ok(r.ok, s);
  return r.spec;
}

describe('condaSpec', () => {
  it('reads channel, name and the version forms conda accepts', () => {
    const cases: [string, string, string, string | undefined, boolean][] = [
      // spec, name, PEP 440 specifier, pinned, editable
      ['numpy', 'numpy', '', undefined, true],
      ['numpy=1.26', 'numpy', '==1.26.*', undefined, true],
      ['numpy=1.26.*', 'numpy', '==1.26.*', undefined, true],
      ['numpy==1.26.0', 'numpy', '==1.26.0', '1.26.0', true],
      ['numpy 1.26.0', 'numpy', '==1.26.0', '1.26.0', true],
      ['numpy 1.26*', 'numpy', '==1.26.*', undefined, true],
      ['numpy>=1.2,<2', 'numpy', '>=1.2,<2', undefined, true],
      ['conda-forge::numpy>=1.2', 'numpy', '>=1.2', undefined, true],
      ['conda-forge/linux-64::numpy', 'numpy', '', undefined, true],
      ['numpy=1.26.0=py311h_0', 'numpy', '==1.26.0', '1.26.0', false],
      ['numpy 1.26.0 py311h_0', 'numpy', '==1.26.0', '1.26.0', false],
      ['numpy>=1.2|<1.0', 'numpy', '', undefined, false],
      ["numpy[version='>=1.2']", 'numpy', '', undefined, false],
      ['openssl=1.1.1w', 'openssl', '', undefined, false],
      ['numpy >= 1.2, < 2', 'numpy', '>=1.2,<2', undefined, true],
      ['numpy >=1.2 py311_0', 'numpy', '>=1.2', undefined, false],
      ['numpy ,1', 'numpy', '', undefined, false],
    ];
    for (const [s, name, specifier, pinned, editable] of cases) {
      const spec = ok(s);
      assert.deepEqual([spec.name, spec.specifier, spec.pinned, spec.editable], [name, specifier, pinned, editable], s);
    }
    assert.equal(ok('pytorch::pytorch').channel, 'pytorch');
  });

  it('keeps offsets of the name and the version expression', () => {
    const s = '  pytorch::pytorch >=2.1';
    const spec = ok(s);
    assert.equal(s.slice(spec.nameRange.start, spec.nameRange.end), 'pytorch');
    assert.equal(spec.nameRange.start, 11);
    assert.equal(s.slice(spec.versionRange.start, spec.versionRange.end), '>=2.1');
    const spaced = 'numpy >= 1.2, <2  ';
    const sp = ok(spaced);
    assert.equal(spaced.slice(sp.versionRange.start, sp.versionRange.end), '>= 1.2, <2');
    const eq = ok('numpy=1.26=build');
    assert.deepEqual(eq.versionRange, { start: 5, end: 10 });
  });

  it('rejects specs without a name', () => {
    const r = parseCondaSpec('>=1.0');
    assert.equal(r.ok, false);
    assert.equal(parseCondaSpec('chan::').ok, false);
  });

  it('maps conda names onto PyPI and drops conda-only packages', () => {
    assert.equal(pypiNameForConda('pytorch'), 'torch');
    assert.equal(pypiNameForConda('py-opencv'), 'opencv-python');
    assert.equal(pypiNameForConda('PyYAML'), 'pyyaml');
    assert.equal(pypiNameForConda('scikit_learn'), 'scikit-learn');
    for (const n of ['python', 'pip', 'cudatoolkit', 'pytorch-cuda', 'libgcc-ng', '_libgcc_mutex', 'cuda-nvcc', 'r-base', 'mkl']) {
      assert.equal(pypiNameForConda(n), undefined, n);
    }
  });
});
