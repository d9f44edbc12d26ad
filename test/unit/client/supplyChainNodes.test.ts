// The supply-chain tree's nodes from a server answer: project and group structure, labels and
// descriptions that say version, direct/transitive, where, pin, licence, format, scan and policy,
// icons by severity, clicks that open the declaration or the loading call (a model file: its
// diagnostics), "…N more" where the server capped, and markdown that cannot inject links.
import assert from 'node:assert/strict';
import type { SupplyChainResult } from '../../../server/src/protocol';
import { baseName, md, rootNodes, viewMessage, type SupplyNode } from '../../../client/src/supplyChainNodes';

const RESULT: SupplyChainResult = {
  files: ['file:///ws', 'file:///ws/requirements.txt', 'file:///ws/train.py', 'file:///ws/weights/evil.pt', 'file:///ws/svc', 'file:///ws/svc/uv.lock', 'file:///ws/svc/pyproject.toml'],
  projects: [
    {
      root: 0,
      name: '.',
      decidedBy: [1],
      packages: [
        {
          ecosystem: 'PyPI',
          name: 'jinja2',
          version: '2.10.1',
          versionFrom: 'pinned',
          specifier: '==2.10.1',
          direct: true,
          at: { file: 1, range: [1, 0, 1, 6] },
          worst: 'warning',
          findings: [{ rule: 'vulnerable-dependency', severity: 'warning', message: 'jinja2 2.10.1 is affected by [PYSEC-2021-66](http://evil)\nmore', advisories: ['PYSEC-2021-66'], at: { file: 1, range: [1, 0, 1, 6] } }],
        },
        { ecosystem: 'PyPI', name: 'numpy', version: '2.1.3', versionFrom: 'newest-allowed', specifier: '>=1.26', direct: true, at: { file: 1, range: [2, 0, 2, 5] }, findings: [] },
      ],
      models: [
        { kind: 'hub', name: 'acme/bert', pinnedToCommit: false, license: 'apache-2.0', formats: ['safetensors'], scan: { by: 'hub', verdict: 'safe' }, at: { file: 2, range: [2, 35, 2, 44] }, calls: 2, findings: [] },
        {
          kind: 'file',
          name: 'weights/evil.pt',
          formats: ['pytorch-zip'],
          scan: { by: 'static', verdict: 'unsafe', detail: 'imports posix.system' },
          at: { file: 3, range: [0, 0, 0, 0] },
          modelFile: 3,
          calls: 0,
          worst: 'error',
          findings: [
            { rule: 'unsafe-model-file', severity: 'error', message: 'imports posix.system', at: { file: 3, range: [0, 0, 0, 0] } },
            { rule: 'unsafe-model-file', severity: 'error', message: 'imports posix.system', at: { file: 2, range: [9, 20, 9, 35] } },
          ],
        },
        { kind: 'hub', name: 'acme/pinned', revision: 'a'.repeat(40), pinnedToCommit: true, approved: false, at: { file: 2, range: [5, 1, 5, 2], cell: 3 }, calls: 1, findings: [] },
        { kind: 'local', name: 'ckpt.pt', at: { file: 2, range: [7, 12, 7, 19] }, calls: 2, worst: 'warning', findings: [{ rule: 'unsafe-torch-load', severity: 'warning', message: 'torch.load unpickles', at: { file: 2, range: [7, 0, 7, 20] } }] },
      ],
      morePackages: 0,
      moreModels: 0,
      counts: { packages: 2, models: 4, withFindings: 3 },
      worst: 'error',
    },
    {
      root: 4,
      name: 'svc',
      decidedBy: [5, 6],
      packages: [{ ecosystem: 'PyPI', name: 'filelock', version: '3.13.1', versionFrom: 'locked', direct: false, at: { file: 5, range: [20, 7, 20, 15] }, findings: [] }],
      models: [],
      morePackages: 41,
      moreModels: 0,
      counts: { packages: 42, models: 0, withFindings: 0 },
    },
  ],
  complete: true,
  generatedAt: 0,
  offline: false,
  errors: [],
};

const find = (nodes: SupplyNode[], label: string): SupplyNode => {
  for (const n of nodes) {
    if (n.label === label) return n;
    const hit = n.children.length ? findOrUndefined(n.children, label) : undefined;
    if (hit) return hit;
  }
  throw new Error(`no node ${label}`);
};
const findOrUndefined = (nodes: SupplyNode[], label: string): SupplyNode | undefined => {
  try {
    return find(nodes, label);
  } catch {
    return undefined;
  }
};

