// "Which environment is this file in": the project, the files that decide its versions in decision
// order (lockfiles, shared ones with their workspace root, then manifests of the same ecosystem),
// the workspace folder, and a note when there is no project; the analysis's own answer wins.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { EngineDocument, ManifestKind } from '../../../server/src/engine/documents';
import type { Environment } from '../../../server/src/engine/environments';
import { describeEnvironment, onEnvironment, WorkspaceEnvironments } from '../../../server/src/handlers/environment';

const u = (p: string) => pathToFileURL(p).toString();
const m = (path: string, kind: ManifestKind, text = ''): EngineDocument => ({ uri: u(path), path, kind, text });

const UV_ROOT = '[project]\nname = "root"\nversion = "0"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n';
const MANIFESTS = [
  m('/ws/pyproject.toml', 'pyproject', UV_ROOT),
  m('/ws/uv.lock', 'uv.lock'),
  m('/ws/packages/core/pyproject.toml', 'pyproject'),
  m('/ws/web/package.json', 'package.json', '{}'),
  m('/ws/web/package-lock.json', 'package-lock.json', '{}'),
  m('/ws/web/requirements.txt', 'requirements'),
  m('/ws/lab/requirements.txt', 'requirements'),
  m('/ws/lab/requirements/dev.txt', 'requirements'),
];

function sources(analysed: Record<string, Environment> = {}, manifests = MANIFESTS) {
  const environments = new WorkspaceEnvironments();
  return { analysed: (uri: string) => analysed[uri], manifests: () => manifests, roots: () => ['/ws'], environments };
}

describe('environment of a file', () => {
  it('a member of a uv workspace: the root lockfile, shared, then its own manifest', () => {
    const r = onEnvironment({ uri: u('/ws/packages/core/src/core/model.py') }, sources());
    assert.equal(r.kind, 'code');
    assert.equal(r.projectRoot, u('/ws/packages/core'));
    assert.equal(r.workspaceFolder, u('/ws'));
    assert.deepEqual(r.decidedBy, [
      { uri: u('/ws/uv.lock'), role: 'lockfile', ecosystem: 'PyPI', sharedFrom: u('/ws') },
      { uri: u('/ws/packages/core/pyproject.toml'), role: 'manifest', ecosystem: 'PyPI' },
    ]);
  });

  it('Python code is decided by Python files only, a package.json by npm files only', () => {
    const py = onEnvironment({ uri: u('/ws/web/app.py') }, sources());
    assert.deepEqual(py.decidedBy.map((f) => f.uri), [u('/ws/web/requirements.txt')]);
    const pkg = onEnvironment({ uri: u('/ws/web/package.json') }, sources());
    assert.equal(pkg.kind, 'manifest');
    assert.deepEqual(pkg.decidedBy.map((f) => [f.uri, f.role]), [[u('/ws/web/package-lock.json'), 'lockfile'], [u('/ws/web/package.json'), 'manifest']]);
    assert.match(pkg.note ?? '', /package-lock\.json/);
    const lock = onEnvironment({ uri: u('/ws/web/package-lock.json') }, sources());
    assert.equal(lock.note, undefined, 'a lockfile is not told about itself');
  });

  it('requirements/ files count for the project above; a notebook is told its own installs win', () => {
    const r = onEnvironment({ uri: u('/ws/lab/explore.ipynb') }, sources());
    assert.equal(r.projectRoot, u('/ws/lab'));
    assert.deepEqual(r.decidedBy.map((f) => f.uri), [u('/ws/lab/requirements.txt'), u('/ws/lab/requirements/dev.txt')]);
    assert.match(r.note ?? '', /%pip install/);
  });

  it('says why there is no project', () => {
    const none = onEnvironment({ uri: u('/ws2/x.py') }, sources({}, [m('/ws/lab/requirements.txt', 'requirements')]));
    assert.equal(none.projectRoot, undefined);
    assert.match(none.note ?? '', /outside the workspace folders/);
    const inside = onEnvironment({ uri: u('/ws/tools/x.py') }, sources({}, [m('/ws/lab/requirements.txt', 'requirements')]));
    assert.equal(inside.workspaceFolder, u('/ws'));
    assert.match(inside.note ?? '', /No project encloses this file/);
    const untitled = onEnvironment({ uri: 'untitled:Untitled-1' }, sources());
    assert.equal(untitled.kind, 'other');
    assert.match(untitled.note ?? '', /Not a file on disk/);
    assert.equal(onEnvironment({} as never, sources()).kind, 'other', 'a malformed request is answered, not thrown');
  });

  it('the environment the analysis used wins over the index', () => {
    const env: Environment = { root: '/ws/special', manifests: ['/ws/special/setup.cfg'], locks: { PyPI: [], npm: [] } };
    const r = onEnvironment({ uri: u('/ws/web/app.py') }, sources({ [u('/ws/web/app.py')]: env }));
    assert.equal(r.projectRoot, u('/ws/special'));
    assert.deepEqual(r.decidedBy.map((f) => f.uri), [u('/ws/special/setup.cfg')]);
  });

  it('a project with nothing for the ecosystem says so', () => {
    const env: Environment = { root: '/ws/web', manifests: ['/ws/web/package.json'], locks: { PyPI: [], npm: [] } };
    assert.match(describeEnvironment(u('/ws/web/a.py'), '/ws/web/a.py', 'python', env, '/ws').note ?? '', /declares no versions/);
  });

  it('rebuilds the index only when a manifest, the set or the roots change', () => {
    const envs = new WorkspaceEnvironments();
    const docs = MANIFESTS.map((d) => ({ ...d }));
    const a = envs.index(docs, ['/ws']);
    assert.equal(envs.index(docs.map((d) => ({ ...d })), ['/ws']), a, 'same texts, new objects');
    const edited = docs.map((d, i) => (i === 0 ? { ...d, text: d.text + '\n# edit\n' } : d));
    assert.notEqual(envs.index(edited, ['/ws']), a);
    assert.notEqual(envs.index(edited, ['/other']), envs.index(edited, ['/ws']));
  });
});
