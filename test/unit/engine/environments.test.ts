import assert from 'node:assert/strict';
import { EnvironmentIndex, projectRootOf } from '../../../server/src/engine/environments';
import type { ManifestKind } from '../../../server/src/engine/documents';
import { globMatches, isWorkspaceMember, workspaceDeclaration } from '../../../server/src/manifests/workspaces';

const m = (path: string, kind: ManifestKind, text = '') => ({ path, kind, text });

describe('EnvironmentIndex', () => {
  it('puts a file in its nearest enclosing project, never a sibling or the parent when nearer exists', () => {
    const idx = new EnvironmentIndex(
      [m('/ws/requirements.txt', 'requirements'), m('/ws/svc/requirements.txt', 'requirements'), m('/ws/lab/pyproject.toml', 'pyproject'), m('/ws/lab/uv.lock', 'uv.lock')],
      ['/ws'],
    );
    assert.equal(idx.environmentOf('/ws/svc/app/main.py')?.root, '/ws/svc');
    assert.equal(idx.environmentOf('/ws/lab/src/lab/model.py')?.root, '/ws/lab');
    assert.deepEqual(idx.environmentOf('/ws/lab/src/lab/model.py')?.locks.PyPI, ['/ws/lab/uv.lock']);
    assert.equal(idx.environmentOf('/ws/tool.py')?.root, '/ws');
    assert.equal(idx.environmentOf('/ws/docs/conf.py')?.root, '/ws', 'a folder without markers belongs to the project above');
    assert.deepEqual(idx.environmentOf('/ws/svc/x.py')?.locks.PyPI, [], 'no lock is borrowed from an unrelated project');
  });

  it('stops at the workspace root: nothing above it, and no environment when no project encloses the file', () => {
    const idx = new EnvironmentIndex([m('/home/u/requirements.txt', 'requirements'), m('/home/u/ws/ex1/scripts/requirements.txt', 'requirements')], ['/home/u/ws']);
    assert.equal(idx.environmentOf('/home/u/ws/ex2/nb.ipynb'), undefined);
    assert.equal(idx.environmentOf('/home/u/ws/ex1/train.py'), undefined, 'a sibling folder is not an ancestor');
    assert.equal(idx.environmentOf('/home/u/ws/ex1/scripts/run.py')?.root, '/home/u/ws/ex1/scripts');
  });

  it('counts requirements/ folders for the project above them', () => {
    assert.equal(projectRootOf('/ws/p/requirements/base.txt', 'requirements'), '/ws/p');
    assert.equal(projectRootOf('/ws/p/requirements.txt', 'requirements'), '/ws/p');
    assert.equal(projectRootOf('/ws/p/requirements/uv.lock', 'uv.lock'), '/ws/p/requirements');
    const idx = new EnvironmentIndex([m('/ws/p/requirements/base.txt', 'requirements')], ['/ws']);
    assert.equal(idx.environmentOf('/ws/p/train.py')?.root, '/ws/p');
    assert.deepEqual(idx.environmentOf('/ws/p/train.py')?.manifests, ['/ws/p/requirements/base.txt']);
  });

  it('shares a uv workspace root lockfile with declared members only', () => {
    const root = '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/legacy"]\n';
    const idx = new EnvironmentIndex(
      [
        m('/ws/pyproject.toml', 'pyproject', root),
        m('/ws/uv.lock', 'uv.lock'),
        m('/ws/packages/core/pyproject.toml', 'pyproject'),
        m('/ws/packages/legacy/pyproject.toml', 'pyproject'),
        m('/ws/tools/x/pyproject.toml', 'pyproject'),
      ],
      ['/ws'],
    );
    const core = idx.environmentOf('/ws/packages/core/src/core/m.py')!;
    assert.equal(core.root, '/ws/packages/core');
    assert.deepEqual(core.locks.PyPI, ['/ws/uv.lock']);
    assert.equal(core.workspaceRoot?.PyPI, '/ws');
    assert.deepEqual(core.manifests, ['/ws/packages/core/pyproject.toml'], 'the root manifest is not the member’s');
    assert.deepEqual(idx.environmentOf('/ws/packages/legacy/a.py')?.locks.PyPI, [], 'excluded member');
    assert.deepEqual(idx.environmentOf('/ws/tools/x/a.py')?.locks.PyPI, [], 'not a member');
  });

  it('shares an npm workspace lockfile per ecosystem, and a lock that records the member', () => {
    const pkg = '{ "name": "root", "workspaces": ["apps/*", "!apps/old"] }';
    const idx = new EnvironmentIndex(
      [m('/ws/package.json', 'package.json', pkg), m('/ws/package-lock.json', 'package-lock.json'), m('/ws/apps/web/package.json', 'package.json'), m('/ws/apps/web/requirements.txt', 'requirements'), m('/ws/apps/old/package.json', 'package.json')],
      ['/ws'],
    );
    const web = idx.environmentOfManifest('/ws/apps/web/package.json', 'package.json');
    assert.deepEqual(web.locks.npm, ['/ws/package-lock.json']);
    assert.deepEqual(web.locks.PyPI, [], 'an npm lock never decides Python versions');
    assert.deepEqual(idx.environmentOfManifest('/ws/apps/old/package.json', 'package.json').locks.npm, []);

    const recorded = new EnvironmentIndex([m('/r/pnpm-lock.yaml', 'pnpm-lock.yaml', 'x'), m('/r/libs/a/package.json', 'package.json')], ['/r'], (kind) => (kind === 'pnpm-lock.yaml' ? ['.', 'libs/a'] : undefined));
    assert.deepEqual(recorded.environmentOfManifest('/r/libs/a/package.json', 'package.json').locks.npm, ['/r/pnpm-lock.yaml']);
  });

  it('shares a root uv.lock with a member the lock records (no workspace table needed)', () => {
    const lock = 'version = 1\n\n[manifest]\nmembers = ["core", "root"]\n\n[[package]]\nname = "core"\nversion = "0.1.0"\nsource = { editable = "packages/core" }\n\n[[package]]\nname = "root"\nversion = "0.1.0"\nsource = { virtual = "." }\n';
    const idx = new EnvironmentIndex([m('/ws/uv.lock', 'uv.lock', lock), m('/ws/packages/core/pyproject.toml', 'pyproject'), m('/ws/other/pyproject.toml', 'pyproject')], ['/ws']);
    assert.deepEqual(idx.environmentOf('/ws/packages/core/src/x.py')?.locks.PyPI, ['/ws/uv.lock']);
    assert.deepEqual(idx.environmentOf('/ws/other/x.py')?.locks.PyPI, []);
  });

  it('orders a project’s files: lockfiles, then pyproject, requirements.txt, then variants', () => {
    const idx = new EnvironmentIndex([m('/p/requirements-dev.txt', 'requirements'), m('/p/requirements.txt', 'requirements'), m('/p/pyproject.toml', 'pyproject'), m('/p/poetry.lock', 'poetry.lock'), m('/p/uv.lock', 'uv.lock')], ['/p']);
    const env = idx.environmentOf('/p/x.py')!;
    assert.deepEqual(env.locks.PyPI, ['/p/uv.lock', '/p/poetry.lock']);
    assert.deepEqual(env.manifests, ['/p/pyproject.toml', '/p/requirements.txt', '/p/requirements-dev.txt']);
  });
});