describe('supply-chain nodes', () => {
  const roots = rootNodes(RESULT, false);

  it('projects, then Packages and Models groups', () => {
    assert.deepEqual(roots.map((n) => [n.label, n.kind]), [['ws', 'project'], ['svc', 'project']]);
    assert.equal(roots[0]!.description, './ · 2 packages · 4 models · 3 with findings');
    assert.deepEqual(roots[0]!.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
    assert.deepEqual(roots[0]!.children.map((g) => [g.label, g.description]), [['Packages', '2'], ['Models', '4']]);
    assert.deepEqual(roots[1]!.children.map((g) => g.label), ['Packages'], 'no empty group');
    assert.match(roots[1]!.tooltip!, /versions decided by: `uv\\\.lock`, `pyproject\\\.toml`/);
    assert.equal(roots[1]!.icon.id, 'root-folder');
  });

  it('packages say version, how it was chosen, direct or transitive, where, and the worst finding; a click opens the line', () => {
    const j = find(roots, 'jinja2 2.10.1');
    assert.equal(j.description, 'direct · requirements.txt · vulnerable-dependency');
    assert.deepEqual(j.open, { uri: 'file:///ws/requirements.txt', range: [1, 0, 1, 6] });
    assert.equal(j.icon.id, 'warning');
    assert.deepEqual(j.children.map((c) => [c.kind, c.label, c.description]), [['finding', 'vulnerable-dependency', 'jinja2 2.10.1 is affected by [PYSEC-2021-66](http://evil)']]);
    assert.ok(!/\]\(http/.test(j.tooltip!), 'no live link in the tooltip');
    assert.equal(find(roots, 'numpy 2.1.3').description, 'newest allowed by >=1.26 · direct · requirements.txt');
    assert.equal(find(roots, 'numpy 2.1.3').icon.id, 'package');
    const f = find(roots, 'filelock 3.13.1');
    assert.equal(f.description, 'transitive · uv.lock');
  });

  it('models say pin, licence, format, scan and policy; a model file opens its diagnostics; a cell call opens the cell', () => {
    const bert = find(roots, 'acme/bert');
    assert.equal(bert.description, 'unpinned · apache-2.0 · safetensors · Hub scan: safe · 2 calls');
    assert.equal(bert.icon.id, 'hubot');
    const evil = find(roots, 'weights/evil.pt');
    assert.equal(evil.description, 'pytorch-zip · scan: UNSAFE · in the tree');
    assert.deepEqual(evil.open, { uri: 'file:///ws/weights/evil.pt', range: [0, 0, 0, 0], modelFile: true });
    assert.match(evil.tooltip!, /imports posix\\\.system/);
    assert.deepEqual(evil.children.map((c) => c.open), [
      { uri: 'file:///ws/weights/evil.pt', range: [0, 0, 0, 0], modelFile: true },
      { uri: 'file:///ws/train.py', range: [9, 20, 9, 35] },
    ], 'the file’s own finding opens its diagnostics, the call’s finding the call');
    const pinned = find(roots, `acme/pinned@${'a'.repeat(10)}`);
    assert.equal(pinned.description, 'pinned to a commit · not approved');
    assert.deepEqual(pinned.open, { uri: 'file:///ws/train.py', range: [5, 1, 5, 2], cell: 3 });
    const local = find(roots, 'ckpt.pt');
    assert.equal(local.description, 'local path · no model file found · 2 calls');
    assert.equal(local.icon.id, 'warning');
    assert.deepEqual(local.children.map((c) => c.open?.range), [[7, 0, 7, 20]], 'a finding opens at its own range');
  });

  it('shows how many rows the server left out', () => {
    const packages = roots[1]!.children[0]!;
    assert.equal(packages.description, '1 of 42');
    const more = packages.children.at(-1)!;
    assert.equal(more.label, '…41 more');
    assert.equal(more.open, undefined);
  });

  it('ids are unique and stable', () => {
    const ids: string[] = [];
    const walk = (ns: SupplyNode[]) => ns.forEach((n) => (ids.push(n.id), walk(n.children)));
    walk(roots);
    assert.equal(new Set(ids).size, ids.length);
    const again: string[] = [];
    const walk2 = (ns: SupplyNode[]) => ns.forEach((n) => (again.push(n.id), walk2(n.children)));
    walk2(rootNodes(structuredClone(RESULT), false));
    assert.deepEqual(again, ids);
  });

  it('says why the tree is empty, and what the data is', () => {
    assert.equal(rootNodes(undefined, false)[0]!.label, 'Loading the supply chain…');
    assert.equal(rootNodes({ ...RESULT, projects: [] }, true)[0]!.label, 'Nothing with findings');
    assert.equal(rootNodes({ ...RESULT, projects: [] }, false)[0]!.label, 'No manifests, lockfiles or models found');
    assert.equal(viewMessage(RESULT, false), undefined);
    assert.equal(viewMessage({ ...RESULT, complete: false, offline: true }, false), 'From open files and parsed manifests; refresh to check every file. Offline: cached data only.');
    assert.equal(viewMessage({ ...RESULT, cancelled: true, errors: ['x'] }, true), 'Checking every file… Refresh cancelled. 1 problem (see the log).');
  });

  it('escapes markdown and decodes file names', () => {
    assert.equal(md('[a](b) *c*'), '\\[a\\]\\(b\\) \\*c\\*');
    assert.equal(baseName('file:///ws/my%20dir/'), 'my dir');
    assert.equal(baseName('file:///ws/bad%zz'), 'bad%zz');
  });
});
