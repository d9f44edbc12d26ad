import assert from 'node:assert/strict';
import { analyzeNotebookCells } from '../../../server/src/engine/pythonAnalysis';
import { summary } from '../rules/code/harness';

describe('function scopes and constants', () => {
  it('a parameter, a local assignment, a loop or with target hides an import inside that function only', async () => {
    const src = [
      'import torch, pickle, yaml',
      'from ruamel.yaml import YAML',
      'def by_param(torch, p):',
      '    return torch.load(p)',
      'def by_local(p):',
      '    pickle = Store()',
      '    return pickle.load(p)',
      'def by_loop(items):',
      '    for yaml in items:',
      '        yaml.load(doc)',
      'def by_with(p):',
      '    with open(p) as pickle:',
      '        pickle.load(p)',
      'def ruamel(doc):',
      '    yaml = YAML(typ="rt")',
      '    return yaml.load(doc)',
      'def untouched(p):',
      '    return torch.load(p)',
      'def imports_it_again(p):',
      '    import pickle',
      '    pickle = pickle',
      '    return pickle.loads(p)',
      'def outer(p):',
      '    def inner():',
      '        return torch.load(p)',
      '    return inner',
      'f = lambda torch: torch.load(x)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unsafe-torch-load warning "torch.load"',
      'pickle-deserialization warning "pickle.loads"',
      'unsafe-torch-load warning "torch.load"',
    ]);
  });

  it('the same call text is judged per function (the fact cache keys on the locals)', async () => {
    const a = 'import torch\ndef f(torch, p):\n    return torch.load(p)\ndef g(p):\n    return torch.load(p)\n';
    const b = 'import torch\ndef f(q, p):\n    return torch.load(p)\ndef g(torch, p):\n    return torch.load(p)\n';
    assert.equal((await summary(a)).length, 1);
    assert.equal((await summary(b)).length, 1);
    assert.equal((await summary(a)).length, 1);
  });

  it('a module constant stands for its literal; reassigned, imported or hidden names do not', async () => {
    const src = [
      'import torch',
      'from transformers import AutoModel',
      'MODEL = "org/name"',
      'WO = False',
      'TRUST = True',
      'TWICE = "org/a"',
      'TWICE = "org/b"',
      'm = AutoModel.from_pretrained(MODEL, trust_remote_code=TRUST)',
      'm = AutoModel.from_pretrained(TWICE)',
      's = torch.load(p, weights_only=WO)',
      'def f(MODEL, WO):',
      '    torch.load(p, weights_only=WO)',
      '    return AutoModel.from_pretrained(MODEL)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'trust-remote-code warning "trust_remote_code=TRUST"',
      'unpinned-model-revision info "MODEL"',
      'unpinned-model-revision hint "AutoModel.from_pretrained"',
      'unsafe-torch-load error "weights_only=WO"',
      'unsafe-torch-load hint "weights_only=WO"',
      'unpinned-model-revision hint "AutoModel.from_pretrained"',
    ]);
  });

  it('a local assigned once to a literal stands for it; assigned twice it is computed', async () => {
    const src = [
      'import torch',
      'def once(p):',
      '    wo = False',
      '    return torch.load(p, weights_only=wo)',
      'def twice(p, c):',
      '    wo = True',
      '    if c:',
      '        wo = False',
      '    return torch.load(p, weights_only=wo)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['unsafe-torch-load error "weights_only=wo"', 'unsafe-torch-load hint "weights_only=wo"']);
  });

  it('a constant defined in one notebook cell is seen in a later one, ranged at its use', async () => {
    const r = await analyzeNotebookCells([{ source: 'from transformers import AutoModel\nMODEL_ID = "org/name"\n' }, { source: 'm = AutoModel.from_pretrained(MODEL_ID)\n' }]);
    assert.deepEqual(
      r.findings.map((f) => [f.cell, f.rule, f.severity, f.range]),
      [[1, 'unpinned-model-revision', 'info', { start: 30, end: 38 }]],
    );
    assert.deepEqual(r.modelRefs.map((m) => [m.cell, m.id, m.range]), [[1, 'org/name', { start: 30, end: 38 }]]);
  });
});

describe('loaders handed to callers', () => {
  it('flags map/pool/executor/partial/loader= references, not other mentions', async () => {
    const src = [
      'import functools, inspect, pickle, torch',
      'from torchvision.datasets import DatasetFolder',
      'a = list(map(pickle.load, fs))',
      'b = pool.imap_unordered(pickle.loads, blobs)',
      'c = ex.submit(torch.load, p)',
      'd = functools.partial(torch.load, map_location="cpu")',
      'e = functools.partial(torch.load, weights_only=True)',
      'g = DatasetFolder(root, loader=torch.load)',
      'h = inspect.signature(torch.load)',
      'print(pickle.load)',
      'k = torch.load.__kwdefaults__',
      'alias = pickle.load',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'pickle-deserialization warning "pickle.load"',
      'pickle-deserialization warning "pickle.loads"',
      'unsafe-torch-load warning "torch.load"',
      'unsafe-torch-load warning "torch.load"',
      'unsafe-torch-load warning "torch.load"',
    ]);
  });
});
