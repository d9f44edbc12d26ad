// The data behind import verdicts: globals that real PyTorch, NumPy, scikit-learn, joblib and
// Hugging Face checkpoints need (taken from the libraries' own reduce targets: torch's
// weights-only unpickler allow list, numpy's __reduce__ results, joblib's array wrappers), and
// globals that run code, touch the OS, the network or the file system, or load another pickle
// (the union of picklescan's, ModelScan's and fickling's deny lists, plus our own additions).

/** Exact `module.name` paths that are safe to import and call with any arguments. */
export const ALLOWED_EXACT: readonly string[] = [
  // Python's own reduce targets for plain objects and containers.
  'collections.OrderedDict', 'collections.defaultdict', 'collections.deque', 'collections.Counter',
  'copyreg._reconstructor', 'copyreg.__newobj__', 'copyreg.__newobj_ex__',
  '_codecs.encode', 'codecs.encode',
  'datetime.datetime', 'datetime.date', 'datetime.time', 'datetime.timedelta', 'datetime.timezone',
  'decimal.Decimal', 'fractions.Fraction', 'uuid.UUID', 're._compile', 'argparse.Namespace',
  'types.SimpleNamespace', 'logging.getLogger', '_io.BytesIO', 'io.BytesIO',
  'pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.PurePath', 'pathlib.PurePosixPath', 'pathlib.PureWindowsPath',
  // torch: torch/_weights_only_unpickler.py `_get_allowed_globals()` and `_tensor_rebuild_functions()`.
  'torch.nn.parameter.Parameter', 'torch.serialization._get_layout', 'torch.Size', 'torch.Tensor', 'torch.device',
  'torch._tensor._rebuild_from_type_v2', 'torch.storage.UntypedStorage', 'torch.storage.TypedStorage',
  'torch.UntypedStorage', 'torch.TypedStorage',
  'torch.per_tensor_affine', 'torch.per_tensor_symmetric', 'torch.per_channel_affine', 'torch.per_channel_symmetric',
  'torch.per_channel_affine_float_qparams',
  'torch.contiguous_format', 'torch.channels_last', 'torch.channels_last_3d', 'torch.preserve_format',
  'torch.strided', 'torch.sparse_coo', 'torch.sparse_csr', 'torch.sparse_csc', 'torch.sparse_bsr', 'torch.sparse_bsc',
  ...[
    '_rebuild_parameter', '_rebuild_parameter_with_state', '_rebuild_qtensor', '_rebuild_tensor', '_rebuild_tensor_v2',
    '_rebuild_tensor_v3', '_rebuild_sparse_tensor', '_rebuild_meta_tensor_no_storage', '_rebuild_wrapper_subclass',
    '_rebuild_device_tensor_from_numpy', '_rebuild_device_tensor_from_cpu_tensor', '_rebuild_nested_tensor',
    '_rebuild_xla_tensor', '_rebuild_mtia_tensor',
  ].map((f) => `torch._utils.${f}`),
  // numpy: what ndarray/scalar/dtype/random-state __reduce__ return (numpy 1.x `core` and 2.x `_core`).
  ...['core', '_core'].flatMap((c) => [`numpy.${c}.multiarray._reconstruct`, `numpy.${c}.multiarray.scalar`, `numpy.${c}.numeric._frombuffer`]),
  'numpy.dtype', 'numpy.ndarray', 'numpy.matrix', 'numpy.record', 'numpy.recarray', 'numpy.rec.recarray', 'numpy.core.records.recarray',
  'numpy.ma.MaskedArray', 'numpy.ma.core.MaskedArray', 'numpy.ma.core._mareconstruct',
  'numpy.random._pickle.__randomstate_ctor', 'numpy.random._pickle.__bit_generator_ctor', 'numpy.random._pickle.__generator_ctor',
  'numpy.random.__RandomState_ctor', 'numpy.random.mtrand.RandomState', 'numpy.random._generator.Generator',
  'numpy.random._mt19937.MT19937', 'numpy.random._pcg64.PCG64', 'numpy.random._pcg64.PCG64DXSM', 'numpy.random._philox.Philox',
  'numpy.random._sfc64.SFC64', 'numpy.random.bit_generator.SeedSequence', 'numpy.random.bit_generator.__pyx_unpickle_SeedSequence',
  // joblib's array placeholders (joblib/numpy_pickle.py, numpy_pickle_compat.py), also as vendored by old scikit-learn.
  ...['joblib', 'sklearn.externals.joblib'].flatMap((j) => [
    `${j}.numpy_pickle.NumpyArrayWrapper`, `${j}.numpy_pickle.NDArrayWrapper`, `${j}.numpy_pickle.ZNDArrayWrapper`,
    `${j}.numpy_pickle_compat.NDArrayWrapper`, `${j}.numpy_pickle_compat.ZNDArrayWrapper`,
  ]),
  // scikit-learn callables stored as hyperparameters (score functions, tree reconstructors).
  'sklearn.metrics._dist_metrics.newObj', 'sklearn.neighbors._binary_tree.newObj', 'sklearn.neighbors._kd_tree.newObj',
  'sklearn.neighbors._ball_tree.newObj', 'sklearn.metrics._scorer._passthrough_scorer',
  ...['f_classif', 'f_regression', 'chi2', 'r_regression', 'f_oneway'].map((f) => `sklearn.feature_selection._univariate_selection.${f}`),
  'sklearn.feature_selection._mutual_info.mutual_info_classif', 'sklearn.feature_selection._mutual_info.mutual_info_regression',
  // scipy sparse matrices inside fitted estimators.
  ...['csr', 'csc', 'coo', 'lil', 'dok', 'dia', 'bsr'].flatMap((k) => [
    `scipy.sparse._${k}.${k}_matrix`, `scipy.sparse.${k}.${k}_matrix`, `scipy.sparse._${k}.${k}_array`, `scipy.sparse.${k}_matrix`,
  ]),
  // Hugging Face training_args.bin (torch.save of TrainingArguments): dataclasses and enums (as fickling allows).
  'transformers.training_args.TrainingArguments', 'transformers.training_args.OptimizerNames',
  'transformers.training_args_seq2seq.Seq2SeqTrainingArguments', 'transformers.trainer_pt_utils.AcceleratorConfig',
  ...['IntervalStrategy', 'SchedulerType', 'HubStrategy', 'EvaluationStrategy', 'FSDPOption', 'SaveStrategy', 'ShardedDDPOption'].map(
    (e) => `transformers.trainer_utils.${e}`,
  ),
  'transformers.integrations.deepspeed.HfTrainerDeepSpeedConfig', 'transformers.integrations.deepspeed.HfDeepSpeedConfig',
  'accelerate.state.PartialState', 'accelerate.utils.dataclasses.DistributedType', 'accelerate.utils.dataclasses.DeepSpeedPlugin',
  'accelerate.utils.deepspeed.HfDeepSpeedConfig',
];

