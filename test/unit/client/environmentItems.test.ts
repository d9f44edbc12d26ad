// What "Show Environment of Current File" shows for the server's answers: the project, the deciding
// files in order with their role, the shared lockfile's workspace, the note; a message instead of a
// pick when there is nothing to open.
import assert from 'node:assert/strict';
import { environmentView, relativeTo } from '../../../client/src/environmentItems';

describe('environment items', () => {
  it('lists the project and the files that decide versions, lockfiles first', () => {
    const v = environmentView({
      uri: 'file:///ws/packages/core/src/m.py',
      kind: 'code',
      projectRoot: 'file:///ws/packages/core',
      workspaceFolder: 'file:///ws',
      decidedBy: [
        { uri: 'file:///ws/uv.lock', role: 'lockfile', ecosystem: 'PyPI', sharedFrom: 'file:///ws' },
        { uri: 'file:///ws/packages/core/pyproject.toml', role: 'manifest', ecosystem: 'PyPI' },
      ],
    });
    assert.equal(v.title, 'Environment of m.py');
    assert.equal(v.message, undefined);
    assert.deepEqual(v.items, [
      { kind: 'project', label: '$(root-folder) Project packages/core/', description: 'workspace folder ws', uri: 'file:///ws/packages/core' },
      { kind: 'file', label: '$(lock) uv.lock', description: 'decides first · lockfile (PyPI), shared by the workspace at ./', uri: 'file:///ws/uv.lock' },
      { kind: 'file', label: '$(file) packages/core/pyproject.toml', description: 'then #2 · manifest (PyPI)', uri: 'file:///ws/packages/core/pyproject.toml' },
    ]);
  });

  it('names the workspace folder for a project at its root, and adds the note', () => {
    const v = environmentView({ uri: 'file:///ws/nb.ipynb', kind: 'code', projectRoot: 'file:///ws', workspaceFolder: 'file:///ws', decidedBy: [{ uri: 'file:///ws/requirements.txt', role: 'manifest', ecosystem: 'PyPI' }], note: 'Own installs win.' });
    assert.equal(v.items[0]!.label, '$(root-folder) Project ws/');
    assert.deepEqual(v.items.at(-1), { kind: 'note', label: '$(info) Own installs win.' });
  });

  it('a message instead of a pick when there is no project or nothing decides', () => {
    assert.equal(environmentView({ uri: 'file:///tmp/x.py', kind: 'code', decidedBy: [], note: 'No project encloses this file.' }).message, 'x.py: No project encloses this file.');
    const none = environmentView({ uri: 'file:///ws/a/x.py', kind: 'code', projectRoot: 'file:///ws/a', workspaceFolder: 'file:///ws', decidedBy: [] });
    assert.equal(none.message, 'x.py is in project a/. No lockfile or manifest decides its versions.');
    assert.deepEqual(none.items, []);
  });

  it('relative paths only inside the base', () => {
    assert.equal(relativeTo('file:///ws/a%20b/c.txt', 'file:///ws/'), 'a b/c.txt');
    assert.equal(relativeTo('file:///wsx/c.txt', 'file:///ws'), 'c.txt', 'a sibling with a common prefix is outside');
    assert.equal(relativeTo('file:///ws', 'file:///ws'), './');
    assert.equal(relativeTo('file:///x/y.txt', undefined), 'y.txt');
  });
});
