// Document facts for the supply chain from real engine analyses: findings attached to the package
// they are about (transitive ones to the direct dependency), a loading call's findings to its model,
// ranges in line/character form (per cell in notebooks), messages redacted and trimmed; and the
// verdicts shown for model files and Hub models.
import assert from 'node:assert/strict';
import type { ModelFileScan, ModelInfo } from '../../../server/src/domain';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { Engine } from '../../../server/src/engine/engine';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { analysedFacts } from '../../../server/src/handlers/supplyChain';
import { factsFromAnalysis, factsFromDeclared, hubFacts, staticVerdict } from '../../../server/src/handlers/supplyChainFacts';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from '../engine/helpers';

const jinja = record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }]);
const torch = record('GHSA-torch', 'torch', [{ introduced: '0' }, { fixed: '2.6.0' }], { database_specific: { severity: 'CRITICAL' } });

function engine() {
  return new Engine({ advisories: new MemoryAdvisories([jinja, torch]), registries: { PyPI: new MemoryRegistry({ jinja2: ['2.10.1', '2.11.3'], requests: ['2.31.0'], torch: ['2.1.0', '2.6.0'], filelock: ['3.13.1'] }) } }, resolveSettings({}));
}

describe('supply-chain document facts', () => {
  it('attaches dependency findings to their package, with line/character ranges and advisory ids', async () => {
    const text = '# deps\nrequests==2.31.0\njinja2==2.10.1  # web\n';
    const doc: EngineDocument = { uri: 'file:///ws/requirements.txt', path: '/ws/requirements.txt', text, kind: 'requirements' };
    const [a] = (await engine().analyze([doc])).documents;
    const facts = analysedFacts(doc, a!);
    assert.equal(facts.analysed, true);
    const j = facts.packages.find((p) => p.name === 'jinja2')!;
    assert.deepEqual(j.range, [2, 0, 2, 6]);
    assert.equal(j.version, '2.10.1');
    assert.equal(j.versionFrom, 'pinned');
    assert.equal(j.lock, false);
    assert.deepEqual(j.findings.map((f) => [f.rule, f.advisories]), [['vulnerable-dependency', ['PYSEC-2021-66']]]);
    assert.deepEqual(facts.packages.find((p) => p.name === 'requests')!.findings, []);
  });

  it('a transitive finding belongs to the direct dependency that pulls it in; the lock entry keeps its own', async () => {
    const e = engine();
    const pyproject: EngineDocument = { uri: 'file:///ws/pyproject.toml', path: '/ws/pyproject.toml', text: '[project]\nname = "app"\nversion = "0"\ndependencies = ["accelerate"]\n', kind: 'pyproject' };
    const lockText = [
      'version = 1',
      '[[package]]\nname = "app"\nversion = "0"\nsource = { editable = "." }\ndependencies = [{ name = "accelerate" }]',
      '[[package]]\nname = "accelerate"\nversion = "1.0.0"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [{ name = "torch" }]',
      '[[package]]\nname = "torch"\nversion = "2.1.0"\nsource = { registry = "https://pypi.org/simple" }',
    ].join('\n\n');
    const lock: EngineDocument = { uri: 'file:///ws/uv.lock', path: '/ws/uv.lock', text: lockText, kind: 'uv.lock' };
    const res = await e.analyze([pyproject, lock], { roots: ['/ws'] });
    const manifest = analysedFacts(pyproject, res.documents.find((d) => d.uri === pyproject.uri)!);
    const acc = manifest.packages.find((p) => p.name === 'accelerate')!;
    assert.equal(acc.versionFrom, 'locked');
    assert.equal(acc.version, '1.0.0');
    assert.ok(acc.findings.some((f) => f.advisories?.includes('GHSA-torch') && /pulls in torch/.test(f.message)), 'via the lock');
    const locked = analysedFacts(lock, res.documents.find((d) => d.uri === lock.uri)!);
    const t = locked.packages.find((p) => p.name === 'torch')!;
    assert.equal(t.lock, true);
    assert.equal(t.findings[0]?.severity, 'error');
  });

  it("attaches a loading call's findings to its model reference, and only those", async () => {
    const text = 'import torch\nfrom transformers import AutoModel\n\nm = AutoModel.from_pretrained("acme/bert", trust_remote_code=True)\nw = torch.load("w.pt")\n';
    const doc: EngineDocument = { uri: 'file:///ws/train.py', path: '/ws/train.py', text, kind: 'python' };
    const [a] = (await engine().analyze([doc])).documents;
    const facts = analysedFacts(doc, a!);
    assert.deepEqual(facts.models.map((m) => [m.kind, m.name]), [['hub', 'acme/bert'], ['local', 'w.pt']]);
    const m = facts.models[0]!;
    assert.equal(m.pinnedToCommit, false);
    assert.deepEqual(m.range, [3, 31, 3, 40]);
    assert.deepEqual(m.findings.map((f) => f.rule).sort(), ['trust-remote-code', 'unpinned-model-revision']);
    const local = facts.models[1]!;
    assert.equal(local.base, 'cwd');
    assert.deepEqual(local.range, [4, 16, 4, 20]);
    assert.deepEqual(local.findings.map((f) => f.rule), ['unsafe-torch-load'], 'the torch.load on the next line is its own call');
  });

  it('takes a notebook’s ranges per cell, and a commit-sha revision as a pin', async () => {
    const nb = JSON.stringify({
      cells: [
        { cell_type: 'code', source: ['%pip install jinja2==2.10.1\n'] },
        { cell_type: 'code', source: ['from transformers import AutoModel\n', `AutoModel.from_pretrained("acme/x", revision="${'ab'.repeat(20)}")\n`] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    const doc: EngineDocument = { uri: 'file:///ws/nb.ipynb', path: '/ws/nb.ipynb', text: nb, kind: 'notebook' };
    const [a] = (await engine().analyze([doc])).documents;
    const facts = analysedFacts(doc, a!);
    const j = facts.packages.find((p) => p.name === 'jinja2')!;
    assert.equal(j.cell, 0);
    assert.deepEqual(j.range, [0, 13, 0, 19]);
    assert.equal(j.findings[0]?.cell, 0);
    const m = facts.models[0]!;
    assert.equal(m.cell, 1);
    assert.deepEqual(m.range, [1, 27, 1, 33]);
    assert.equal(m.pinnedToCommit, true);
    assert.equal(m.revision, 'ab'.repeat(20));
  });

  it('reads local references and call ranges when the engine reports them', () => {
    const text = 'x = joblib.load("models/clf.joblib")\ny = 1\n';
    const facts = factsFromAnalysis(
      {
        uri: 'file:///ws/a.py',
        kind: 'python',
        dependencies: [],
        problems: [],
        findings: [
          { rule: 'pickle-deserialization', severity: 'warning', range: { start: 4, end: 15 }, message: 'joblib.load runs code' },
          { rule: 'unsafe-yaml-load', severity: 'warning', range: { start: 37, end: 38 }, message: 'elsewhere' },
        ],
        code: { findings: [], parseProblems: [], modelRefs: [{ kind: 'local', path: 'models/clf.joblib', base: 'cwd', range: { start: 17, end: 34 }, callRange: { start: 4, end: 35 }, call: 'joblib.load', rules: [] }] },
      },
      '/ws/a.py',
      () => new LineIndex(text),
    );
    assert.deepEqual(facts.models, [{ kind: 'local', name: 'models/clf.joblib', base: 'cwd', range: [0, 17, 0, 34], findings: [{ rule: 'pickle-deserialization', severity: 'warning', message: 'joblib.load runs code', range: [0, 4, 0, 15] }] }]);
  });

  it('redacts and trims messages', () => {
    const long = `https://user:s3cret@example.com/simple ${'x'.repeat(1000)}`;
    const facts = factsFromAnalysis(
      { uri: 'file:///ws/r.txt', kind: 'python', dependencies: [], problems: [], findings: [{ rule: 'trust-remote-code', severity: 'error', range: { start: 0, end: 1 }, message: long }], code: { findings: [], parseProblems: [], modelRefs: [{ kind: 'hub', id: 'a/b', isCommitSha: false, range: { start: 0, end: 1 }, callRange: { start: 0, end: 1 }, call: 'x', rules: [] }] } },
      '/ws/r.py',
      () => new LineIndex('x\n'),
    );
    const msg = facts.models[0]!.findings[0]!.message;
    assert.ok(!msg.includes('s3cret'));
    assert.ok(msg.length <= 300);
  });

  it('a parse alone gives packages without versions resolved or findings', () => {
    const text = 'numpy>=1.26\ntorch==2.6.0\n';
    const e = engine();
    const doc: EngineDocument = { uri: 'file:///ws/requirements.txt', path: '/ws/requirements.txt', text, kind: 'requirements' };
    const facts = factsFromDeclared({ uri: doc.uri, path: doc.path!, kind: doc.kind }, e.declaredDependencies(doc), new LineIndex(text));
    assert.equal(facts.analysed, false);
    assert.deepEqual(facts.packages.map((p) => [p.name, p.version, p.versionFrom, p.specifier, p.range]), [
      ['numpy', undefined, undefined, '>=1.26', [0, 0, 0, 5]],
      ['torch', '2.6.0', 'pinned', '==2.6.0', [1, 0, 1, 5]],
    ]);
  });
});

describe('model verdicts', () => {
  const scan = (issues: ModelFileScan['issues'], complete = true): ModelFileScan => ({ format: 'pickle', size: 10, bytesRead: 10, complete, imports: [], issues });

  it('static scan: denied imports are unsafe, unknown ones caution, a partial scan unknown, allowed pickles safe', () => {
    assert.equal(staticVerdict(scan([{ kind: 'denied-import', severity: 'error', message: 'posix.system' }])).verdict, 'unsafe');
    assert.equal(staticVerdict(scan([{ kind: 'unknown-import', severity: 'warning', message: 'foo.bar' }])).verdict, 'caution');
    assert.equal(staticVerdict(scan([{ kind: 'not-fully-scanned', severity: 'warning', message: 'budget' }], false)).verdict, 'unknown');
    assert.deepEqual(staticVerdict(scan([{ kind: 'pickle-format', severity: 'info', message: 'pickle' }])), { verdict: 'safe', detail: 'pickle-based format; every import is on the allow list' });
    assert.deepEqual(staticVerdict({ ...scan([]), format: 'safetensors' }), { verdict: 'safe' });
  });

  it('Hub: flagged files are unsafe, a scan not done or an unscanned file unknown — never safe', () => {
    const info = (extra: Partial<ModelInfo>): ModelInfo => ({ id: 'a/b', files: [], freshness: { fetchedAt: 0, stale: false, origin: 'network' }, ...extra });
    assert.equal(hubFacts(info({ security: { scansDone: true, filesWithIssues: ['x.bin'] } })).verdict, 'unsafe');
    assert.equal(hubFacts(info({ fileScans: [{ path: 'x.bin', status: 'safe', pickleImports: [{ module: 'os', name: 'system', safety: 'dangerous' }] }] })).verdict, 'unsafe');
    assert.equal(hubFacts(info({ fileScans: [{ path: 'x.bin', status: 'suspicious' }] })).verdict, 'caution');
    assert.equal(hubFacts(info({ security: { scansDone: false } })).verdict, 'unknown');
    assert.equal(hubFacts(info({ security: { scansDone: true }, fileScans: [{ path: 'x.bin', status: 'queued' }] })).verdict, 'unknown');
    assert.equal(hubFacts(info({})).verdict, 'unknown', 'no scan reported');
    assert.deepEqual(hubFacts(info({ license: 'mit', weightFormats: ['safetensors'], security: { scansDone: true } })), { license: 'mit', formats: ['safetensors'], verdict: 'safe' });
  });
});
