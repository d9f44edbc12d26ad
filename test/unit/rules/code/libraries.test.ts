// Library by library: the documented loaders, their safe forms, and look-alikes that are not loads.
import assert from 'node:assert/strict';
import { installed, summary } from './harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('libraries: Hub ids in each library\'s own syntax', () => {
  it('timm: hf-hub ids download only with pretrained=True, pinned with @<sha>; built-in names are not Hub ids', async () => {
    const src = [
      'import timm',
      'timm.create_model("hf-hub:org/vit", pretrained=True)',
      `timm.create_model("hf-hub:org/vit@${SHA}", pretrained=True)`,
      'timm.create_model("hf-hub:org/vit", pretrained=False)',
      'timm.create_model("resnet50", pretrained=True)',
      'timm.create_model("resnet50", checkpoint_path="ckpt.pth")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['unpinned-model-revision info "\\"hf-hub:org/vit\\""', 'unsafe-torch-load warning "checkpoint_path=\\"ckpt.pth\\""']);
  });

  it('open_clip, Keras hf://, keras_hub presets: cannot pin, so only Hub ids are reported', async () => {
    const src = [
      'import open_clip, keras, keras_hub',
      'open_clip.create_model_and_transforms("hf-hub:laion/CLIP-ViT-B-32")',
      'open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")',
      'keras.saving.load_model("hf://org/keras-model")',
      'keras.saving.load_model("models/m.keras")',
      'keras_hub.models.Backbone.from_preset("hf://org/preset")',
      'keras_hub.models.Backbone.from_preset("bert_base_en")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unpinned-model-revision info "\\"hf-hub:laion/CLIP-ViT-B-32\\""',
      'unpinned-model-revision info "\\"hf://org/keras-model\\""',
      'unpinned-model-revision info "\\"hf://org/preset\\""',
    ]);
  });

  it('vLLM, llama-cpp, ctransformers, peft (model id second), AutoPeftModel (first), HfApi', async () => {
    const src = [
      'from vllm import LLM',
      'from llama_cpp import Llama',
      'from ctransformers import AutoModelForCausalLM',
      'from peft import PeftModel, AutoPeftModelForCausalLM',
      'from huggingface_hub import HfApi',
      'LLM(model="org/llm", trust_remote_code=True)',
      `LLM(model="org/llm", revision="${SHA}")`,
      'Llama.from_pretrained(repo_id="org/gguf", filename="*Q4_K_M.gguf")',
      'Llama(model_path="models/llama.gguf")',
      'AutoModelForCausalLM.from_pretrained("marella/gpt-2-ggml")',
      'PeftModel.from_pretrained(base, "org/adapter")',
      `AutoPeftModelForCausalLM.from_pretrained("org/adapter2", revision="${SHA}")`,
      'HfApi().hf_hub_download("org/repo", "w.safetensors")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'trust-remote-code warning "trust_remote_code=True"',
      'unpinned-model-revision info "\\"org/llm\\""',
      'unpinned-model-revision info "\\"org/gguf\\""',
      'unpinned-model-revision info "\\"marella/gpt-2-ggml\\""',
      'unpinned-model-revision info "\\"org/adapter\\""',
      'unpinned-model-revision info "\\"org/repo\\""',
    ]);
  });

  it('datasets builders, canonical evaluate modules and local folders are not Hub downloads', async () => {
    const src = [
      'import evaluate',
      'from datasets import load_dataset',
      'from sentence_transformers import SentenceTransformer',
      'load_dataset("csv", data_files="d.csv")',
      'evaluate.load("accuracy")',
      'evaluate.load("someone/metric")',
      'SentenceTransformer("./finetuned")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['trust-remote-code warning "\\"someone/metric\\""', 'unpinned-model-revision info "\\"someone/metric\\""']);
  });
});

