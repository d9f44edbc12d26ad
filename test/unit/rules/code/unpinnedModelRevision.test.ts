import assert from 'node:assert/strict';
import { analyzePython } from '../../../../server/src/engine/pythonAnalysis';
import { findings, fixed, summary } from './harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('unpinned-model-revision', () => {
  it('flags Hub downloads without a commit-sha revision', async () => {
    const src = [
      'from transformers import AutoModel, AutoTokenizer, pipeline',
      'from datasets import load_dataset',
      'from huggingface_hub import hf_hub_download, snapshot_download',
      'import transformers as tr',
      'AutoModel.from_pretrained("bert-base-uncased")',
      'AutoTokenizer.from_pretrained("org/model", revision="main")',
      'tr.AutoModel.from_pretrained("org/m2", revision="v1.0")',
      'load_dataset("imdb")',
      'hf_hub_download(repo_id="deepseek-ai/DeepSeek-R1", filename="config.json")',
      'snapshot_download("meta-llama/Llama-3.1-8B-Instruct")',
      'pipeline("text-classification", model="org/clf")',
      'pipeline("text-classification", "org/positional")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unpinned-model-revision info "\\"bert-base-uncased\\""',
      'unpinned-model-revision info "\\"org/model\\""',
      'unpinned-model-revision info "\\"org/m2\\""',
      'unpinned-model-revision info "\\"imdb\\""',
      'unpinned-model-revision info "\\"deepseek-ai/DeepSeek-R1\\""',
      'unpinned-model-revision info "\\"meta-llama/Llama-3.1-8B-Instruct\\""',
      'unpinned-model-revision info "\\"org/clf\\""',
      'unpinned-model-revision info "\\"org/positional\\""',
    ]);
  });

  it('covers sentence-transformers and ignores a pipeline without a model', async () => {
    const src = 'from sentence_transformers import SentenceTransformer\nfrom transformers import pipeline\nm = SentenceTransformer("all-MiniLM-L6-v2")\np = pipeline("sentiment-analysis")\n';
    assert.deepEqual(await summary(src), ['unpinned-model-revision info "\\"all-MiniLM-L6-v2\\""']);
  });

  it('accepts 7-40 hex revisions, computed revisions, local paths and local-only loads', async () => {
    const src = [
      'from transformers import AutoModel',
      'from datasets import load_dataset',
      `AutoModel.from_pretrained("org/m", revision="${SHA}")`,
      'AutoModel.from_pretrained("org/m", revision="abc1234")',
      'AutoModel.from_pretrained("org/m", revision=REV)',
      'AutoModel.from_pretrained("./local_model")',
      'AutoModel.from_pretrained("../up")',
      'AutoModel.from_pretrained("/abs/path")',
      'AutoModel.from_pretrained("~/models/x")',
      'AutoModel.from_pretrained("C:\\\\models\\\\x")',
      'AutoModel.from_pretrained("runs/exp1/checkpoint-500")',
      'AutoModel.from_pretrained("org/m", local_files_only=True)',
      'load_dataset("csv", data_files="train.csv")',
      'model.from_pretrained("org/m")',
      '"AutoModel.from_pretrained(\'org/m\')"',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), []);
  });

  it('a 6-hex or 41-hex revision is not a commit sha', async () => {
    const s = await summary('from transformers import AutoModel\nAutoModel.from_pretrained("o/m", revision="abc123")\nAutoModel.from_pretrained("o/m", revision="' + SHA + 'a")\n');
    assert.equal(s.length, 2);
  });

  it('a computed model id is a low-confidence hint (it may be a local directory)', async () => {
    const [f] = await findings('from transformers import AutoModel\nAutoModel.from_pretrained(model_name)\n');
    assert.equal(f?.severity, 'hint');
    assert.equal(f?.confidence, 'low');
  });

  it('**kwargs lowers confidence', async () => {
    const [f] = await findings('from transformers import AutoModel\nAutoModel.from_pretrained("org/m", **kw)\n');
    assert.equal(f?.severity, 'hint');
    assert.equal(f?.confidence, 'low');
  });

  it('offers revision="<sha>" only when the Hub sha is known', async () => {
    const src = 'from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    "org/m",\n    torch_dtype="auto",\n)\n';
    const [f] = await findings(src);
    assert.deepEqual(f?.fixes?.map((x) => x.title), ['Ignore unpinned-model-revision on this line']);
    assert.equal(
      await fixed(src, 'unpinned-model-revision', /Pin revision/, { modelShas: new Map([['org/m', SHA]]) }),
      `from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    "org/m",\n    torch_dtype="auto",\n    revision="${SHA}",\n)\n`,
    );
    assert.equal(
      await fixed('from transformers import AutoModel\nAutoModel.from_pretrained("org/m", revision="main")\n', 'unpinned-model-revision', /Pin/, { modelShas: new Map([['org/m', SHA]]) }),
      `from transformers import AutoModel\nAutoModel.from_pretrained("org/m", revision="${SHA}")\n`,
    );
  });

  it('reports model references for the Hub look-ups (with literal revisions)', async () => {
    const src = `from transformers import AutoModel\nfrom peft import PeftModel\nAutoModel.from_pretrained("org/a")\nAutoModel.from_pretrained("org/b", revision="${SHA}")\nPeftModel.from_pretrained(base, "org/lora")\nAutoModel.from_pretrained("./local")\n`;
    const { modelRefs } = await analyzePython(src, {});
    assert.deepEqual(
      modelRefs.map((m) => [m.kind, m.kind === 'hub' ? m.id : m.path, src.slice(m.range.start, m.range.end), m.revision, m.call]),
      [
        ['hub', 'org/a', 'org/a', undefined, 'transformers.AutoModel.from_pretrained'],
        ['hub', 'org/b', 'org/b', SHA, 'transformers.AutoModel.from_pretrained'],
        ['hub', 'org/lora', 'org/lora', undefined, 'peft.PeftModel.from_pretrained'],
        ['local', './local', './local', undefined, 'transformers.AutoModel.from_pretrained'],
      ],
    );
  });
});

describe('unpinned-model-revision: LangChain embeddings', () => {
  it('flags HuggingFaceEmbeddings(model_name=...) unless model_kwargs pins a commit', async () => {
    const src = [
      'from langchain_community.embeddings import HuggingFaceEmbeddings',
      'from langchain_huggingface import HuggingFaceEmbeddings as HFE',
      'a = HuggingFaceEmbeddings(model_name="sentence-transformers/all-MiniLM-L6-v2")',
      'b = HFE(model_name="BAAI/bge-small-en", model_kwargs={"revision": "0123456789abcdef0123456789abcdef01234567"})',
      'c = HFE(model_name="BAAI/bge-small-en", model_kwargs={"revision": "main"})',
      'd = HFE(model_name="./local-embeddings")',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'unpinned-model-revision info "\\"sentence-transformers/all-MiniLM-L6-v2\\""',
      'unpinned-model-revision info "\\"BAAI/bge-small-en\\""',
    ]);
  });
});
