// Gathering the BOM's packages and models from scanned documents: versions from pins and locks,
// direct versus transitive, optional groups, hashes attached from the lock entries, the lock graph,
// non-registry sources, notebook installs, and the Hub ids of loading calls.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageKey } from '../../../server/src/cli/bom';
import { gatherModels, gatherPackages, isOptionalGroup } from '../../../server/src/cli/bomInput';
import { documentKindFor, type EngineDocument } from '../../../server/src/engine/documents';

const FIX = path.resolve(__dirname, '../../fixtures/bom');
const ROOT = '/proj';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const rel = (abs: string) => path.relative(ROOT, abs);

function doc(file: string, text: string): EngineDocument {
  const p = path.join(ROOT, file);
  return { uri: p, path: p, text, kind: documentKindFor(p)! };
}
const fixture = (name: string) => readFileSync(path.join(FIX, name), 'utf8');

describe('BOM input: packages', () => {
  it('uv project: the lock gives versions and hashes; declared packages are direct, the rest transitive', () => {
    const docs = [doc('pyproject.toml', '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["requests>=2"]\n[dependency-groups]\ndev = ["pytest"]\n'), doc('uv.lock', fixture('uv.lock'))];
    const { packages, graph } = gatherPackages(docs, rel);
    const get = (n: string) => packages.filter((p) => p.name === n);
    const req = get('requests');
    assert.equal(req.length, 1, 'the declaration joins the locked package instead of adding a versionless one');
    assert.equal(req[0]!.version, '2.32.3');
    assert.equal(req[0]!.direct, true);
    assert.equal(req[0]!.optional, false);
    assert.deepEqual(req[0]!.foundIn, ['pyproject.toml', 'uv.lock']);
    assert.deepEqual(req[0]!.hashes.map((h) => h.content), [sha256('requests-sdist'), sha256('requests-wheel')]);
    assert.equal(get('idna')[0]!.direct, false);
    // pytest is declared in a dev group and not locked: versionless, optional.
    assert.deepEqual([get('pytest')[0]!.version, get('pytest')[0]!.optional, get('pytest')[0]!.direct], [undefined, true, true]);
    const edges = new Map(graph.map((e) => [e.from, e.to]));
    assert.deepEqual(edges.get(packageKey('PyPI', 'requests', '2.32.3'))!.slice().sort(), [packageKey('PyPI', 'idna', '3.10'), packageKey('PyPI', 'urllib3', '2.2.3')]);
    assert.deepEqual(edges.get(packageKey('PyPI', 'demo', '0.1.0')), [packageKey('PyPI', 'requests', '2.32.3')]);
  });

  it('a lock alone: the uv project root’s dependencies are direct', () => {
    const { packages } = gatherPackages([doc('uv.lock', fixture('uv.lock'))], rel);
    assert.equal(packages.find((p) => p.name === 'requests')!.direct, true);
    assert.equal(packages.find((p) => p.name === 'urllib3')!.direct, false);
  });

  it('a pylock.toml alone: the project’s dependencies are direct, versionless VCS and folder sources included, once each', () => {
    const { packages, graph } = gatherPackages([doc('pylock.toml', fixture('pylock.toml'))], rel);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.direct, p.source?.kind]).sort(), [
      ['idna', '3.10', false, undefined],
      ['odd', '0.1', false, undefined],
      ['requests', '2.32.3', true, undefined],
      ['tokenizer-wheel', '1.2.0', false, 'path'],
    ]);
    assert.deepEqual(packages.find((p) => p.name === 'idna')!.hashes.map((h) => h.content), [sha256('idna-wheel'), sha256('idna-sdist')]);
    assert.deepEqual(new Map(graph.map((e) => [e.from, e.to])).get(packageKey('PyPI', 'requests', '2.32.3')), [packageKey('PyPI', 'idna', '3.10')]);
    const lock = 'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "app"\ndirectory = { path = ".", editable = true }\ndependencies = [{ name = "tool" }, { name = "lib" }, { name = "absent" }]\n\n[[packages]]\nname = "tool"\nvcs = { type = "git", url = "https://g.example/tool.git", commit-id = "abc" }\n\n[[packages]]\nname = "lib"\ndirectory = { path = "libs/lib" }\n';
    const direct = gatherPackages([doc('pylock.toml', lock)], rel).packages;
    assert.deepEqual(direct.map((p) => [p.name, p.version, p.direct, p.source?.kind]).sort(), [
      ['lib', undefined, true, 'path'],
      ['tool', undefined, true, 'git'],
    ], 'no versionless duplicate is added for a locked source without a version');
  });

  it('pins without a lock; duplicate declarations merge; ranges stay versionless with their specifier', () => {
    const docs = [
      doc('requirements.txt', 'torch==2.5.1\nnumpy>=1.26\n-c constraints.txt\n'),
      doc('sub/requirements.txt', 'torch==2.5.1\n'),
      doc('constraints.txt', 'scipy==1.13.0\n'),
    ];
    const { packages } = gatherPackages(docs, rel);
    const torch = packages.filter((p) => p.name === 'torch');
    assert.equal(torch.length, 1);
    assert.deepEqual(torch[0]!.foundIn, ['requirements.txt', 'sub/requirements.txt']);
    assert.equal(packages.find((p) => p.name === 'numpy')!.version, undefined);
    assert.equal(packages.find((p) => p.name === 'numpy')!.specifier, '>=1.26');
    // A file listed as a constraints file is still a requirements file when scanned on its own.
    assert.ok(packages.some((p) => p.name === 'scipy'));
  });

  it('npm: package.json and package-lock.json, dev scope, integrity and resolved URL', () => {
    const docs = [doc('package.json', '{"name":"web","dependencies":{"left-pad":"^1.3.0","@scope/util":"2.0.0"},"devDependencies":{"mocha":"^10.0.0"}}'), doc('package-lock.json', fixture('package-lock.json'))];
    const { packages, graph } = gatherPackages(docs, rel);
    const lp = packages.find((p) => p.name === 'left-pad')!;
    assert.deepEqual([lp.ecosystem, lp.version, lp.direct, lp.optional], ['npm', '1.3.0', true, false]);
    assert.equal(lp.hashes[0]!.alg, 'SHA-512');
    const mocha = packages.find((p) => p.name === 'mocha')!;
    assert.deepEqual([mocha.direct, mocha.optional], [true, true]);
    assert.match(packages.find((p) => p.name === '@scope/util')!.resolved!, /npm\.corp\.example/);
    assert.ok(graph.some((e) => e.from === packageKey('npm', '@scope/util', '2.0.0') && e.to.includes(packageKey('npm', 'left-pad', '1.3.0'))));
  });

  it('direct references keep their source; notebook installs are direct declarations', () => {
    const nb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['%pip install transformers==4.44.0\n'] }, { cell_type: 'markdown', source: ['!pip install not-this==1\n'] }], nbformat: 4, nbformat_minor: 5, metadata: {} });
    const docs = [doc('requirements.txt', 'mylib @ git+https://github.com/o/mylib.git@v1\nwheel @ https://h.example/w-1.0-py3-none-any.whl\n'), doc('nb.ipynb', nb)];
    const { packages } = gatherPackages(docs, rel);
    assert.deepEqual(packages.find((p) => p.name === 'mylib')!.source, { kind: 'git', url: 'git+https://github.com/o/mylib.git@v1' });
    assert.equal(packages.find((p) => p.name === 'wheel')!.source!.kind, 'url');
    const tf = packages.find((p) => p.name === 'transformers')!;
    assert.deepEqual([tf.version, tf.direct, tf.foundIn], ['4.44.0', true, ['nb.ipynb']]);
    assert.ok(!packages.some((p) => p.name === 'not-this'));
  });

  it('optional groups', () => {
    for (const g of ['dev', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'develop', 'optional-dependencies.gpu', 'dependency-groups.test', 'tool.poetry.group.docs.dependencies', 'tool.poetry.dev-dependencies', 'options.extras_require.ml', 'tool.pdm.dev-dependencies']) assert.ok(isOptionalGroup(g), g);
    for (const g of [undefined, '', 'dependencies', 'default', 'project.dependencies', 'tool.poetry.dependencies', 'tool.poetry.group.main.dependencies', 'options.install_requires', 'developer-tools-runtime']) assert.ok(!isOptionalGroup(g), String(g));
  });
});

describe('BOM input: models', () => {
  it('Hub ids of loading calls with their revision; datasets apart; one entry per id and revision', async () => {
    const py = [
      'from transformers import AutoModel',
      'from datasets import load_dataset',
      `m = AutoModel.from_pretrained("org/model", revision="${'c'.repeat(40)}")`,
      'n = AutoModel.from_pretrained("org/model")',
      'o = AutoModel.from_pretrained("org/model")',
      'd = load_dataset("squad")',
      'p = AutoModel.from_pretrained("./local/dir")',
      '',
    ].join('\n');
    const models = await gatherModels([doc('train.py', py), doc('other.py', 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n')], rel);
    const key = (m: { id: string; kind: string; revision?: string }) => `${m.kind}:${m.id}@${m.revision ?? ''}`;
    assert.deepEqual(models.map(key).sort(), ['dataset:squad@', 'model:org/model@', `model:org/model@${'c'.repeat(40)}`]);
    assert.deepEqual(models.find((m) => key(m) === 'model:org/model@')!.foundIn, ['train.py', 'other.py']);
  });
});
