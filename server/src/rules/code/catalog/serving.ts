// Inference servers and runtimes that download models by Hub id: vLLM, llama-cpp-python,
// ctransformers (optimum, TGI-compatible loaders and others go through `*.from_pretrained`).
import type { CatalogEntry } from './types';

export const SERVING: readonly CatalogEntry[] = [
  ...['LLM', 'EngineArgs', 'AsyncEngineArgs'].map(
    (c): CatalogEntry => ({
      api: `vllm.${c}`,
      rule: 'unpinned-model-revision',
      risk: `vllm.${c}(model=...) downloads the model repository (and runs its code with trust_remote_code=True)`,
      doc: 'https://docs.vllm.ai/en/latest/api/vllm/index.html#vllm.LLM',
      source: { keyword: 'model', index: 0 },
    }),
  ),
  {
    api: 'llama_cpp.Llama.from_pretrained',
    rule: 'unpinned-model-revision',
    risk: 'Llama.from_pretrained downloads the GGUF file at the repository\'s current revision (it cannot pin one: download with hf_hub_download(..., revision=<sha>) and pass model_path)',
    doc: 'https://llama-cpp-python.readthedocs.io/en/latest/api-reference/#llama_cpp.Llama.from_pretrained',
    source: { keyword: 'repo_id', index: 0 },
    revision: [],
  },
  {
    api: 'ctransformers.*.from_pretrained',
    rule: 'unpinned-model-revision',
    risk: 'ctransformers from_pretrained downloads the model repository',
    doc: 'https://github.com/marella/ctransformers#method-automodelforcausallmfrom_pretrained',
    source: { keyword: 'model_path_or_repo_id', index: 0 },
  },
];
