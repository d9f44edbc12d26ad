// Keras and TensorFlow: `load_model` deserializes Lambda layers (code) unless safe mode is on,
// legacy .h5 files are not covered by safe mode at all, a global switch turns it off, and a
// SavedModel is a TensorFlow program.
import type { CatalogEntry } from './types';

const SAVING = 'https://keras.io/api/models/model_saving_apis/model_saving_and_loading/';

/** Keras `load_model` spellings (tf.keras and tf_keras are canonicalised to keras.*). */
export const KERAS_LOADERS = ['keras.models.load_model', 'keras.saving.load_model', 'keras.saving.saving_api.load_model', 'keras.src.models.load_model', 'keras.load_model'];

export const KERAS: readonly CatalogEntry[] = [
  ...KERAS_LOADERS.map(
    (api): CatalogEntry => ({
      api,
      rule: 'unsafe-keras-load',
      risk: 'load_model deserializes Lambda layers (Python bytecode) when safe_mode=False, and from legacy .h5 files regardless',
      doc: SAVING,
      safeMode: { keyword: 'safe_mode', index: 3 },
      legacyPath: { keyword: 'filepath', index: 0 },
      source: { keyword: 'filepath', index: 0 },
    }),
  ),
  ...KERAS_LOADERS.map(
    (api): CatalogEntry => ({
      api,
      rule: 'unpinned-model-revision',
      risk: 'load_model("hf://org/name") downloads the repository at its current revision (hf:// cannot pin one)',
      doc: SAVING,
      source: { keyword: 'filepath', index: 0 },
      forms: ['hf-scheme'],
      revision: [],
    }),
  ),
  {
    api: 'huggingface_hub.from_pretrained_keras',
    rule: 'unsafe-keras-load',
    risk: 'from_pretrained_keras loads a Keras model; safe_mode=False deserializes Lambda layers',
    doc: 'https://huggingface.co/docs/huggingface_hub/package_reference/mixins#huggingface_hub.from_pretrained_keras',
    safeMode: { keyword: 'safe_mode' },
  },
  {
    api: 'keras.config.enable_unsafe_deserialization',
    rule: 'unsafe-keras-load',
    risk: 'enable_unsafe_deserialization turns safe mode off for every later load in the process, so Lambda layers run their code',
    doc: 'https://keras.io/api/utils/config_utils/#enableunsafedeserialization-function',
    severity: 'warning',
  },
  {
    api: 'keras.saving.deserialize_keras_object',
    rule: 'unsafe-keras-load',
    risk: 'deserialize_keras_object with safe_mode=False revives Lambda functions (runs their code)',
    doc: 'https://keras.io/api/models/model_saving_apis/serialization_utils/#deserializekerasobject-function',
    safeMode: { keyword: 'safe_mode', index: 2 },
  },
  {
    api: 'tensorflow.saved_model.load',
    rule: 'unsafe-keras-load',
    risk: 'a SavedModel is a TensorFlow program (its graph can read and write files); load only trusted ones',
    doc: 'https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md#tensorflow-models-are-programs',
    severity: 'info',
    source: { keyword: 'export_dir', index: 0 },
  },
  ...['load', 'KerasLayer'].map(
    (f): CatalogEntry => ({
      api: `tensorflow_hub.${f}`,
      rule: 'unsafe-keras-load',
      risk: `tensorflow_hub.${f} downloads and loads a SavedModel (a TensorFlow program)`,
      doc: 'https://www.tensorflow.org/hub/api_docs/python/hub/load',
      severity: 'info',
      source: { keyword: 'handle', index: 0 },
    }),
  ),
  ...['load', 'KerasLayer', 'Module'].map(
    (f): CatalogEntry => ({
      api: `tensorflow_hub.${f}`,
      rule: 'insecure-model-source',
      risk: `tensorflow_hub.${f} fetches the model by URL`,
      doc: 'https://www.tensorflow.org/hub/api_docs/python/hub/load',
      urls: [{ keyword: 'handle', index: 0 }],
    }),
  ),
  {
    api: 'keras.utils.get_file',
    rule: 'insecure-model-source',
    risk: 'get_file downloads the file by URL',
    doc: 'https://keras.io/api/utils/python_utils/#getfile-function',
    urls: [{ keyword: 'origin', index: 1 }],
  },
  {
    api: 'keras_hub.*.from_preset',
    rule: 'unpinned-model-revision',
    risk: 'from_preset("hf://org/name") downloads the preset at its current revision (hf:// cannot pin one)',
    doc: 'https://keras.io/keras_hub/api/base_classes/backbone/#frompreset-method',
    source: { keyword: 'preset', index: 0 },
    forms: ['hf-scheme'],
    revision: [],
  },
];
