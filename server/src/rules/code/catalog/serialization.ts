// Serializers that run code while loading: pickle and its relatives, the libraries that store
// models as pickles (joblib, pandas, statsmodels, gensim, fastai, spaCy's srsly), skops in its
// trusting mode, and numpy object arrays.
import type { CatalogEntry } from './types';

const PY = 'https://docs.python.org/3/library';

/** Pickle loaders: `data` ones take the bytes themselves (trusted when written in the source). */
function pickles(apis: readonly string[], risk: (api: string) => string, doc: string, opts: { data?: readonly string[]; file?: string } = {}): CatalogEntry[] {
  return apis.map((api) => ({
    api,
    rule: 'pickle-deserialization',
    risk: risk(api),
    doc,
    ...(opts.data?.includes(api) ? { dataArg: 0 } : { source: { keyword: opts.file ?? 'file', index: 0 } }),
  }));
}

export const SERIALIZATION: readonly CatalogEntry[] = [
  ...pickles(['pickle.load', 'pickle.loads', 'pickle.Unpickler', 'pickle._load', 'pickle._loads', 'pickle._Unpickler'], (a) => `${a} deserializes with pickle`, `${PY}/pickle.html`, { data: ['pickle.loads', 'pickle._loads'] }),
  ...pickles(['dill.load', 'dill.loads', 'dill.Unpickler', 'dill.load_session', 'dill.load_module'], (a) => `${a} deserializes with pickle (dill)`, 'https://dill.readthedocs.io/en/latest/dill.html', { data: ['dill.loads'] }),
  ...pickles(['cloudpickle.load', 'cloudpickle.loads', 'cloudpickle.Unpickler'], (a) => `${a} deserializes with pickle`, 'https://github.com/cloudpipe/cloudpickle#security', { data: ['cloudpickle.loads'] }),
  ...pickles(['joblib.load'], () => 'joblib.load deserializes with pickle', 'https://joblib.readthedocs.io/en/stable/generated/joblib.load.html', { file: 'filename' }),
  ...pickles(['shelve.open', 'shelve.DbfilenameShelf'], (a) => `${a} unpickles the values stored in the shelf`, `${PY}/shelve.html`, { file: 'filename' }),
  ...pickles(['jsonpickle.decode', 'jsonpickle.unpickler.decode', 'jsonpickle.Unpickler', 'jsonpickle.unpickler.Unpickler'], (a) => `${a} rebuilds arbitrary Python objects`, 'https://jsonpickle.github.io/#jsonpickle-usage', { data: ['jsonpickle.decode', 'jsonpickle.unpickler.decode'] }),
  ...pickles(['marshal.load', 'marshal.loads'], (a) => `${a} reads code objects that can be executed`, `${PY}/marshal.html`, { data: ['marshal.loads'] }),
  ...pickles(['pandas.read_pickle'], () => 'pandas.read_pickle deserializes with pickle', 'https://pandas.pydata.org/docs/reference/api/pandas.read_pickle.html', { file: 'filepath_or_buffer' }),
  ...pickles(
    ['pandas.read_hdf', 'pandas.HDFStore().get', 'pandas.HDFStore().select'],
    (a) => `${a.replace('()', '')} unpickles object columns stored in the "fixed" HDF5 format`,
    'https://pandas.pydata.org/docs/reference/api/pandas.read_hdf.html',
    { file: 'path_or_buf' },
  ),
  ...pickles(
    ['statsmodels.iolib.smpickle.load_pickle', 'statsmodels.api.load_pickle', 'statsmodels.iolib.api.load_pickle', 'statsmodels.*.load'],
    (a) => `${a.replace('*.', '')} deserializes the model or results with pickle`,
    'https://www.statsmodels.org/stable/generated/statsmodels.iolib.smpickle.load_pickle.html',
    { file: 'fname' },
  ),
  ...pickles(['gensim.*.load', 'gensim.utils.unpickle'], () => 'gensim load unpickles the saved model', 'https://radimrehurek.com/gensim/utils.html#gensim.utils.SaveLoad.load', { file: 'fname' }),
  {
    api: 'gensim.downloader.load',
    rule: 'pickle-deserialization',
    risk: 'gensim.downloader.load downloads a model, imports the loader module that comes with it and unpickles the data',
    doc: 'https://radimrehurek.com/gensim/downloader.html',
  },
  ...pickles(['fastai.*load_learner'], () => 'fastai load_learner unpickles the learner', 'https://docs.fast.ai/learner.html#load_learner', { file: 'fname' }),
  ...pickles(['srsly.pickle_loads', 'srsly.read_pickle'], (a) => `${a} deserializes with pickle`, 'https://github.com/explosion/srsly#pickle', { data: ['srsly.pickle_loads'], file: 'path' }),
  ...['skops.io.load', 'skops.io.loads'].map(
    (api): CatalogEntry => ({
      api,
      rule: 'pickle-deserialization',
      risk: `${api} with trusted=True (or all of get_untrusted_types) builds any type the file names`,
      doc: 'https://skops.readthedocs.io/en/stable/persistence.html',
      onlyIf: { keyword: 'trusted', index: 1, orCallTo: 'skops.io.get_untrusted_types' },
      ...(api === 'skops.io.load' ? { source: { keyword: 'file', index: 0 } } : {}),
    }),
  ),
  {
    api: 'numpy.load',
    rule: 'numpy-allow-pickle',
    risk: 'numpy.load with allow_pickle=True unpickles object arrays',
    doc: 'https://numpy.org/doc/stable/reference/generated/numpy.load.html',
    allowPickle: { keyword: 'allow_pickle', index: 2 },
    defaultedToPickle: true,
    source: { keyword: 'file', index: 0 },
  },
  {
    api: 'numpy.lib.npyio.load',
    rule: 'numpy-allow-pickle',
    risk: 'numpy.load with allow_pickle=True unpickles object arrays',
    doc: 'https://numpy.org/doc/stable/reference/generated/numpy.load.html',
    allowPickle: { keyword: 'allow_pickle', index: 2 },
    source: { keyword: 'file', index: 0 },
  },
  {
    api: 'numpy.lib.format.read_array',
    rule: 'numpy-allow-pickle',
    risk: 'read_array with allow_pickle=True unpickles object arrays',
    doc: 'https://numpy.org/doc/stable/reference/generated/numpy.lib.format.read_array.html',
    allowPickle: { keyword: 'allow_pickle', index: 1 },
  },
];
