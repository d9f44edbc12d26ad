// LangChain and LlamaIndex: opt-ins that unpickle stored indexes or run generated code, the
// LangChain JSON loader's options that widen what it builds, and LlamaIndex's pickled stores.
import type { CatalogEntry } from './types';

const LOAD = 'https://python.langchain.com/api_reference/core/load/langchain_core.load.load.loads.html';

/** Keywords that opt into unpickling or code execution, on any call (FAISS.load_local, agents, ...). */
export const DANGEROUS_KEYWORDS = ['allow_dangerous_deserialization', 'allow_dangerous_code'];

export const RAG: readonly CatalogEntry[] = [
  ...['langchain_core.load.load', 'langchain_core.load.loads', 'langchain_core.load.load.load', 'langchain_core.load.load.loads'].map(
    (api): CatalogEntry => ({
      api,
      rule: 'dangerous-deserialization-flag',
      risk: `${api} instantiates the classes a JSON document names; these options let it build more (or read secrets from the environment)`,
      doc: LOAD,
      options: [
        { keyword: 'allowed_objects', dangerous: ['all'] },
        { keyword: 'valid_namespaces', dangerous: 'non-empty' },
        { keyword: 'secrets_from_env', dangerous: 'truthy' },
      ],
    }),
  ),
  {
    api: 'llama_index.core.objects.*.from_persist_dir',
    rule: 'pickle-deserialization',
    risk: 'LlamaIndex object node mappings are stored as pickles (object_node_mapping.pickle) and unpickled on load',
    doc: 'https://docs.llamaindex.ai/en/stable/module_guides/deploying/agents/tools/#objectindex',
    source: { keyword: 'persist_dir', index: 0 },
  },
];
