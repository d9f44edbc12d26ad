// A project locked with pylock.toml: its lock decides the versions its code and manifests are
// judged at (after uv.lock, poetry.lock and pdm.lock, before Pipfile.lock; pylock.toml before its
// named variants), its `dependencies` carry transitive blame, and a root lock that records a
// member folder is that member's lock.
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { EnvironmentIndex } from '../../../server/src/engine/environments';
import { documentKindFor } from '../../../server/src/engine/documents';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from './helpers';

const LOAD = 'import torch\nstate = torch.load("w.pt", weights_only=True)\n';

function doc(path: string, text: string): EngineDocument {
  const kind = documentKindFor(path);
  assert.ok(kind, path);
  return { uri: path, path, text, kind };
}

const pylock = (pkgs: [string, string, string[]?][]) =>
  'lock-version = "1.0"\ncreated-by = "uv"\n\n' +
  pkgs
    .map(([n, v, deps]) => `[[packages]]\nname = "${n}"\nversion = "${v}"\nindex = "https://pypi.org/simple"\n${deps?.length ? `dependencies = [${deps.map((d) => `{ name = "${d}" }`).join(', ')}]\n` : ''}`)
    .join('\n');

const jinja = record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }]);

async function analyze(reported: EngineDocument[], context: EngineDocument[]) {
  const e = new Engine({ advisories: new MemoryAdvisories([jinja]), registries: { PyPI: new MemoryRegistry({ jinja2: ['2.10', '3.1.4'], torch: ['2.4.0', '2.5.1', '2.6.0'], transformers: ['4.30.0'] }) } }, resolveSettings({}));
  return e.analyze(reported, { context, roots: ['/ws'], readFile: async () => undefined });
}

const torchLoad = (findings: { rule: string; severity: string; related?: { uri: string; message: string }[] }[]) => findings.find((f) => f.rule === 'unsafe-torch-load');

describe('pylock.toml in environments', () => {
  it('decides a project’s versions after uv.lock, poetry.lock and pdm.lock, before Pipfile.lock and its named variants', () => {
    const files = ['/p/Pipfile.lock', '/p/pylock.dev.toml', '/p/pylock.toml', '/p/pdm.lock', '/p/requirements.txt', '/p/poetry.lock', '/p/uv.lock'];
    const idx = new EnvironmentIndex(files.map((f) => ({ path: f, kind: documentKindFor(f) as never, text: '' })), ['/p']);
    const env = idx.environmentOf('/p/src/train.py')!;
    assert.deepEqual(env.locks.PyPI, ['/p/uv.lock', '/p/poetry.lock', '/p/pdm.lock', '/p/pylock.toml', '/p/pylock.dev.toml', '/p/Pipfile.lock']);
    assert.deepEqual(env.locks.npm, []);
    assert.deepEqual(env.manifests, ['/p/requirements.txt'], 'a pylock is a lockfile, not a manifest');
  });

  it('shares a root pylock.toml with the member folders it records, and with no other project', () => {
    const lock = 'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "api"\ndirectory = { path = "services/api", editable = true }\n';
    const idx = new EnvironmentIndex([{ path: '/ws/pylock.toml', kind: 'pylock.toml', text: lock }, { path: '/ws/services/api/pyproject.toml', kind: 'pyproject', text: '' }, { path: '/ws/services/web/pyproject.toml', kind: 'pyproject', text: '' }], ['/ws']);
    const api = idx.environmentOf('/ws/services/api/app.py')!;
    assert.deepEqual(api.locks.PyPI, ['/ws/pylock.toml']);
    assert.equal(api.workspaceRoot?.PyPI, '/ws');
    assert.deepEqual(idx.environmentOf('/ws/services/web/app.py')?.locks.PyPI, [], 'not recorded in the lock');
  });

  it('joins Python code with the torch the pylock.toml locks, both ways', async () => {
    const vulnerable = await analyze([doc('/ws/lab/train.py', LOAD)], [doc('/ws/lab/pyproject.toml', '[project]\nname = "lab"\ndependencies = ["torch"]\n'), doc('/ws/lab/pylock.toml', pylock([['torch', '2.5.1']]))]);
    const f = torchLoad(vulnerable.documents[0]!.findings)!;
    assert.equal(f.severity, 'error');
    assert.equal(f.related?.[0]?.uri, '/ws/lab/pylock.toml', 'the lockfile line decides');
    assert.match(f.related![0]!.message, /torch 2\.5\.1/);
    const fixed = await analyze([doc('/ws/lab/train.py', LOAD)], [doc('/ws/lab/pylock.toml', pylock([['torch', '2.6.0']])), doc('/ws/lab/pylock.dev.toml', pylock([['torch', '2.4.0']]))]);
    assert.equal(torchLoad(fixed.documents[0]!.findings), undefined, 'pylock.toml, not the dev variant, decides');
  });

  it('blames a vulnerable transitive package on the direct dependency that pulls it in', async () => {
    const ctx = [doc('/ws/pyproject.toml', '[project]\nname = "app"\ndependencies = ["transformers>=4"]\n'), doc('/ws/pylock.toml', pylock([['jinja2', '2.10'], ['transformers', '4.30.0', ['jinja2']]]))];
    const res = await analyze([ctx[0]!, ctx[1]!], ctx);
    const [manifest, lock] = res.documents;
    const blamed = manifest!.findings.find((f) => f.rule === 'vulnerable-dependency' && /pulls in jinja2/.test(f.message));
    assert.ok(blamed, 'transformers pulls in jinja2 2.10');
    assert.match(blamed!.message, /transformers → jinja2/);
    const onLock = lock!.findings.find((f) => f.rule === 'vulnerable-dependency');
    assert.ok(onLock, 'the locked jinja2 itself is reported in the lock');
    const fixedCtx = [ctx[0]!, doc('/ws/pylock.toml', pylock([['jinja2', '3.1.4'], ['transformers', '4.30.0', ['jinja2']]]))];
    const clean = await analyze([fixedCtx[0]!], fixedCtx);
    assert.ok(!clean.documents[0]!.findings.some((f) => f.rule === 'vulnerable-dependency'), 'a fixed jinja2 in the lock blames nothing');
  });
});
