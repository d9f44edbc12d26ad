// The supply-chain tree from document facts: projects from the environment index, direct and
// transitive packages, one row per package version across manifest and lockfile, Hub and local
// models joined with the scanned model files, worst-first rows, the filter, the cap, and a files
// table holding only what the shown rows refer to.
import assert from 'node:assert/strict';
import { EnvironmentIndex } from '../../../server/src/engine/environments';
import { buildSupplyChain, worstOf, type BuildInput, type ModelFileFacts } from '../../../server/src/handlers/supplyChainBuild';
import type { DocFacts, FindingFact, HubFacts, ModelRefFact, PackageFact } from '../../../server/src/handlers/supplyChainFacts';
import type { SupplyChainResult } from '../../../server/src/protocol';

const uri = (p: string) => `file://${p}`;
const pkg = (name: string, extra: Partial<PackageFact> = {}): PackageFact => ({ ecosystem: 'PyPI', name, lock: false, range: [0, 0, 0, name.length], findings: [], ...extra });
const finding = (severity: FindingFact['severity'], rule = 'vulnerable-dependency', message = `${rule} ${severity}`): FindingFact => ({ rule, severity, message, range: [0, 0, 0, 1] });
const doc = (path: string, kind: DocFacts['kind'], packages: PackageFact[] = [], models: ModelRefFact[] = []): DocFacts => ({ uri: uri(path), path, kind, analysed: true, packages, models });

const UV_ROOT = '[project]\nname = "svc"\nversion = "0"\ndependencies = ["torch"]\n';

function input(docs: DocFacts[], extra: Partial<BuildInput> = {}): BuildInput {
  const manifests = docs.filter((d) => d.kind !== 'python' && d.kind !== 'notebook').map((d) => ({ path: d.path, kind: d.kind as 'requirements', text: d.kind === 'pyproject' ? UV_ROOT : '' }));
  return {
    docs,
    environments: new EnvironmentIndex(manifests, ['/ws']),
    modelFiles: [],
    hub: () => undefined,
    resolveLocal: () => undefined,
    complete: true,
    offline: false,
    errors: [],
    now: 1,
    ...extra,
  };
}

const project = (r: SupplyChainResult, name: string) => {
  const p = r.projects.find((x) => x.name === name);
  assert.ok(p, `${name} in ${r.projects.map((x) => x.name).join(', ')}`);
  return p;
};

