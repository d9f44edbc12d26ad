import assert from 'node:assert/strict';
import { collectBindings, canonicalName, resolveDotted } from '../../../server/src/python/resolve';
import { parsePython } from '../../../server/src/python/parser';
import { pyUnit } from '../../../server/src/python/unit';

async function bindings(text: string) {
  const p = await parsePython(text);
  try {
    return collectBindings([pyUnit(p.tree, text)]);
  } finally {
    p.tree.delete();
  }
}

describe('import resolution', () => {
  it('binds plain, aliased, dotted and from-imports', async () => {
    const b = await bindings(
      [
        'import torch',
        'import numpy as np',
        'import torch.serialization',
        'import os.path as osp, yaml',
        'from torch import load as tl, save',
        'from transformers import AutoModel',
        'from . import sibling',
        'from .pkg.mod import thing',
        'from pickle import *',
        '',
      ].join('\n'),
    );
    assert.equal(b.names.get('torch'), 'torch');
    assert.equal(b.names.get('np'), 'numpy');
    assert.equal(b.names.get('osp'), 'os.path');
    assert.equal(b.names.get('yaml'), 'yaml');
    assert.equal(b.names.get('tl'), 'torch.load');
    assert.equal(b.names.get('save'), 'torch.save');
    assert.equal(b.names.get('AutoModel'), 'transformers.AutoModel');
    assert.equal(b.names.get('sibling'), '.sibling');
    assert.equal(b.names.get('thing'), '.pkg.mod.thing');
    assert.deepEqual(b.starModules, ['pickle']);
    assert.equal(resolveDotted(['tl'], b), 'torch.load');
    assert.equal(resolveDotted(['torch', 'serialization', 'load'], b), 'torch.load');
    assert.equal(resolveDotted(['np', 'load'], b), 'numpy.load');
    assert.equal(resolveDotted(['self', 'load'], b), undefined);
    assert.equal(resolveDotted(['loads'], b, new Set(['pickle.loads'])), 'pickle.loads');
    assert.equal(resolveDotted(['dumps'], b, new Set(['pickle.loads'])), undefined);
  });

  it('imports inside functions are visible module-wide', async () => {
    const b = await bindings('def f():\n    import torch as T\n    return T\n');
    assert.equal(b.names.get('T'), 'torch');
  });

  it('module-level def, class and assignment shadow an import; a dotted alias re-binds it', async () => {
    const b = await bindings(
      [
        'from torch import load',
        'import pickle',
        'from yaml import safe_load',
        'def load(p):',
        '    pass',
        'class pickle:',
        '    pass',
        'safe_load = 3',
        'import json',
        'json_load = json.load  # alias',
        'def inner():',
        '    json = None',
        '',
      ].join('\n'),
    );
    assert.equal(b.names.has('load'), false);
    assert.equal(b.names.has('pickle'), false);
    assert.equal(b.names.has('safe_load'), false);
    assert.equal(b.names.get('json_load'), 'json.load');
    // A function-local assignment does not shadow (documented simplification).
    assert.equal(b.names.get('json'), 'json');
  });

  it('a def inside a docstring does not shadow', async () => {
    const b = await bindings('from torch import load\n"""\ndef load():\n"""\n');
    assert.equal(b.names.get('load'), 'torch.load');
  });

  it('canonical names merge spellings of the same API', () => {
    assert.equal(canonicalName('cPickle.loads'), 'pickle.loads');
    assert.equal(canonicalName('tensorflow.keras.models.load_model'), 'keras.models.load_model');
    assert.equal(canonicalName('sklearn.externals.joblib.load'), 'joblib.load');
    assert.equal(canonicalName('torch.serialization.load'), 'torch.load');
    assert.equal(canonicalName('torchvision.load'), 'torchvision.load');
  });
});
