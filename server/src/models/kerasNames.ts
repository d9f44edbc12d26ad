// Name lists the Keras config analyser judges against: the layer classes Keras and tf.keras
// ship (a legacy config names a layer only by class, so anything else needs custom code), the
// module roots that are Keras itself, and the modules and Keras functions that turn a config
// into code execution when a config may name any importable callable (CVE-2025-1550 and the
// safe_mode bypasses that followed it).

/** Module roots Keras resolves as its own. */
export const KERAS_ROOTS = new Set(['keras', 'tensorflow', 'tf_keras', 'tf']);

/** Official keras-team packages: custom objects, but from a known publisher. */
export const KERAS_ECOSYSTEM = new Set(['keras_hub', 'keras_nlp', 'keras_cv', 'keras_rs', 'keras_tuner']);

/** Modules whose functions and classes run commands, load code or touch files. */
export const DANGEROUS_MODULES = new Set([
  'os', 'posix', 'nt', 'subprocess', 'sys', 'shutil', 'socket', 'pty', 'importlib', 'runpy', 'code', 'codeop', 'pickle', '_pickle',
  'cPickle', 'marshal', 'dill', 'cloudpickle', 'joblib', 'ctypes', 'webbrowser', 'commands', 'platform', 'multiprocessing', 'pdb',
  'timeit', 'types', 'functools', 'operator', 'inspect', 'io', 'pathlib', 'tempfile', 'urllib', 'requests', 'http', 'ftplib',
  'telnetlib', 'smtplib', 'asyncio', 'threading', '_thread', 'signal', 'numpy.f2py', 'torch.hub',
]);

/** Python builtins that evaluate, import or open things. */
export const DANGEROUS_BUILTINS = new Set([
  'exec', 'eval', 'compile', 'open', '__import__', 'getattr', 'setattr', 'delattr', 'globals', 'locals', 'vars', 'input', 'breakpoint',
  'exit', 'quit',
]);

/** Keras functions that download or write files, load another model, or switch safe mode off. */
export const KERAS_GADGETS = new Set([
  'get_file', 'enable_unsafe_deserialization', 'set_global_attribute', 'load_model', 'load_weights', 'model_from_json',
  'model_from_config', 'model_from_yaml', 'func_load', 'save_model', 'save_weights', 'export_saved_model', 'deserialize_keras_object',
]);

/** TensorFlow ops a TFOpLambda may name that read or write files or run Python. */
export const DANGEROUS_TF_OP = /(?:^|\.)(?:io\.(?:write_file|read_file|matching_files|gfile\.\w+)|raw_ops\.(?:WriteFile|ReadFile|MatchingFiles|PyFunc\w*|EagerPyFunc)|py_function|numpy_function|py_func|print)$/;

/** Layer and model classes shipped by Keras 2/3 and tf.keras. */
export const BUILTIN_LAYERS = new Set([
  // models
  'Sequential', 'Functional', 'Model',
  // core
  'InputLayer', 'Input', 'Dense', 'EinsumDense', 'Activation', 'Embedding', 'Masking', 'Lambda', 'Identity', 'Wrapper', 'Layer',
  'TFOpLambda', 'SlicingOpLambda', 'InstanceProperty', 'InstanceMethod', 'ClassMethod', 'TorchModuleWrapper', 'JaxLayer', 'FlaxLayer',
  // convolution
  'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv1D', 'SeparableConv2D',
  'DepthwiseConv1D', 'DepthwiseConv2D', 'Convolution1D', 'Convolution2D', 'Convolution3D', 'Convolution2DTranspose',
  'Convolution3DTranspose', 'Deconvolution2D', 'Deconvolution3D', 'SeparableConvolution1D', 'SeparableConvolution2D', 'ConvLSTM1D',
  'ConvLSTM2D', 'ConvLSTM3D', 'LocallyConnected1D', 'LocallyConnected2D',
  // pooling
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'MaxPool1D',
  'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D', 'AvgPool3D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPooling3D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalAveragePooling3D', 'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalMaxPool3D',
  'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'AdaptiveAveragePooling1D', 'AdaptiveAveragePooling2D', 'AdaptiveMaxPooling1D',
  'AdaptiveMaxPooling2D',
  // normalization and regularization
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'SpectralNormalization', 'RMSNormalization',
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout',
  'ActivityRegularization',
  // attention
  'Attention', 'AdditiveAttention', 'MultiHeadAttention', 'GroupedQueryAttention',
  // reshaping
  'Reshape', 'Flatten', 'RepeatVector', 'Permute', 'Cropping1D', 'Cropping2D', 'Cropping3D', 'UpSampling1D', 'UpSampling2D',
  'UpSampling3D', 'ZeroPadding1D', 'ZeroPadding2D', 'ZeroPadding3D',
  // merging
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot',
  // recurrent
  'RNN', 'SimpleRNN', 'SimpleRNNCell', 'GRU', 'GRUCell', 'LSTM', 'LSTMCell', 'StackedRNNCells', 'Bidirectional', 'TimeDistributed',
  'CuDNNGRU', 'CuDNNLSTM', 'GRUV1', 'GRUV2', 'LSTMV1', 'LSTMV2',
  // activation layers
  'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax', 'ThresholdedReLU',
  // preprocessing
  'Rescaling', 'Normalization', 'Resizing', 'CenterCrop', 'RandomCrop', 'RandomFlip', 'RandomRotation', 'RandomZoom',
  'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'RandomHeight', 'RandomWidth', 'TextVectorization', 'StringLookup',
  'IntegerLookup', 'CategoryEncoding', 'Hashing', 'Discretization', 'HashedCrossing', 'AutoContrast', 'Solarization', 'RandAugment',
  'MelSpectrogram', 'STFTSpectrogram', 'Pipeline',
]);
