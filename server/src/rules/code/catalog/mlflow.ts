// MLflow model flavours: loading a logged model unpickles it (pickle/cloudpickle) or imports the
// model's own code (pyfunc `loader_module`, `code_paths`), so a model URI is code.
import type { CatalogEntry } from './types';

const FLAVOURS = ['pyfunc', 'sklearn', 'pytorch', 'tensorflow', 'keras', 'transformers', 'langchain', 'statsmodels', 'lightgbm', 'fastai', 'pmdarima', 'llama_index', 'dspy', 'sentence_transformers', 'spacy'];

export const MLFLOW: readonly CatalogEntry[] = [
  ...FLAVOURS.map(
    (f): CatalogEntry => ({
      api: `mlflow.${f}.load_model`,
      rule: 'pickle-deserialization',
      risk: `mlflow.${f}.load_model unpickles the logged model or imports its code`,
      doc: `https://mlflow.org/docs/latest/api_reference/python_api/mlflow.${f}.html#mlflow.${f}.load_model`,
      source: { keyword: 'model_uri', index: 0 },
    }),
  ),
  {
    api: 'mlflow.pyfunc.spark_udf',
    rule: 'pickle-deserialization',
    risk: 'mlflow.pyfunc.spark_udf loads the pyfunc model on every worker (pickle or the model\'s code)',
    doc: 'https://mlflow.org/docs/latest/api_reference/python_api/mlflow.pyfunc.html#mlflow.pyfunc.spark_udf',
    source: { keyword: 'model_uri', index: 1 },
  },
];