/** torch dtypes are pickled as `torch.<name>` globals. */
export const TORCH_DTYPES: readonly string[] = [
  'float32', 'float', 'float64', 'double', 'float16', 'half', 'bfloat16', 'complex32', 'chalf', 'complex64', 'cfloat',
  'complex128', 'cdouble', 'uint8', 'int8', 'int16', 'short', 'int32', 'int', 'int64', 'long', 'bool', 'qint8', 'quint8',
  'qint32', 'quint4x2', 'quint2x4', 'float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz', 'float8_e5m2fnuz', 'float8_e8m0fnu',
  'float4_e2m1fn_x2', 'bits1x8', 'bits2x4', 'bits4x2', 'bits8', 'bits16', 'uint16', 'uint32', 'uint64',
  ...[1, 2, 3, 4, 5, 6, 7].flatMap((n) => [`uint${n}`, `int${n}`]),
];

/** Element types of torch's legacy storage and tensor classes (`torch.FloatStorage`, `torch.cuda.LongTensor`). */
export const TORCH_ELEMENT_TYPES: readonly string[] = [
  'Byte', 'Char', 'Short', 'Int', 'Long', 'Half', 'Float', 'Double', 'ComplexFloat', 'ComplexDouble', 'Bool', 'BFloat16',
  'QUInt8', 'QInt8', 'QInt32', 'QUInt4x2', 'QUInt2x4',
];

/** numpy scalar types pickled by class (`numpy.float64`). */
export const NUMPY_SCALAR_TYPES: readonly string[] = [
  'bool_', 'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'intc', 'intp', 'uintp', 'int_',
  'uint', 'longlong', 'ulonglong', 'short', 'ushort', 'byte', 'ubyte', 'float16', 'float32', 'float64', 'float128', 'half',
  'single', 'double', 'longdouble', 'float_', 'complex64', 'complex128', 'complex256', 'csingle', 'cdouble', 'clongdouble',
  'complex_', 'str_', 'bytes_', 'unicode_', 'string_', 'void', 'datetime64', 'timedelta64', 'object_', 'generic', 'number',
];

