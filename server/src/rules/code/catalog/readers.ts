// Loaders with no risk of their own that still name a model file: the inventory lists the files
// they read (a finding on the file can then be shown on the call).
import type { ReaderEntry } from './types';

export const READERS: readonly ReaderEntry[] = [
  { api: 'safetensors.torch.load_file', doc: 'https://huggingface.co/docs/safetensors/api/torch#safetensors.torch.load_file', source: { keyword: 'filename', index: 0 } },
  { api: 'safetensors.safe_open', doc: 'https://huggingface.co/docs/safetensors/api/python#safetensors.safe_open', source: { keyword: 'filename', index: 0 } },
  { api: 'onnx.load', doc: 'https://onnx.ai/onnx/api/serialization.html#onnx.load', source: { keyword: 'f', index: 0 } },
  { api: 'onnxruntime.InferenceSession', doc: 'https://onnxruntime.ai/docs/api/python/api_summary.html#inferencesession', source: { keyword: 'path_or_bytes', index: 0 } },
  { api: 'llama_cpp.Llama', doc: 'https://llama-cpp-python.readthedocs.io/en/latest/api-reference/#llama_cpp.Llama.__init__', source: { keyword: 'model_path', index: 0 } },
  { api: 'xgboost.Booster', doc: 'https://xgboost.readthedocs.io/en/stable/python/python_api.html#xgboost.Booster', source: { keyword: 'model_file', index: 2 } },
  { api: 'lightgbm.Booster', doc: 'https://lightgbm.readthedocs.io/en/latest/pythonapi/lightgbm.Booster.html', source: { keyword: 'model_file', index: 1 } },
  { api: 'tensorflow.lite.Interpreter', doc: 'https://www.tensorflow.org/api_docs/python/tf/lite/Interpreter', source: { keyword: 'model_path', index: 0 } },
];