describe('buildSupplyChain', () => {
  it('groups by project, merges a declared package with its lock entry, and marks lock-only packages transitive', () => {
    const r = buildSupplyChain(
      input([
        doc('/ws/requirements.txt', 'requirements', [pkg('jinja2', { version: '2.10.1', versionFrom: 'pinned', specifier: '==2.10.1', findings: [finding('warning')] }), pkg('requests', { version: '2.31.0' })]),
        doc('/ws/svc/pyproject.toml', 'pyproject', [pkg('torch', { version: '2.1.0', versionFrom: 'locked', range: [3, 17, 3, 22] })]),
        doc('/ws/svc/uv.lock', 'uv.lock', [
          pkg('torch', { version: '2.1.0', lock: true, range: [10, 8, 10, 13], findings: [finding('error', 'vulnerable-dependency', 'torch 2.1.0 GHSA')] }),
          pkg('filelock', { version: '3.13.1', lock: true }),
          pkg('my-git-pkg', { version: '0.3.0', lock: true, source: 'git' }),
        ]),
      ]),
    );
    assert.deepEqual(r.projects.map((p) => p.name), ['.', 'svc']);
    const root = project(r, '.');
    assert.deepEqual(root.packages.map((p) => p.name), ['jinja2', 'requests'], 'worst first');
    assert.equal(root.worst, 'warning');
    assert.deepEqual(root.decidedBy.map((i) => r.files[i]), [uri('/ws/requirements.txt')]);
    const svc = project(r, 'svc');
    assert.deepEqual(svc.decidedBy.map((i) => r.files[i]), [uri('/ws/svc/uv.lock'), uri('/ws/svc/pyproject.toml')]);
    const torch = svc.packages.find((p) => p.name === 'torch')!;
    assert.equal(torch.direct, true);
    assert.equal(r.files[torch.at.file], uri('/ws/svc/pyproject.toml'));
    assert.deepEqual(torch.at.range, [3, 17, 3, 22]);
    assert.deepEqual(torch.alsoIn?.map((i) => r.files[i]), [uri('/ws/svc/uv.lock')]);
    assert.equal(torch.worst, 'error', 'the lock entry’s finding joins the row');
    assert.equal(torch.findings[0]!.at.file, r.files.indexOf(uri('/ws/svc/uv.lock')), 'and keeps its own location');
    assert.equal(svc.packages.filter((p) => p.name === 'torch').length, 1, 'one row per version');
    assert.equal(svc.packages.find((p) => p.name === 'filelock')?.direct, false);
    assert.equal(svc.packages.find((p) => p.name === 'my-git-pkg')?.source, 'git');
    assert.equal(svc.worst, 'error');
  });

  it('one row per range, resolved or not, and its newest allowed version when one file knows it', () => {
    const r = buildSupplyChain(
      input([
        doc('/ws/pyproject.toml', 'pyproject', [pkg('numpy', { specifier: '>=1.26' })]),
        doc('/ws/requirements.txt', 'requirements', [pkg('numpy', { specifier: '>=1.26', version: '2.1.3', versionFrom: 'newest-allowed' })]),
      ]),
    );
    const rows = project(r, '.').packages;
    assert.deepEqual(rows.map((p) => [p.name, p.version, p.versionFrom, p.specifier, p.alsoIn?.length]), [['numpy', '2.1.3', 'newest-allowed', '>=1.26', 1]]);
  });

  it('keeps different versions and unresolved ranges apart', () => {
    const r = buildSupplyChain(
      input([
        doc('/ws/requirements.txt', 'requirements', [pkg('numpy', { specifier: '>=1.26' }), pkg('torch', { version: '2.6.0' })]),
        doc('/ws/requirements/dev.txt', 'requirements', [pkg('numpy', { specifier: '>=1.26' }), pkg('torch', { version: '2.4.0' })]),
      ]),
    );
    const root = project(r, '.');
    assert.deepEqual(root.packages.map((p) => `${p.name} ${p.version ?? p.specifier}`), ['numpy >=1.26', 'torch 2.4.0', 'torch 2.6.0']);
    assert.equal(root.packages[0]!.alsoIn?.length, 1, 'the same range in two files is one row');
  });

  it('lists Hub models per id and revision, with Hub facts or "not checked", counting the calls', () => {
    const ref = (name: string, revision?: string, findings: FindingFact[] = []): ModelRefFact => ({ kind: 'hub', name, ...(revision ? { revision, pinnedToCommit: revision.length === 40 } : { pinnedToCommit: false }), range: [1, 2, 1, 8], findings });
    const facts: HubFacts = { license: 'mit', formats: ['pickle'], verdict: 'unsafe', detail: 'flagged: pytorch_model.bin' };
    const r = buildSupplyChain(
      input(
        [
          doc('/ws/requirements.txt', 'requirements', [pkg('transformers')]),
          doc('/ws/a.py', 'python', [], [ref('acme/x', undefined, [finding('info', 'unpinned-model-revision')]), ref('acme/y', 'a'.repeat(40))]),
          doc('/ws/b.py', 'python', [], [ref('acme/x', undefined, [finding('info', 'unpinned-model-revision'), finding('error', 'trust-remote-code')])]),
        ],
        { hub: (id) => (id === 'acme/x' ? facts : undefined) },
      ),
    );
    const models = project(r, '.').models;
    assert.deepEqual(models.map((m) => m.name), ['acme/x', 'acme/y']);
    const x = models[0]!;
    assert.equal(x.calls, 2);
    assert.equal(x.license, 'mit');
    assert.deepEqual(x.scan, { by: 'hub', verdict: 'unsafe', detail: 'flagged: pytorch_model.bin' });
    assert.equal(x.worst, 'error');
    assert.deepEqual(x.findings.map((f) => f.rule), ['unpinned-model-revision', 'trust-remote-code'], 'the same finding once');
    assert.equal(r.files[x.at.file], uri('/ws/a.py'), 'the first call');
    assert.equal(x.approved, undefined);
    const y = models[1]!;
    assert.equal(y.pinnedToCommit, true);
    assert.deepEqual(y.scan, { by: 'hub', verdict: 'not-checked' });
    assert.equal(y.worst, undefined);
  });

  it('a Hub model is approved or not only where a policy with model rules governs its loading call', () => {
    const ref = (name: string, findings: FindingFact[] = []): ModelRefFact => ({ kind: 'hub', name, pinnedToCommit: false, range: [0, 0, 0, 1], findings });
    const r = buildSupplyChain(
      input(
        [
          doc('/ws/requirements.txt', 'requirements'),
          doc('/ws/gov/a.py', 'python', [], [ref('acme/ok'), ref('acme/denied', [finding('error', 'model-not-approved')]), ref('acme/nc', [finding('error', 'license-policy')])]),
          doc('/ws/free/b.py', 'python', [], [ref('acme/free', [finding('error', 'model-not-approved')])]),
        ],
        { modelPolicy: (file) => file.startsWith('/ws/gov/') },
      ),
    );
    const approved = Object.fromEntries(project(r, '.').models.map((m) => [m.name, m.approved]));
    assert.deepEqual(approved, { 'acme/denied': false, 'acme/nc': false, 'acme/ok': true, 'acme/free': undefined });
  });

  it('joins local references to the scanned model file they resolve to; unresolved ones stay local', () => {
    const file: ModelFileFacts = { path: '/ws/weights/evil.pt', format: 'pytorch-zip', verdict: 'unsafe', detail: 'imports posix.system', findings: [finding('error', 'unsafe-model-file', 'imports posix.system')] };
    const local = (name: string): ModelRefFact => ({ kind: 'local', name, base: 'cwd', range: [3, 0, 3, 5], findings: [finding('warning', 'unsafe-torch-load'), finding('error', 'unsafe-model-file', 'imports posix.system')] });
    const r = buildSupplyChain(
      input([doc('/ws/requirements.txt', 'requirements'), doc('/ws/load.py', 'python', [], [local('weights/evil.pt'), local('missing.pt')])], {
        modelFiles: [file],
        resolveLocal: (ref) => (ref.name === 'weights/evil.pt' ? '/ws/weights/evil.pt' : undefined),
      }),
    );
    const models = project(r, '.').models;
    const evil = models.find((m) => m.kind === 'file')!;
    assert.equal(evil.name, 'weights/evil.pt');
    assert.equal(evil.calls, 1);
    assert.deepEqual(evil.findings.map((f) => [f.rule, r.files[f.at.file]]), [
      ['unsafe-model-file', uri('/ws/weights/evil.pt')],
      ['unsafe-torch-load', uri('/ws/load.py')],
      ['unsafe-model-file', uri('/ws/load.py')],
    ], 'the call’s findings stay, with their own place, even when they read like the file’s');
    assert.equal(r.files[evil.at.file], uri('/ws/weights/evil.pt'));
    assert.deepEqual(evil.at.range, [0, 0, 0, 0]);
    assert.equal(evil.modelFile, evil.at.file);
    assert.deepEqual(evil.formats, ['pytorch-zip']);
    const missing = models.find((m) => m.kind === 'local')!;
    assert.equal(missing.name, 'missing.pt');
    assert.equal(missing.scan, undefined);
    assert.equal(missing.worst, 'error');
  });

  it('puts files outside every project under their workspace folder', () => {
    const r = buildSupplyChain(input([doc('/ws/lab/requirements.txt', 'requirements', [pkg('torch')]), doc('/ws/tools/x.py', 'python', [], [{ kind: 'hub', name: 'acme/z', range: [0, 0, 0, 1], findings: [] }])]));
    assert.deepEqual(r.projects.map((p) => p.name), ['.', 'lab']);
    assert.deepEqual(project(r, '.').decidedBy, [], 'not a project: nothing decides versions');
    assert.deepEqual(project(r, '.').models.map((m) => m.name), ['acme/z']);
  });

  it('filters to flagged rows, caps rows worst first, counts the rest, and keeps only the files shown rows use', () => {
    const docs: DocFacts[] = [];
    for (let i = 0; i < 300; i++) docs.push(doc(`/ws/requirements/r${String(i).padStart(3, '0')}.txt`, 'requirements', [pkg(`pkg${String(i).padStart(3, '0')}`, { version: '1.0', findings: i % 100 === 7 ? [finding(i === 107 ? 'error' : 'hint')] : [] })]));
    docs.push(doc('/ws/requirements.txt', 'requirements'));
    const capped = buildSupplyChain(input(docs), { maxRows: 5 });
    const root = project(capped, '.');
    assert.deepEqual(root.packages.map((p) => p.name), ['pkg107', 'pkg007', 'pkg207', 'pkg000', 'pkg001']);
    assert.equal(root.morePackages, 295);
    assert.deepEqual(root.counts, { packages: 300, models: 0, withFindings: 3 });
    assert.ok(capped.files.length <= 5 + 1 + root.decidedBy.length, `files: ${capped.files.length}`);
    const only = buildSupplyChain(input(docs), { onlyFindings: true, maxRows: 2 });
    assert.deepEqual(project(only, '.').packages.map((p) => p.name), ['pkg107', 'pkg007']);
    assert.equal(project(only, '.').morePackages, 1);
    const all = buildSupplyChain(input(docs), { maxRows: 1e9 });
    assert.equal(project(all, '.').packages.length, 300, 'the cap has a ceiling of 2,000, above these');
    assert.equal(buildSupplyChain(input(docs), { maxRows: -3 }).projects[0]!.packages.length, 1, 'at least one row');
    assert.equal(buildSupplyChain(input(docs), { maxRows: Number.NaN }).projects[0]!.packages.length, 200, 'not a number: the default');
    assert.equal(buildSupplyChain(input(docs), { maxRows: '5' as never }).projects[0]!.packages.length, 200, 'not a number: the default');
    assert.deepEqual(buildSupplyChain(input([doc('/ws/requirements.txt', 'requirements', [pkg('clean')])]), { onlyFindings: true }).projects, [], 'a clean project disappears');
  });

  it('every index in the answer points into the files table', () => {
    const r = buildSupplyChain(input([doc('/ws/requirements.txt', 'requirements', [pkg('a', { findings: [finding('error')] })]), doc('/ws/svc/pyproject.toml', 'pyproject', [pkg('torch')]), doc('/ws/svc/uv.lock', 'uv.lock', [pkg('torch', { lock: true })])]));
    const seen: number[] = [];
    for (const p of r.projects) {
      seen.push(p.root, ...p.decidedBy);
      for (const row of [...p.packages, ...p.models]) seen.push(row.at.file, ...row.findings.map((f) => f.at.file));
      for (const row of p.packages) seen.push(...(row.alsoIn ?? []));
    }
    assert.ok(seen.every((i) => Number.isInteger(i) && i >= 0 && i < r.files.length));
    assert.equal(new Set(r.files).size, r.files.length);
  });

  it('worstOf orders severities', () => {
    assert.equal(worstOf(['hint', 'warning', undefined, 'info']), 'warning');
    assert.equal(worstOf([]), undefined);
  });
});
