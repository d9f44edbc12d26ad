// Hugging Face libraries: every call that takes a Hub repository id downloads whatever the repo
// holds at that revision; some also run code from it (custom pipelines, community metrics) or
// pick pickle-format weights.
import type { CatalogEntry, EnvSwitch } from './types';

const HF = 'https://huggingface.co/docs';
const ID0 = { keyword: 'pretrained_model_name_or_path', index: 0 };

/** `datasets` builders that read local files rather than a Hub dataset. */
export const LOCAL_BUILDERS = ['csv', 'json', 'parquet', 'text', 'arrow', 'pandas', 'sql', 'generator', 'imagefolder', 'audiofolder', 'videofolder', 'webdataset', 'xml'];

export const HUGGING_FACE: readonly CatalogEntry[] = [
  {
    // transformers, diffusers, peft configs, optimum, setfit, span_marker, gliner, ... all share it.
    api: '*.from_pretrained',
    rule: 'unpinned-model-revision',
    risk: 'from_pretrained downloads the repository (weights, config, maybe code) at its current revision',
    doc: `${HF}/transformers/main_classes/model#transformers.PreTrainedModel.from_pretrained`,
    source: ID0,
  },
  {
    api: 'transformers.pipeline',
    rule: 'unpinned-model-revision',
    risk: 'pipeline(model=...) downloads the model repository',
    doc: `${HF}/transformers/main_classes/pipelines#transformers.pipeline`,
    source: { keyword: 'model', index: 1 },
  },
  {
    api: 'peft.PeftModel*.from_pretrained',
    rule: 'unpinned-model-revision',
    risk: 'PeftModel.from_pretrained downloads the adapter repository',
    doc: `${HF}/peft/package_reference/peft_model#peft.PeftModel.from_pretrained`,
    source: { keyword: 'model_id', index: 1 },
  },
  {
    api: 'peft.PeftMixedModel.from_pretrained',
    rule: 'unpinned-model-revision',
    risk: 'PeftMixedModel.from_pretrained downloads the adapter repository',
    doc: `${HF}/peft/package_reference/peft_model#peft.PeftMixedModel.from_pretrained`,
    source: { keyword: 'model_id', index: 1 },
  },
  {
    api: 'peft.*().load_adapter',
    rule: 'unpinned-model-revision',
    risk: 'load_adapter downloads another adapter repository',
    doc: `${HF}/peft/package_reference/peft_model#peft.PeftModel.load_adapter`,
    source: { keyword: 'model_id', index: 0 },
  },
  {
    api: 'transformers.*().load_adapter',
    rule: 'unpinned-model-revision',
    risk: 'load_adapter downloads an adapter repository',
    doc: `${HF}/transformers/main/en/peft#load-a-peft-adapter`,
    source: { keyword: 'peft_model_id', index: 0 },
  },
  ...['hf_hub_download', 'snapshot_download'].flatMap((f): CatalogEntry[] => [
    {
      api: `huggingface_hub.${f}`,
      rule: 'unpinned-model-revision',
      risk: `${f} downloads from the repository at its current revision`,
      doc: `${HF}/huggingface_hub/package_reference/file_download#huggingface_hub.${f}`,
      source: { keyword: 'repo_id', index: 0 },
    },
    {
      api: `huggingface_hub.HfApi().${f}`,
      rule: 'unpinned-model-revision',
      risk: `HfApi.${f} downloads from the repository at its current revision`,
      doc: `${HF}/huggingface_hub/package_reference/hf_api#huggingface_hub.HfApi.${f}`,
      source: { keyword: 'repo_id', index: 0 },
    },
  ]),
  {
    api: 'huggingface_hub.from_pretrained_keras',
    rule: 'unpinned-model-revision',
    risk: 'from_pretrained_keras downloads and loads a Keras model repository',
    doc: `${HF}/huggingface_hub/package_reference/mixins#huggingface_hub.from_pretrained_keras`,
    source: { keyword: 'repo_id', index: 0 },
  },
  {
    api: 'huggingface_hub.from_pretrained_fastai',
    rule: 'unpinned-model-revision',
    risk: 'from_pretrained_fastai downloads a fastai learner repository',
    doc: `${HF}/huggingface_hub/package_reference/mixins#huggingface_hub.from_pretrained_fastai`,
    source: { keyword: 'repo_id', index: 0 },
  },
  {
    api: 'huggingface_hub.from_pretrained_fastai',
    rule: 'pickle-deserialization',
    risk: 'from_pretrained_fastai unpickles the learner (fastai load_learner)',
    doc: `${HF}/huggingface_hub/package_reference/mixins#huggingface_hub.from_pretrained_fastai`,
  },
  {
    api: 'datasets.load_dataset',
    rule: 'unpinned-model-revision',
    risk: 'load_dataset downloads the dataset repository (and, with trust_remote_code, runs its script)',
    doc: `${HF}/datasets/package_reference/loading_methods#datasets.load_dataset`,
    source: { keyword: 'path', index: 0 },
    notHub: LOCAL_BUILDERS,
  },
  {
    api: 'datasets.load_dataset_builder',
    rule: 'unpinned-model-revision',
    risk: 'load_dataset_builder downloads the dataset repository',
    doc: `${HF}/datasets/package_reference/loading_methods#datasets.load_dataset_builder`,
    source: { keyword: 'path', index: 0 },
    notHub: LOCAL_BUILDERS,
  },
  ...['SentenceTransformer', 'CrossEncoder', 'SparseEncoder'].map(
    (c): CatalogEntry => ({
      api: `sentence_transformers.${c}`,
      rule: 'unpinned-model-revision',
      risk: `${c}(...) downloads the model repository`,
      doc: 'https://sbert.net/docs/package_reference/sentence_transformer/SentenceTransformer.html',
      source: { keyword: 'model_name_or_path', index: 0 },
    }),
  ),
  ...['langchain_community.embeddings', 'langchain_huggingface', 'langchain_huggingface.embeddings', 'langchain.embeddings'].map(
    (m): CatalogEntry => ({
      // LangChain wrappers download through sentence-transformers; revision goes in model_kwargs.
      api: `${m}.HuggingFaceEmbeddings`,
      rule: 'unpinned-model-revision',
      risk: 'HuggingFaceEmbeddings downloads the sentence-transformers model',
      doc: 'https://python.langchain.com/api_reference/huggingface/embeddings/langchain_huggingface.embeddings.huggingface.HuggingFaceEmbeddings.html',
      source: { keyword: 'model_name' },
    }),
  ),
  {
    api: 'diffusers.*.from_single_file',
    rule: 'unpinned-model-revision',
    risk: 'from_single_file downloads a checkpoint from a Hub URL at the revision in the URL',
    doc: `${HF}/diffusers/api/loaders/single_file`,
    source: { keyword: 'pretrained_model_link_or_path', index: 0 },
    forms: ['hf-url'],
  },
  {
    api: 'diffusers.*().load_lora_weights',
    rule: 'unpinned-model-revision',
    risk: 'load_lora_weights downloads LoRA weights from the repository',
    doc: `${HF}/diffusers/api/loaders/lora`,
    source: { keyword: 'pretrained_model_name_or_path_or_dict', index: 0 },
  },
  {
    api: 'diffusers.*().load_textual_inversion',
    rule: 'unpinned-model-revision',
    risk: 'load_textual_inversion downloads embeddings from the repository',
    doc: `${HF}/diffusers/api/loaders/textual_inversion`,
    source: { keyword: 'pretrained_model_name_or_path', index: 0 },
  },
  {
    api: 'diffusers.*().load_ip_adapter',
    rule: 'unpinned-model-revision',
    risk: 'load_ip_adapter downloads IP-Adapter weights from the repository',
    doc: `${HF}/diffusers/api/loaders/ip_adapter`,
    source: { keyword: 'pretrained_model_name_or_path_or_dict', index: 0 },
  },
  {
    api: 'evaluate.load',
    rule: 'unpinned-model-revision',
    risk: 'evaluate.load downloads the evaluation module (Python code) from a community Space',
    doc: `${HF}/evaluate/package_reference/loading_methods#evaluate.load`,
    source: { keyword: 'path', index: 0 },
    needsOwner: true,
  },
  // Code from elsewhere.
  {
    api: 'diffusers.*.from_pretrained',
    rule: 'trust-remote-code',
    risk: 'custom_pipeline= downloads a community pipeline (Python) from the Hub or GitHub and runs it',
    doc: `${HF}/diffusers/using-diffusers/custom_pipeline_overview`,
    codeArg: { keyword: 'custom_pipeline' },
    when: 'not-local',
  },
  {
    api: 'evaluate.load',
    rule: 'trust-remote-code',
    risk: 'evaluate.load runs the Python of a community evaluation module',
    doc: `${HF}/evaluate/package_reference/loading_methods#evaluate.load`,
    codeArg: { keyword: 'path', index: 0 },
    when: 'community',
  },
  // Weights by URL or in pickle formats.
  ...['*.from_pretrained', 'transformers.pipeline', 'huggingface_hub.hf_hub_download', 'huggingface_hub.snapshot_download'].map(
    (api): CatalogEntry => ({
      api,
      rule: 'insecure-model-source',
      risk: 'fetches the model from the given URL or endpoint',
      doc: `${HF}/huggingface_hub/package_reference/environment_variables#hfendpoint`,
    }),
  ),
  {
    api: 'diffusers.*.from_single_file',
    rule: 'insecure-model-source',
    risk: 'from_single_file loads a checkpoint; .ckpt/.bin/.pt files are pickles',
    doc: `${HF}/diffusers/api/loaders/single_file`,
    urls: [{ keyword: 'pretrained_model_link_or_path', index: 0 }],
    weightFiles: [{ keyword: 'pretrained_model_link_or_path', index: 0 }],
  },
  ...['load_lora_weights', 'load_textual_inversion', 'load_ip_adapter'].map(
    (m): CatalogEntry => ({
      api: `diffusers.*().${m}`,
      rule: 'insecure-model-source',
      risk: `${m} loads weights; .bin/.ckpt/.pt files are pickles`,
      doc: `${HF}/diffusers/api/loaders/${m === 'load_lora_weights' ? 'lora' : m === 'load_textual_inversion' ? 'textual_inversion' : 'ip_adapter'}`,
      weightFiles: [{ keyword: 'weight_name' }, { keyword: 'pretrained_model_name_or_path_or_dict', index: 0 }, { keyword: 'pretrained_model_name_or_path', index: 0 }],
    }),
  ),
];

export const HUGGING_FACE_SWITCHES: readonly EnvSwitch[] = [
  {
    variable: 'HF_ENDPOINT',
    rule: 'insecure-model-source',
    dangerous: 'http',
    risk: 'points every Hub download in the process at a plain-http endpoint',
    doc: `${HF}/huggingface_hub/package_reference/environment_variables#hfendpoint`,
  },
  {
    variable: 'HF_DATASETS_TRUST_REMOTE_CODE',
    rule: 'trust-remote-code',
    dangerous: 'truthy',
    risk: 'makes every load_dataset in the process run dataset scripts from the Hub (trust_remote_code=True)',
    doc: `${HF}/datasets/v2.20.0/en/load_hub#remote-code`,
  },
];