/** builtins that only build data (fickling's SAFE_BUILTINS minus the call trampolines map/filter). */
export const SAFE_BUILTINS: readonly string[] = [
  'bool', 'int', 'float', 'complex', 'str', 'bytes', 'bytearray', 'list', 'tuple', 'set', 'frozenset', 'dict', 'slice', 'range',
  'object', 'Ellipsis', 'NotImplemented', 'len', 'abs', 'sum', 'min', 'max', 'round', 'pow', 'divmod', 'sorted', 'reversed',
  'enumerate', 'zip', 'iter', 'next', 'all', 'any', 'hash', 'id', 'repr', 'ascii', 'bin', 'hex', 'oct', 'ord', 'chr',
  'isinstance', 'issubclass', 'callable', 'format', 'print',
  // Exceptions (Python 2 `exceptions.*` map here too).
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BufferError', 'BytesWarning', 'DeprecationWarning',
  'EOFError', 'EnvironmentError', 'Exception', 'FloatingPointError', 'FutureWarning', 'GeneratorExit', 'IOError', 'ImportError',
  'ImportWarning', 'IndentationError', 'IndexError', 'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError', 'NameError',
  'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning', 'ReferenceError', 'RuntimeError',
  'RuntimeWarning', 'StopIteration', 'SyntaxError', 'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError', 'UnicodeWarning',
  'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError',
];

/** builtins that run code, reach attributes or the outside world. */
export const DENIED_BUILTINS: readonly string[] = [
  'eval', 'exec', 'execfile', 'compile', 'getattr', 'setattr', 'delattr', '__import__', 'open', 'file', 'breakpoint',
  'input', 'raw_input', 'globals', 'locals', 'vars', 'exit', 'quit', 'reload', 'apply', 'help', '__build_class__',
  '__loader__', '__spec__',
];

/** Why a denied import is dangerous, by category. */
export type DenyCategory = 'code execution' | 'OS and process access' | 'network access' | 'file system access' | 'import machinery' | 'nested deserialization' | 'attribute access' | 'debugger or profiler';

/** Module prefixes denied as a whole (a prefix matches itself and its submodules). Lower case. */
export const DENIED_PREFIXES: Readonly<Record<string, DenyCategory>> = {
  ...of('OS and process access', [
    'os', 'posix', 'nt', 'posixpath', 'ntpath', 'genericpath', 'subprocess', '_posixsubprocess', 'commands', 'popen2', 'sys',
    'pty', 'platform', 'signal', '_signal', 'multiprocessing', 'concurrent', 'threading', '_thread', 'thread', 'atexit',
    '_winapi', 'msvcrt', 'winreg', '_winreg', '_osx_support', '_aix_support', 'uuid', 'asyncio', 'pexpect', 'pipes',
    'ctypes', '_ctypes', 'cffi', 'mmap', 'select', 'selectors', 'gc', 'resource', 'fcntl', 'termios',
  ]),
  ...of('code execution', [
    'runpy', 'code', 'codeop', 'types', 'compile', 'exec', 'eval', '_interpreters', '_xxsubinterpreters', 'interpreters',
    'timeit', 'doctest', 'unittest', 'test', 'idlelib', 'lib2to3', 'pydoc', 'numpy.f2py', 'numpy.testing', 'numpy.distutils',
    'numexpr', 'sympy.parsing', 'pandas.core.computation', 'torch._inductor.codecache', 'torch.utils.cpp_extension',
    'torch.testing._internal', 'torch._dynamo', 'torch.fx.experimental.symbolic_shapes', 'torch.jit.unsupported_tensor_ops',
    'torch.utils.bottleneck', 'torch.utils.collect_env', 'torch.package', 'setuptools', 'distutils', 'pip', 'ensurepip', 'venv',
  ]),
  ...of('network access', [
    'socket', '_socket', 'ssl', 'socketserver', 'http', 'httplib', 'urllib', 'urllib2', 'urllib3', 'requests', 'httpx',
    'aiohttp', 'webbrowser', 'antigravity', 'smtplib', 'imaplib', 'ftplib', 'poplib', 'telnetlib', 'nntplib', 'xmlrpc',
    'torch.hub', 'torch.utils.model_zoo', 'torch.distributed.rpc',
  ]),
  ...of('file system access', [
    'shutil', 'tempfile', 'filecmp', 'fileinput', 'glob', 'linecache', 'difflib', 'compileall', 'py_compile', 'tarfile',
    'zipfile', 'gzip', 'bz2', 'lzma', 'shelve', 'dbm', 'sqlite3', '_sqlite3', 'logging', 'syslog', 'pathlib', 'copyreg',
  ]),
  ...of('import machinery', ['importlib', '_imp', 'imp', 'pkgutil', 'zipimport', '_frozen_importlib', '_frozen_importlib_external', 'site', 'pkg_resources', 'inspect']),
  ...of('nested deserialization', ['pickle', '_pickle', 'cpickle', 'dill', 'cloudpickle', 'joblib', 'marshal', 'jsonpickle', 'sklearn.externals.joblib', 'torch.utils._config_module', 'torch.utils.data.datapipes.utils.decoder']),
  ...of('attribute access', ['operator', '_operator', 'functools']),
  ...of('debugger or profiler', ['pdb', 'bdb', 'trace', 'profile', 'cprofile', 'pstats']),
};

