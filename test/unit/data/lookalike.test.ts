import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adjacentKeys, bothVowels, readAlike } from '../../../server/src/data/keyboard';
import { findLookalike } from '../../../server/src/data/lookalike';
import { editReach, siblings, singleEdit } from '../../../server/src/data/lookalikeEdits';
import { registerShippedPopular } from '../../../server/src/data/popular';
import { isCondaDependency, looksYoung, typosquatSuspect } from '../../../server/src/rules/dependency/typosquatSuspect';
import type { Ecosystem } from '../../../server/src/domain';
import { applyFix, factsFor, metadata, release } from '../rules/dependency/factsBuilder';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const DAY = 24 * 3600 * 1000;
const at = (days: number): string => new Date(NOW - days * DAY).toISOString();
const young = () => metadata('x', { releases: [release('0.1.0', { uploadTime: at(5) })], freshness: { fetchedAt: NOW, stale: false, origin: 'network' } });
const years = () => metadata('x', { releases: [0, 1, 2, 3, 4, 5].map((i) => release(`1.${i}`, { uploadTime: at(900 - i * 150) })), freshness: { fetchedAt: NOW, stale: false, origin: 'network' } });

describe('look-alike names', () => {
  before(() => registerShippedPopular());

  it('leaves the real packages a new user hit alone (faiss-gpu, pymantic, aiomcache, django-filer)', () => {
    for (const n of ['faiss-gpu', 'pymantic', 'aiomcache', 'django-filer']) {
      assert.deepEqual(typosquatSuspect.check(factsFor(`${n}\n`)), [], n);
      assert.notEqual(findLookalike('PyPI', n)?.strength, 'strong', n);
    }
  });

  it('checks conda specs against conda names: cudatoolkit and pytorch are right there', () => {
    const nb = (spec: string) => {
      const f = factsFor(`${spec}\n`);
      return { ...f, dep: { ...f.dep, format: 'notebook' as const, group: 'conda' } };
    };
    assert.equal(isCondaDependency(nb('cudatoolkit').dep), true);
    assert.deepEqual(typosquatSuspect.check(nb('cudatoolkit')), []);
    assert.deepEqual(typosquatSuspect.check(nb('pytorch')), [], 'pytorch is the conda name of PyTorch');
    assert.equal(findLookalike('conda', 'cudatoolkit'), undefined);
    assert.equal(findLookalike('conda', 'mkl'), undefined);
    // A slip is still a slip in conda, and the fix keeps the spec.
    const [f] = typosquatSuspect.check(nb('numpyy==1.26'));
    assert.equal(f?.rule, 'typosquat-suspect');
    assert.equal(applyFix('numpyy==1.26\n', f!.fixes![0]!), 'numpy==1.26\n');
    // environment.yml: the conda name is what is written and judged.
    const env = factsFor('dependencies:\n  - pytorch=2.1\n', {}, { file: 'environment.yml' });
    assert.equal(env.dep.rawName, 'pytorch');
    assert.equal(isCondaDependency(env.dep), true);
    assert.deepEqual(typosquatSuspect.check(env), []);
  });

  it('reports weak resemblances only when the registry shows a young package', () => {
    // A python affix on a name ranked below the top few hundred: python wrappers are common.
    const l = findLookalike('PyPI', 'py-cmake');
    assert.deepEqual(l, { target: 'cmake', kind: 'disguise', strength: 'weak' });
    assert.deepEqual(typosquatSuspect.check(factsFor('py-cmake\n')), [], 'offline: silent');
    assert.deepEqual(typosquatSuspect.check(factsFor('py-cmake\n', { metadata: years() })), [], 'established');
    const [f] = typosquatSuspect.check(factsFor('py-cmake\n', { metadata: young() }));
    assert.equal(applyFix('py-cmake\n', f!.fixes![0]!), 'cmake\n');
    // py-redis itself is a listed real package: never a look-alike.
    assert.equal(findLookalike('PyPI', 'py-redis'), undefined);
    assert.equal(looksYoung(young().releases, NOW), true);
    assert.equal(looksYoung(years().releases, NOW), false);
    assert.equal(looksYoung([], NOW), false, 'no dates: not young');
    assert.equal(looksYoung([release('1', { uploadTime: at(400) })], NOW), false);
  });

  it('catches real malicious look-alikes with the right target', () => {
    const cases: [Ecosystem, string, string][] = [
      ['PyPI', 'reqeusts', 'requests'],
      ['PyPI', 'req7ests', 'requests'], // the key above u
      ['PyPI', 's4transfer', 's3transfer'],
      ['PyPI', 'voto3', 'boto3'],
      ['PyPI', 'cryptograohy', 'cryptography'],
      ['PyPI', 'djangoo', 'django'],
      ['PyPI', 'python3-dateutil', 'python-dateutil'],
      ['PyPI', 'pytroch', 'torch'], // a slip of the known confusion pytorch
      ['PyPI', 'beautifulsoop', 'beautifulsoup4'],
      ['PyPI', 'matploltlib', 'matplotlib'],
      ['PyPI', 'torchvisions', 'torchvision'],
      ['npm', 'lodahs', 'lodash'],
    ];
    for (const [eco, n, t] of cases) {
      const l = findLookalike(eco, n);
      assert.equal(l?.target, t, n);
      assert.equal(l?.strength, 'strong', n);
    }
    // A one-letter slip in a scope, and the language markers npm squatters add, count from the name.
    assert.deepEqual(findLookalike('npm', '@opentelemetrya/api'), { target: '@opentelemetry/api', kind: 'scope', strength: 'strong' });
    assert.deepEqual(findLookalike('npm', 'jquery.js'), { target: 'jquery', kind: 'combo', strength: 'strong' });
    assert.deepEqual(findLookalike('npm', 'nodemailer-js'), { target: 'nodemailer', kind: 'combo', strength: 'strong' });
    assert.equal(findLookalike('npm', 'crossenv')?.target, 'cross-env');
    assert.equal(findLookalike('npm', 'crossenv')?.strength, 'strong');
    assert.equal(findLookalike('npm', 'electorn')?.target, 'electron', "a typed package ranked low by npm's downloads");
    // Stray letters glued to a popular name.
    assert.deepEqual(findLookalike('npm', 'cschalk'), { target: 'chalk', kind: 'combo', strength: 'strong' });
    assert.equal(findLookalike('PyPI', 'requestsaa')?.target, 'requests');
    // A year is a decoy on a name the known list lacks; a scope glued on needs registry facts
    // (`babel-cli` became `@babel/cli`, and such old names live on).
    assert.deepEqual(findLookalike('PyPI', '2022-requests'), { target: 'requests', kind: 'combo', strength: 'strong' });
    assert.deepEqual(findLookalike('npm', 'types-node'), { target: '@types/node', kind: 'scope', strength: 'weak' });
  });

  it('keeps its recall on the committed malicious fixture (regression guard)', () => {
    const rows = readFileSync(path.join(__dirname, '../../fixtures/names/malicious-lookalikes.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    assert.ok(rows.length >= 350);
    const pypi = rows.filter((r) => r[0] === 'PyPI');
    const strong = pypi.filter((r) => findLookalike('PyPI', r[1]!)?.strength === 'strong');
    const any = pypi.filter((r) => findLookalike('PyPI', r[1]!) !== undefined);
    assert.ok(strong.length / pypi.length >= 0.88, `offline recall ${strong.length}/${pypi.length}`);
    assert.ok(any.length / pypi.length >= 0.9, `recall with registry facts ${any.length}/${pypi.length}`);
    // The target named is the one imitated (a real neighbour may win: `gequests` is a slip of `grequests` too).
    const right = strong.filter((r) => findLookalike('PyPI', r[1]!)!.target === r[2]);
    assert.ok(right.length / strong.length >= 0.97, `right targets ${right.length}/${strong.length}`);
    const npm = rows.filter((r) => r[0] === 'npm');
    const npmStrong = npm.filter((r) => findLookalike('npm', r[1]!)?.strength === 'strong');
    assert.ok(npmStrong.length / npm.length >= 0.5, `npm offline recall ${npmStrong.length}/${npm.length}`);
  });

  it('judges single edits by keyboard, position and siblings', () => {
    assert.equal(adjacentKeys('r', 'e'), true);
    assert.equal(adjacentKeys('7', 'u'), true);
    assert.equal(adjacentKeys('q', 'p'), false);
    assert.equal(bothVowels('u', 'o'), true);
    assert.equal(readAlike('1', 'l'), true);
    assert.equal(siblings('faiss-gpu', 'faiss-cpu'), true);
    assert.equal(siblings('torch-cu121', 'torch-rocm'), true);
    assert.equal(siblings('faiss-gpux', 'faiss-cpu'), false);
    const never = () => false;
    const reach = (c: string, p: string) => editReach(c, p, singleEdit(c, p)!, never);
    assert.equal(reach('pyqt6', 'pyqt5'), undefined, 'version digit');
    assert.equal(reach('faiss-gpu', 'faiss-cpu'), undefined, 'sibling build');
    assert.equal(reach('mocker', 'docker'), undefined, 'a different first letter');
    assert.ok(reach('fequests', 'requests')! >= 10, 'neighbouring first key');
    assert.equal(reach('pytest-csv', 'pytest-cov'), 0, 'different short words');
    assert.equal(editReach('types-pymssql', 'types-pymysql', singleEdit('types-pymssql', 'types-pymysql')!, (n) => n === 'pymssql'), undefined, 'stubs of another project');
    assert.ok(reach('pandsa', 'pandas')! > reach('pymantic', 'pydantic')!, 'a swap weighs more than a far-off key');
  });

  it('answers in linear time on long hostile names', function () {
    this.timeout(20_000);
    const long = 'a'.repeat(50_000);
    assert.equal(findLookalike('PyPI', long), undefined);
    assert.equal(findLookalike('npm', `@${'b'.repeat(20_000)}/${'c'.repeat(20_000)}`), undefined);
  });
});
