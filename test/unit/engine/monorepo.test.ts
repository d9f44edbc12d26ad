// The code join in trees with several projects: every call is weighed against the versions of its
// own project and no other (issue: a pin in one example escalated notebooks elsewhere; two
// projects' pins cancelled; a root requirements.txt overrode a sub-project).
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from './helpers';

const LOAD = 'import torch\nstate = torch.load("w.pt", weights_only=True)\n';

function doc(path: string, text: string): EngineDocument {
  const kind = path.endsWith('.py')
    ? 'python'
    : path.endsWith('.ipynb')
      ? 'notebook'
      : path.endsWith('uv.lock')
        ? 'uv.lock'
        : path.endsWith('pyproject.toml')
          ? 'pyproject'
          : path.endsWith('poetry.lock')
            ? 'poetry.lock'
            : 'requirements';
  return { uri: path, path, text, kind };
}

const uvLock = (pkgs: [string, string, string[]?][]) =>
  'version = 1\nrequires-python = ">=3.10"\n\n' +
  pkgs
    .map(([n, v, deps]) => `[[package]]\nname = "${n}"\nversion = "${v}"\nsource = { registry = "https://pypi.org/simple" }\n${deps?.length ? `dependencies = [\n${deps.map((d) => `    { name = "${d}" },`).join('\n')}\n]\n` : ''}`)
    .join('\n');

const notebook = (...cells: string[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((c) => ({ cell_type: 'code', metadata: {}, source: c, outputs: [], execution_count: null })) });

const jinja = record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }]);

async function analyze(reported: EngineDocument[], context: EngineDocument[], roots = ['/ws']) {
  const e = new Engine({ advisories: new MemoryAdvisories([jinja]), registries: { PyPI: new MemoryRegistry({ jinja2: ['2.10', '3.1.4'], torch: ['2.1.2', '2.6.0'], transformers: ['4.30.0'] }) } }, resolveSettings({}));
  return e.analyze(reported, { context, roots, readFile: async () => undefined });
}

const torchLoad = (findings: { rule: string; severity: string; related?: { uri: string; message: string; range: { start: { line: number } } }[] }[]) => findings.find((f) => f.rule === 'unsafe-torch-load');