describe('libraries: code and pickles', () => {
  it('diffusers: community pipelines run code; single-file and LoRA pickles are pickles', async () => {
    const src = [
      'from diffusers import DiffusionPipeline, StableDiffusionPipeline',
      `pipe = DiffusionPipeline.from_pretrained("org/sd", revision="${SHA}", custom_pipeline="lpw_stable_diffusion")`,
      `pipe.load_lora_weights("org/lora", weight_name="lora.safetensors", revision="${SHA}")`,
      `pipe.load_lora_weights("org/lora", weight_name="lora.bin", revision="${SHA}")`,
      'StableDiffusionPipeline.from_single_file("./v1-5-pruned.ckpt")',
      'StableDiffusionPipeline.from_single_file("./v1-5-pruned.safetensors")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'trust-remote-code warning "custom_pipeline=\\"lpw_stable_diffusion\\""',
      'insecure-model-source warning "\\"lora.bin\\""',
      'insecure-model-source warning "\\"./v1-5-pruned.ckpt\\""',
    ]);
  });

  it('torch: pickle_module defeats the 2.6 default; wrappers; weights-only allow-list; TorchScript', async () => {
    const src = [
      'import os, torch, dill',
      'torch.load("a.pt", pickle_module=dill)',
      'torch.load("b.pt")',
      'torch.hub.load_state_dict_from_url("https://x.org/w.pth", weights_only=True)',
      'torch.serialization.add_safe_globals([os.system, MyConfig])',
      'torch.serialization.add_safe_globals([MyConfig])',
      'torch.jit.load("scripted.pt")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src, { installed: installed({ torch: '2.6.0' }) }), [
      'unsafe-torch-load warning "torch.load"',
      'unsafe-torch-load info "torch.load"',
      'unsafe-torch-load error "[os.system, MyConfig]"',
      'unsafe-torch-load info "torch.jit.load"',
    ]);
    // torch 2.1: even weights_only=True in the URL loader is exploitable (CVE-2025-32434).
    const old = await summary('import torch\ntorch.hub.load_state_dict_from_url("https://x.org/w.pth", weights_only=True)\n', { installed: installed({ torch: '2.1.0' }) });
    assert.deepEqual(old, ['unsafe-torch-load error "torch.hub.load_state_dict_from_url"']);
  });

  it('Keras: legacy .h5 ignores safe_mode; the global switch; SavedModel is a program', async () => {
    const src = [
      'import keras',
      'import tensorflow as tf',
      'keras.models.load_model("model.h5", safe_mode=True)',
      'tf.keras.models.load_model("model.keras")',
      'keras.config.enable_unsafe_deserialization()',
      'keras.saving.deserialize_keras_object(cfg, safe_mode=False)',
      'tf.saved_model.load("export_dir")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unsafe-keras-load warning "\\"model.h5\\""',
      'unsafe-keras-load warning "keras.config.enable_unsafe_deserialization"',
      'unsafe-keras-load warning "safe_mode=False"',
      'unsafe-keras-load info "tf.saved_model.load"',
    ]);
  });

  it('MLflow flavours, gensim, pandas HDF, statsmodels, fastai, skops; safe formats are not flagged', async () => {
    const src = [
      'import mlflow, gensim, skops.io',
      'import pandas as pd',
      'import statsmodels.api as sm',
      'from gensim.models import Word2Vec, KeyedVectors',
      'from fastai.learner import load_learner',
      'mlflow.sklearn.load_model("runs:/abc/model")',
      'Word2Vec.load("w2v.model")',
      'KeyedVectors.load_word2vec_format("vectors.bin", binary=True)',
      'pd.read_hdf("store.h5", "df")',
      'pd.read_parquet("df.parquet")',
      'sm.load_pickle("results.pickle")',
      'load_learner("export.pkl")',
      'skops.io.load("m.skops", trusted=skops.io.get_untrusted_types(file="m.skops"))',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'pickle-deserialization warning "mlflow.sklearn.load_model"',
      'pickle-deserialization warning "Word2Vec.load"',
      'pickle-deserialization warning "pd.read_hdf"',
      'pickle-deserialization warning "sm.load_pickle"',
      'pickle-deserialization warning "load_learner"',
      'pickle-deserialization warning "skops.io.load"',
    ]);
  });

  it('LangChain loads: options that widen what it builds', async () => {
    const src = [
      'from langchain_core.load import loads',
      'loads(text)',
      'loads(text, allowed_objects="all")',
      'loads(text, valid_namespaces=["my_pkg"], secrets_from_env=True)',
      'loads(text, valid_namespaces=[])',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'dangerous-deserialization-flag warning "allowed_objects=\\"all\\""',
      'dangerous-deserialization-flag warning "valid_namespaces=[\\"my_pkg\\"]"',
      'dangerous-deserialization-flag warning "secrets_from_env=True"',
    ]);
  });

  it('plain downloads: only model files fetched over http:// count', async () => {
    const src = [
      'import requests, wget, urllib.request',
      'requests.get("http://example.com/models/model.bin")',
      'requests.get("http://example.com/api/status")',
      'urllib.request.urlretrieve("http://example.com/w.pth", "w.pth")',
      'wget.download("https://example.com/w.onnx")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), ['insecure-model-source warning "\\"http://example.com/models/model.bin\\""', 'insecure-model-source warning "\\"http://example.com/w.pth\\""']);
  });
});