/** Exact paths denied (lower case), beyond whole modules. */
export const DENIED_EXACT: Readonly<Record<string, DenyCategory>> = {
  ...of('nested deserialization', [
    'torch.load', 'torch.serialization.load', 'torch.serialization._load', 'torch.serialization._legacy_load', 'torch.jit.load',
    'torch.jit._serialization.load', 'numpy.load', 'numpy.lib.npyio.load', 'numpy.lib._npyio_impl.load', 'pandas.read_pickle',
    'pandas.io.pickle.read_pickle', 'keras.models.load_model', 'keras.saving.load_model', 'keras.saving.saving_api.load_model',
    'tensorflow.keras.models.load_model', 'yaml.load', 'yaml.load_all', 'yaml.unsafe_load', 'yaml.unsafe_load_all',
    'yaml.full_load', 'yaml.full_load_all',
  ]),
  ...of('file system access', [
    'io.open', '_io.open', 'io.open_code', '_io.open_code', 'io.fileio', '_io.fileio', 'codecs.open', 'numpy.fromfile',
    'numpy.memmap', 'numpy.save', 'numpy.savez', 'numpy.savetxt', 'numpy.loadtxt', 'numpy.genfromtxt', 'numpy.ctypeslib.load_library',
  ]),
  ...of('code execution', ['pandas.eval', 'sympy.sympify', 'torch._dynamo.guards.guardbuilder.get', 'torch.compile']),
};

/** Name components that reach a dangerous module or primitive however they are reached (`torch.serialization.os.system`). */
export const DANGEROUS_COMPONENTS: ReadonlySet<string> = new Set([
  'os', 'posix', 'nt', 'subprocess', '_posixsubprocess', 'sys', 'builtins', '__builtin__', '__builtins__', 'importlib', 'runpy',
  'pty', 'ctypes', 'marshal', 'pickle', '_pickle', 'cpickle', 'dill', 'shutil', 'socket', 'webbrowser', 'pdb', 'commands',
]);

/** Leaf names that are code-execution or attribute primitives wherever they live. */
export const DANGEROUS_LEAVES: ReadonlySet<string> = new Set(['eval', 'exec', 'execfile', '__import__', 'getattr', 'setattr', 'delattr', 'popen', 'system', 'spawn']);

/** Python 2 module names the unpickler renames (Lib/_compat_pickle.py IMPORT_MAPPING, the ones that matter here). */
export const IMPORT_MAPPING: Readonly<Record<string, string>> = {
  __builtin__: 'builtins', exceptions: 'builtins', copy_reg: 'copyreg', commands: 'subprocess', cPickle: 'pickle',
  httplib: 'http.client', urllib2: 'urllib.request', urlparse: 'urllib.parse', thread: '_thread', dummy_thread: '_dummy_thread',
  Queue: 'queue', SocketServer: 'socketserver', StringIO: 'io', cStringIO: 'io', UserDict: 'collections', UserList: 'collections',
  UserString: 'collections', xmlrpclib: 'xmlrpc.client', BaseHTTPServer: 'http.server', SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server', _winreg: 'winreg', _abcoll: 'collections.abc', repr: 'reprlib', ConfigParser: 'configparser',
};

/** (module, name) renames (Lib/_compat_pickle.py NAME_MAPPING, the ones that matter here). */
export const NAME_MAPPING: Readonly<Record<string, string>> = {
  '__builtin__.xrange': 'builtins.range', '__builtin__.reduce': 'functools.reduce', '__builtin__.intern': 'sys.intern',
  '__builtin__.unichr': 'builtins.chr', '__builtin__.unicode': 'builtins.str', '__builtin__.long': 'builtins.int',
  '__builtin__.basestring': 'builtins.str', 'itertools.izip': 'builtins.zip', 'itertools.imap': 'builtins.map',
  'itertools.ifilter': 'builtins.filter', 'UserDict.IterableUserDict': 'collections.UserDict', 'urllib.urlopen': 'urllib.request.urlopen',
  'urllib.urlretrieve': 'urllib.request.urlretrieve', 'exceptions.StandardError': 'builtins.Exception',
};

function of<C extends DenyCategory>(category: C, names: readonly string[]): Record<string, C> {
  return Object.fromEntries(names.map((n) => [n, category]));
}
