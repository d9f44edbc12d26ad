import assert from 'node:assert/strict';
import { packageDenied } from '../../../../server/src/rules/policy/packageDenied';
import { factsFor } from '../dependency/factsBuilder';
import { policyOf } from '../../policy/helpers';

const NOW = Date.UTC(2025, 5, 1);

describe('package-denied', () => {
  const policy = policyOf('[packages]\ndeny = ["pypi:evil-*", "npm:left-pad", "requests-toolbelt"]\n');
  const check = (text: string, file = 'requirements.txt', p = policy) => packageDenied(factsFor(text, {}, { file }), { policy: p, now: NOW });

  it('reports a denied package on its name, with the pattern and where it is written', () => {
    const text = 'Evil_Pkg[extra]==1.0  # why\n';
    const [f, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'package-denied');
    assert.equal(f!.severity, 'error');
    assert.equal(text.slice(f!.range.start, f!.range.end), 'Evil_Pkg');
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'evil-pkg' });
    assert.match(f!.message, /^Evil_Pkg is denied by the project policy \("pypi:evil-\*" in aidr\.toml line 2\)/);
    assert.match(f!.message, /No replacement is suggested/);
    assert.deepEqual(f!.fixes, []);
    assert.equal(f!.related?.[0]?.uri, '/ws/aidr.toml');
    assert.deepEqual(f!.related?.[0]?.range.start, { line: 1, character: 9 });
  });

  it('a bare name denies it in every ecosystem; a prefixed one only in its own', () => {
    assert.equal(check('requests_toolbelt\n').length, 1, 'PEP 503: _ is -');
    assert.equal(check('{"dependencies": {"requests-toolbelt": "1"}}', 'package.json').length, 1);
    assert.equal(check('{"dependencies": {"left-pad": "1.3.0"}}', 'package.json').length, 1);
    assert.equal(check('left-pad==1.0\n').length, 0, 'npm:left-pad says nothing about PyPI');
    assert.equal(check('{"dependencies": {"evil-x": "1"}}', 'package.json').length, 0, 'pypi:evil-* says nothing about npm');
  });

  it('leaves other packages, look-alikes and constraint-only lines alone', () => {
    assert.deepEqual(check('torch==2.6.0\n'), []);
    assert.deepEqual(check('not-evil-pkg==1\n'), []);
    assert.deepEqual(check('evilpkg==1\n'), []);
    const facts = factsFor('evil-pkg==1\n');
    assert.deepEqual(packageDenied({ ...facts, dep: { ...facts.dep, constraintOnly: true } }, { policy, now: NOW }), []);
  });

  it('an allow list restricts the ecosystems it names, and deny wins over allow', () => {
    const p = policyOf('[packages]\nallow = ["pypi:torch", "pypi:numpy", "pypi:evil-*"]\ndeny = ["evil-bad"]\n');
    assert.deepEqual(check('torch\nnumpy\n', 'requirements.txt', p), []);
    const [f] = check('pandas==2.0\n', 'requirements.txt', p);
    assert.match(f!.message, /^pandas is not on the project's list of approved PyPI packages \(packages\.allow in aidr\.toml\)/);
    assert.equal(check('{"dependencies": {"express": "4"}}', 'package.json', p).length, 0, 'npm is not restricted');
    assert.match(check('evil-bad\n', 'requirements.txt', p)[0]!.message, /is denied/);
    const bare = policyOf('[packages]\nallow = ["torch"]\n');
    assert.equal(check('{"dependencies": {"express": "4"}}', 'package.json', bare).length, 1, 'a bare allow entry restricts every ecosystem');
  });

  it('names the policy table when the policy is in pyproject.toml', () => {
    const p = policyOf('[tool.aidr.packages]\ndeny = ["evil"]\n', '/ws', 'pyproject.toml');
    assert.match(check('evil\n', 'requirements.txt', p)[0]!.message, /in pyproject\.toml \[tool\.aidr\] line 2/);
  });
});
