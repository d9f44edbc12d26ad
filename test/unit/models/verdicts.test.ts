// Import verdicts: what real checkpoints need is allowed exactly; what runs code is denied
// however it is spelled; everything else is unknown.
import assert from 'node:assert/strict';
import { classifyImport, resolvedPath } from '../../../server/src/models/verdicts';

const verdict = (m: string, n: string) => classifyImport(m, n).verdict;

describe('import verdicts', () => {
  it('denies what picklescan, ModelScan and fickling deny', () => {
    const denied: Array<[string, string]> = [
      ['os', 'system'], ['posix', 'system'], ['nt', 'system'], ['subprocess', 'Popen'], ['subprocess', 'check_output'],
      ['sys', 'modules'], ['builtins', 'eval'], ['builtins', 'exec'], ['builtins', 'compile'], ['builtins', 'getattr'],
      ['builtins', 'setattr'], ['builtins', '__import__'], ['builtins', 'open'], ['builtins', 'breakpoint'], ['builtins', 'input'],
      ['runpy', '_run_code'], ['socket', 'create_connection'], ['shutil', 'rmtree'], ['importlib', 'import_module'],
      ['marshal', 'loads'], ['pickle', 'loads'], ['_pickle', 'loads'], ['dill', 'loads'], ['ctypes', 'CDLL'],
      ['webbrowser', 'open'], ['pty', 'spawn'], ['code', 'InteractiveInterpreter'], ['codeop', 'compile_command'],
      ['operator', 'attrgetter'], ['operator', 'methodcaller'], ['operator', 'itemgetter'], ['_operator', 'attrgetter'],
      ['functools', 'partial'], ['torch.hub', 'load'], ['torch', 'load'], ['torch.serialization', 'load'], ['torch.jit', 'load'],
      ['numpy.f2py', 'crackfortran'], ['numpy', 'load'], ['numpy.testing._private.utils', 'runstring'], ['pip', 'main'],
      ['asyncio.subprocess', 'create_subprocess_shell'], ['urllib.request', 'urlopen'], ['requests.api', 'get'],
      ['http.client', 'HTTPSConnection'], ['aiohttp.client', 'ClientSession'], ['tempfile', 'mkstemp'], ['pdb', 'set_trace'],
      ['timeit', 'timeit'], ['pydoc', 'pipepager'], ['torch._inductor.codecache', 'compile_file'], ['joblib', 'load'],
      ['pandas', 'read_pickle'], ['yaml', 'unsafe_load'], ['types', 'FunctionType'], ['multiprocessing', 'Process'],
      ['logging.config', 'listen'], ['cProfile', 'run'], ['ssl', 'get_server_certificate'], ['venv', 'create'],
    ];
    for (const [m, n] of denied) assert.equal(verdict(m, n), 'denied', `${m}.${n}`);
  });

  it('says what a denied import can do', () => {
    assert.equal(classifyImport('os', 'system').reason, 'OS and process access');
    assert.equal(classifyImport('builtins', 'eval').reason, 'code execution');
    assert.equal(classifyImport('socket', 'socket').reason, 'network access');
    assert.equal(classifyImport('torch', 'load').reason, 'nested deserialization');
  });

  it('sees through Python 2 names, case, whitespace and Unicode width', () => {
    for (const [m, n] of [
      ['__builtin__', 'eval'], ['__builtin__', 'apply'], ['__builtin__', 'reduce'], ['__builtin__', 'intern'], ['commands', 'getoutput'],
      ['cPickle', 'loads'], ['copy_reg', 'add_extension'], ['httplib', 'HTTPConnection'], ['os ', 'system'], [' os', 'system'],
      ['os\t', 'system'], ['OS', 'system'], ['Os', 'System'], ['__BUILTIN__', 'EVAL'], ['builtins', 'Eval '], ['ｏｓ', 'system'],
      ['SubProcess', 'Popen'], ['os\n', 'system'], ['o s', 'system'],
    ]) {
      assert.equal(verdict(m!, n!), 'denied', JSON.stringify([m, n]));
    }
  });

  it('inspects every dotted component (protocol 4 resolves dotted names attribute by attribute)', () => {
    for (const [m, n] of [
      ['os.path', 'join'], ['posixpath', 'join'], ['ntpath', 'join'], ['torch.serialization', 'os.system'], ['torch', 'hub.load'],
      ['numpy', 'f2py.crackfortran'], ['collections', 'OrderedDict.__init__.__globals__'], ['builtins', 'str.join'],
      ['sklearn.utils', 'subprocess.run'], ['foo.bar', 'sys.modules'], ['torch', 'serialization.load'], ['pathlib', 'Path.write_text'],
      ['anything', 'eval'], ['mymodule', 'popen'],
    ]) {
      assert.equal(verdict(m!, n!), 'denied', `${m}.${n}`);
    }
  });

  it('denies empty and malformed names', () => {
    assert.equal(verdict('', 'system'), 'denied');
    assert.equal(verdict('os', ''), 'denied');
    assert.equal(verdict('torch..utils', 'x'), 'denied');
    assert.equal(verdict('collections', '.OrderedDict'), 'denied');
  });

  it("allows what real checkpoints need, from the libraries' reduce targets", () => {
    const allowed: Array<[string, string]> = [
      ['collections', 'OrderedDict'], ['collections', 'Counter'], ['collections', 'defaultdict'], ['torch._utils', '_rebuild_tensor_v2'],
      ['torch._utils', '_rebuild_parameter'], ['torch._utils', '_rebuild_qtensor'], ['torch', 'FloatStorage'], ['torch', 'BFloat16Storage'],
      ['torch.cuda', 'HalfStorage'], ['torch', 'float32'], ['torch', 'bfloat16'], ['torch', 'Size'], ['torch', 'device'],
      ['torch.nn.parameter', 'Parameter'], ['torch._tensor', '_rebuild_from_type_v2'], ['torch.storage', 'UntypedStorage'],
      ['torch', 'per_tensor_affine'], ['torch.serialization', '_get_layout'], ['numpy.core.multiarray', '_reconstruct'],
      ['numpy._core.multiarray', '_reconstruct'], ['numpy.core.multiarray', 'scalar'], ['numpy._core.numeric', '_frombuffer'],
      ['numpy', 'dtype'], ['numpy', 'ndarray'], ['numpy', 'float64'], ['numpy.dtypes', 'Float32DType'],
      ['numpy.random._pickle', '__randomstate_ctor'], ['numpy.random._mt19937', 'MT19937'], ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
      ['sklearn.externals.joblib.numpy_pickle', 'NumpyArrayWrapper'], ['sklearn.linear_model._logistic', 'LogisticRegression'],
      ['sklearn.ensemble._forest', 'RandomForestClassifier'], ['sklearn.tree._tree', 'Tree'], ['sklearn.pipeline', 'Pipeline'],
      ['sklearn.metrics._dist_metrics', 'newObj'], ['copyreg', '_reconstructor'], ['copy_reg', '_reconstructor'], ['copyreg', '__newobj__'],
      ['builtins', 'set'], ['__builtin__', 'set'], ['__builtin__', 'long'], ['exceptions', 'ValueError'], ['_codecs', 'encode'],
      ['torch.nn.modules.linear', 'Linear'], ['transformers.training_args', 'TrainingArguments'], ['argparse', 'Namespace'],
      ['uuid', 'UUID'], ['logging', 'getLogger'], ['pathlib', 'PosixPath'], ['datetime', 'datetime'], ['scipy.sparse._csr', 'csr_matrix'],
    ];
    for (const [m, n] of allowed) assert.equal(verdict(m, n), 'allowed', `${m}.${n}`);
  });

  it('allows exactly: near misses are unknown, not allowed', () => {
    for (const [m, n] of [
      ['Collections', 'OrderedDict'], ['collections', 'ordereddict'], ['collections', 'namedtuple'], ['torch._utils', '_rebuild_tensor_v9'],
      ['torch', 'FloatStorage2'], ['__main__', 'Net'], ['xgboost.core', 'Booster'], ['builtins', 'type'], ['builtins', 'map'],
      ['sklearn.datasets', 'Bunch'], ['sklearn.utils', 'check_array'], ['torch.optim.adam', 'Adam'], ['numpy.dtypes', 'float32'],
      ['mytorch._utils', '_rebuild_tensor_v2'], ['torch._utils._rebuild_tensor_v2', 'x'], ['sklearn.ensemble._forest', 'RandomForestClassifier.fit'],
    ]) {
      assert.equal(verdict(m!, n!), 'unknown', `${m}.${n}`);
    }
  });

  it('keeps allow-list exceptions narrow inside denied modules', () => {
    assert.equal(verdict('logging', 'getLogger'), 'allowed');
    assert.equal(verdict('logging', 'FileHandler'), 'denied');
    assert.equal(verdict('uuid', '_get_command_stdout'), 'denied');
    assert.equal(verdict('joblib.numpy_pickle', 'load'), 'denied');
    assert.equal(verdict('copyreg', 'add_extension'), 'denied');
    assert.equal(verdict('types', 'SimpleNamespace'), 'allowed');
    assert.equal(verdict('types', 'CodeType'), 'denied');
  });

  it('resolves Python 2 names the way the unpickler does', () => {
    assert.equal(resolvedPath('__builtin__', 'xrange'), 'builtins.range');
    assert.equal(resolvedPath('copy_reg', '_reconstructor'), 'copyreg._reconstructor');
    assert.equal(resolvedPath('torch', 'FloatStorage'), 'torch.FloatStorage');
  });
});
