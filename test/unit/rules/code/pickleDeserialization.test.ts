import assert from 'node:assert/strict';
import { findings, summary } from './harness';

describe('pickle-deserialization', () => {
  it('flags loads from pickle and relatives, through aliases and from-imports', async () => {
    const src = [
      'import pickle, dill, joblib, shelve, marshal',
      'import cPickle as cp',
      'import pandas as pd',
      'import cloudpickle',
      'from pickle import loads',
      'from _pickle import Unpickler as U',
      'import jsonpickle',
      'import torch.distributed as dist',
      'def restore(b):',
      '    from dill import load',
      '    return load(b)',
      'pickle.load(f)',
      'loads(b)',
      'cp.loads(b)',
      'U(f).load()',
      'joblib.load("m.joblib")',
      'pd.read_pickle("df.pkl")',
      'shelve.open("db")',
      'marshal.loads(code)',
      'cloudpickle.loads(b)',
      'jsonpickle.decode(s)',
      'dist.broadcast_object_list(objs, src=0)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'pickle-deserialization warning "load"',
      'pickle-deserialization warning "pickle.load"',
      'pickle-deserialization warning "loads"',
      'pickle-deserialization warning "cp.loads"',
      'pickle-deserialization warning "U"',
      'pickle-deserialization warning "joblib.load"',
      'pickle-deserialization warning "pd.read_pickle"',
      'pickle-deserialization warning "shelve.open"',
      'pickle-deserialization warning "marshal.loads"',
      'pickle-deserialization warning "cloudpickle.loads"',
      'pickle-deserialization warning "jsonpickle.decode"',
      'pickle-deserialization warning "dist.broadcast_object_list"',
    ]);
  });

  it('does not flag dumps, saves, look-alike strings and comments, or unrelated load methods', async () => {
    const src = [
      'import pickle, joblib, json',
      'import pandas as pd',
      'pickle.dump(obj, f)',
      'pickle.dumps(obj)',
      'joblib.dump(m, "m.joblib")',
      'pd.to_pickle(df, "x")',
      'df.to_pickle("x")',
      'json.loads(s)',
      'x = "pickle.loads(b)"',
      '# pickle.loads(b)',
      'self.loads(b)',
      'open("f")',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('from pickle import * still resolves loads', async () => {
    assert.deepEqual(await summary('from pickle import *\nloads(b)\n'), ['pickle-deserialization warning "loads"']);
  });

  it('offers only the suppression fix', async () => {
    const [f] = await findings('import pickle\npickle.loads(b)\n');
    assert.deepEqual(f?.fixes?.map((x) => x.title), ['Ignore pickle-deserialization on this line']);
  });
});

describe('pickle-deserialization: corpus-driven cases', () => {
  it('flags jsonpickle Unpickler and a data-less call; skips data written in the source', async () => {
    const src = [
      'import jsonpickle, pickle, marshal',
      'jsonpickle.unpickler.Unpickler().restore(s)',
      'pickle.loads()',
      'pickle.loads(b"\\x80\\x04K\\x01.")',
      "jsonpickle.decode('{\"a\": 1}')",
      'marshal.loads(b"")',
      'pickle.load("not-data-but-a-handle")',
      'pickle.loads(f"{x}")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'pickle-deserialization warning "jsonpickle.unpickler.Unpickler"',
      'pickle-deserialization warning "pickle.loads"',
      'pickle-deserialization warning "pickle.load"',
      'pickle-deserialization warning "pickle.loads"',
    ]);
  });
});