describe('environments in the engine (monorepos)', () => {
  it('a pin in one example never escalates notebooks and files elsewhere in the tree', async () => {
    const ctx = [doc('/ws/ex1/scripts/requirements.txt', 'torch==2.1.2\n')];
    const res = await analyze([doc('/ws/ex1/scripts/run.py', LOAD), doc('/ws/ex2/train.py', LOAD), doc('/ws/ex2/explore.ipynb', notebook('import torch', 'm = torch.load("a.pt", weights_only=True)'))], ctx);
    const [run, train, nb] = res.documents;
    assert.equal(torchLoad(run.findings)?.severity, 'error', 'its own project pins a vulnerable torch');
    assert.equal(torchLoad(run.findings)?.related?.[0].uri, '/ws/ex1/scripts/requirements.txt');
    assert.ok(!torchLoad(train.findings), 'weights_only=True without a known torch: no finding');
    assert.ok(!torchLoad(nb.findings), 'the notebook is in no project that pins torch');
    assert.equal(train.environment, undefined);
  });

  it('three projects: each call joins with its own pins; the root never overrides a sub-project, pins never cancel', async () => {
    const ctx = [
      doc('/ws/requirements.txt', 'torch==2.1.2\n'),
      doc('/ws/svc/requirements.txt', 'torch==2.6.0\n'),
      doc('/ws/lab/pyproject.toml', '[project]\nname = "lab"\ndependencies = ["torch>=2"]\n'),
      doc('/ws/lab/uv.lock', uvLock([['torch', '2.5.1']])),
    ];
    const res = await analyze([doc('/ws/svc/app/main.py', LOAD), doc('/ws/lab/src/lab/model.py', LOAD), doc('/ws/tool.py', LOAD)], ctx);
    const [svc, lab, tool] = res.documents;
    assert.ok(!torchLoad(svc.findings), 'svc pins a fixed torch; the root pin does not apply');
    assert.equal(svc.environment?.root, '/ws/svc');
    const l = torchLoad(lab.findings)!;
    assert.equal(l.severity, 'error');
    assert.equal(l.related?.[0].uri, '/ws/lab/uv.lock', 'the lockfile line decides');
    assert.match(l.related![0].message, /torch 2\.5\.1/);
    assert.equal(torchLoad(tool.findings)?.related?.[0].uri, '/ws/requirements.txt');
  });

  it('two projects pinning different torch versions: the vulnerable one is escalated, the other not', async () => {
    const ctx = [doc('/ws/a/requirements.txt', 'torch==2.1.2\n'), doc('/ws/b/requirements.txt', 'torch==2.6.0\n')];
    const res = await analyze([doc('/ws/a/x.py', LOAD), doc('/ws/b/x.py', LOAD)], ctx);
    assert.equal(torchLoad(res.documents[0].findings)?.severity, 'error');
    assert.ok(!torchLoad(res.documents[1].findings));
  });

  it('a uv workspace member joins with the root lockfile; a non-member does not', async () => {
    const ctx = [
      doc('/ws/pyproject.toml', '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'),
      doc('/ws/uv.lock', uvLock([['torch', '2.4.0'], ['transformers', '4.30.0', ['jinja2']], ['jinja2', '2.10']])),
      doc('/ws/packages/core/pyproject.toml', '[project]\nname = "core"\ndependencies = ["torch", "transformers"]\n'),
      doc('/ws/tools/x/pyproject.toml', '[project]\nname = "x"\ndependencies = ["torch"]\n'),
    ];
    const res = await analyze([doc('/ws/packages/core/src/core/m.py', LOAD), doc('/ws/tools/x/y.py', LOAD), ctx[2]], ctx);
    const [member, outsider, manifest] = res.documents;
    assert.equal(torchLoad(member.findings)?.related?.[0].uri, '/ws/uv.lock');
    assert.ok(!torchLoad(outsider.findings));
    // Transitive blame through the shared lock lands on the member's own direct dependency.
    const t = manifest.findings.find((f) => f.rule === 'vulnerable-dependency' && /pulls in jinja2/.test(f.message));
    assert.ok(t, 'transformers pulls in jinja2 2.10 in the workspace lock');
    assert.match(t!.message, /transformers → jinja2/);
  });

  it('a manifest range resolves to its own project’s lockfile, not another project’s', async () => {
    const ctx = [
      doc('/ws/a/pyproject.toml', '[project]\nname = "a"\ndependencies = ["jinja2>=2"]\n'),
      doc('/ws/a/uv.lock', uvLock([['jinja2', '3.1.4']])),
      doc('/ws/b/pyproject.toml', '[project]\nname = "b"\ndependencies = ["jinja2>=2"]\n'),
      doc('/ws/b/uv.lock', uvLock([['jinja2', '2.10']])),
    ];
    const res = await analyze([ctx[0], ctx[2]], ctx);
    assert.ok(!res.documents[0].findings.some((f) => f.rule === 'vulnerable-dependency'), 'a locks a fixed jinja2');
    const b = res.documents[1].findings.find((f) => f.rule === 'vulnerable-dependency');
    assert.equal(b?.related?.[0].uri, '/ws/b/uv.lock');
  });

  it('a notebook’s own %pip install line wins over its project, both ways', async () => {
    const vulnerableEnv = [doc('/ws/requirements.txt', 'torch==2.1.2\n')];
    const fixedEnv = [doc('/ws/requirements.txt', 'torch==2.6.0\n')];
    const pinsFixed = notebook('%pip install torch==2.6.0', 'import torch\nm = torch.load("a.pt", weights_only=True)');
    const pinsOld = notebook('%pip install torch==2.1.0', 'import torch\nm = torch.load("a.pt", weights_only=True)');
    const a = await analyze([doc('/ws/nb.ipynb', pinsFixed)], vulnerableEnv);
    assert.ok(!torchLoad(a.documents[0].findings), 'the notebook installs a fixed torch itself');
    const b = await analyze([doc('/ws/nb.ipynb', pinsOld)], fixedEnv);
    const f = torchLoad(b.documents[0].findings)!;
    assert.equal(f.severity, 'error');
    assert.equal(f.related?.[0].uri, '/ws/nb.ipynb');
    assert.match(f.related![0].message, /torch 2\.1\.0/);
    assert.equal(f.related![0].range.start.line, 0, 'the install line in the first cell');
  });

  it('links the install cell itself when the editor syncs the notebook cell by cell', async () => {
    const nb: EngineDocument = {
      uri: 'file:///ws/nb.ipynb',
      path: '/ws/nb.ipynb',
      kind: 'notebook',
      text: '',
      version: 3,
      cells: [
        { text: '%pip install torch==2.1.0\n', uri: 'vscode-notebook-cell:/ws/nb.ipynb#c0', kind: 'code' },
        { text: 'import torch\nm = torch.load("a.pt", weights_only=True)\n', uri: 'vscode-notebook-cell:/ws/nb.ipynb#c1', kind: 'code' },
      ],
    };
    const res = await analyze([nb], [doc('/ws/requirements.txt', 'torch==2.6.0\n')]);
    const f = torchLoad(res.documents[0].findings)!;
    assert.equal(f.related?.[0].uri, 'vscode-notebook-cell:/ws/nb.ipynb#c0');
  });

  it('a requirements/ folder and -r includes from another folder belong to the including project', async () => {
    const files: Record<string, string> = { '/ws/common/base.txt': 'torch==2.1.2\n' };
    const e = new Engine({ advisories: new MemoryAdvisories([]), registries: {} }, resolveSettings({}));
    const ctx = [doc('/ws/p/requirements/prod.txt', '-r ../../common/base.txt\nnumpy==1.26.4\n'), doc('/ws/q/requirements.txt', 'torch==2.6.0\n')];
    const res = await e.analyze([doc('/ws/p/train.py', LOAD)], { context: ctx, roots: ['/ws'], readFile: async (p) => files[p] });
    const f = torchLoad(res.documents[0].findings)!;
    assert.equal(f.severity, 'error');
    assert.equal(f.related?.[0].uri, '/ws/common/base.txt');
  });
});