describe('workspace declarations', () => {
  it('reads uv members/exclude and npm/yarn workspaces (array or packages object)', () => {
    assert.deepEqual(workspaceDeclaration('pyproject', '[tool.uv.workspace]\nmembers = ["a/*", "b"]\n'), { members: ['a/*', 'b'], exclude: [] });
    assert.deepEqual(workspaceDeclaration('package.json', '{"workspaces": {"packages": ["p/*"]}}'), { members: ['p/*'], exclude: [] });
    assert.equal(workspaceDeclaration('pyproject', '[project]\nname = "x"\n'), undefined);
    assert.equal(workspaceDeclaration('pyproject', '[tool.uv.workspace\nmembers = ['), undefined, 'malformed TOML is no declaration');
    assert.equal(workspaceDeclaration('package.json', '{"workspaces": 3}'), undefined);
  });

  it('matches globs per segment, ** across segments', () => {
    assert.ok(globMatches('packages/*', 'packages/core'));
    assert.ok(!globMatches('packages/*', 'packages/core/sub'));
    assert.ok(globMatches('libs/**', 'libs/a/b'));
    assert.ok(globMatches('**/core', 'a/b/core'));
    assert.ok(globMatches('p?ck*/c*e', 'pack-ages/core'));
    assert.ok(globMatches('./apps/web/', 'apps/web'));
    assert.ok(!globMatches('a.b', 'axb'), 'dots are literal');
    assert.ok(!globMatches('(a|b)', 'a'), 'no regex syntax');
    assert.ok(!isWorkspaceMember({ members: ['*'], exclude: [] }, '../outside'));
  });

  it('stays linear on hostile globs and paths', () => {
    const glob = '**/'.repeat(50) + 'x';
    const path = 'a/'.repeat(5000) + 'y';
    const t = Date.now();
    assert.equal(globMatches(glob, path), false);
    assert.equal(globMatches('*a'.repeat(200), 'a'.repeat(3000) + 'b'), false);
    assert.equal(globMatches('**/'.repeat(300) + '*a*a*a*a*b', 'x/'.repeat(3000) + 'a'.repeat(1000)), false);
    assert.ok(Date.now() - t < 5000);
  });
});
