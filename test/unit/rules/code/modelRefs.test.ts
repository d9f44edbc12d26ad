// Model references for the inventory: Hub repositories (with revision and whether it is a commit)
// and local files/folders named by literal paths, folded and resolved against the file or the
// working directory, each with the loader's canonical name, the call's range and the rules that
// flagged it. Also: path expressions are local, so they are never unpinned Hub downloads.
import assert from 'node:assert/strict';
import { analyzePython } from '../../../../server/src/engine/pythonAnalysis';
import { summary } from './harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

async function refs(src: string): Promise<string[]> {
  const { modelRefs } = await analyzePython(src, {});
  return modelRefs.map((m) =>
    m.kind === 'hub'
      ? `hub ${m.id}${m.revision ? `@${m.revision.slice(0, 8)}` : ''}${m.isCommitSha ? ' sha' : ''} ${m.call} [${m.rules.join(',')}] ${src.slice(m.range.start, m.range.end)}`
      : `local ${m.base}:${m.path} ${m.call} [${m.rules.join(',')}]`,
  );
}

describe('model references', () => {
  it('Hub ids in every syntax, with revisions', async () => {
    const src = [
      'import timm, open_clip, keras',
      'from transformers import AutoModel',
      'from diffusers import StableDiffusionPipeline',
      'from llama_cpp import Llama',
      `AutoModel.from_pretrained("org/a", revision="${SHA}")`,
      'timm.create_model("hf-hub:org/b@v1", pretrained=True)',
      'open_clip.create_model_and_transforms("hf-hub:org/c")',
      'keras.saving.load_model("hf://org/d")',
      'StableDiffusionPipeline.from_single_file("https://huggingface.co/org/e/blob/main/m.safetensors")',
      'Llama.from_pretrained(repo_id="org/f", filename="*q4*.gguf")',
      '',
    ].join('\n');
    assert.deepEqual(await refs(src), [
      `hub org/a@01234567 sha transformers.AutoModel.from_pretrained [] org/a`,
      'hub org/b@v1 timm.create_model [unpinned-model-revision] org/b',
      'hub org/c open_clip.create_model_and_transforms [unpinned-model-revision] org/c',
      'hub org/d keras.saving.load_model [unpinned-model-revision] org/d',
      'hub org/e@main diffusers.StableDiffusionPipeline.from_single_file [unpinned-model-revision] org/e',
      'hub org/f llama_cpp.Llama.from_pretrained [unpinned-model-revision] org/f',
    ]);
  });

  it('local files: literals as written, joins folded, __file__-relative paths against the file', async () => {
    const src = [
      'import os, joblib, torch, pickle, keras',
      'from pathlib import Path',
      'from transformers import AutoModel',
      'import numpy as np',
      'from safetensors.torch import load_file',
      'HERE = Path(__file__).parent',
      'joblib.load("models/clf.pkl")',
      'torch.load(os.path.join("models", "net.pt"), weights_only=True)',
      'AutoModel.from_pretrained(HERE / "weights" / "bert")',
      'keras.models.load_model(os.path.join(os.path.dirname(__file__), "..", "m.keras"))',
      'np.load(Path("data") / "x.npy")',
      'load_file("w.safetensors")',
      'pickle.load(open("p.pkl", "rb"))',
      'AutoModel.from_pretrained(os.path.expanduser("~/models/x"))',
      'AutoModel.from_pretrained(os.path.join(base, "x"))',
      '',
    ].join('\n');
    assert.deepEqual(await refs(src), [
      'local cwd:models/clf.pkl joblib.load [pickle-deserialization]',
      'local cwd:models/net.pt torch.load []',
      'local file:weights/bert transformers.AutoModel.from_pretrained []',
      'local file:../m.keras keras.models.load_model []',
      'local cwd:data/x.npy numpy.load []',
      'local cwd:w.safetensors safetensors.torch.load_file []',
    ]);
  });

  it('carries the call range, so a finding about the model file can be shown on the call', async () => {
    const src = 'import joblib\nclf = joblib.load(\n    "models/clf.pkl",\n)\n';
    const { modelRefs } = await analyzePython(src, {});
    assert.equal(modelRefs.length, 1);
    const m = modelRefs[0]!;
    assert.equal(src.slice(m.callRange.start, m.callRange.end), 'joblib.load(\n    "models/clf.pkl",\n)');
    assert.equal(src.slice(m.range.start, m.range.end), 'models/clf.pkl');
  });
});

describe('unpinned-model-revision: local paths are not Hub ids', () => {
  it('no finding for path expressions, tempfile dirs, f-strings of local dirs, or a download result', async () => {
    const src = [
      'import os, tempfile',
      'from pathlib import Path',
      'from transformers import AutoModel',
      'from huggingface_hub import hf_hub_download, snapshot_download',
      'MODEL_DIR = "./models"',
      'AutoModel.from_pretrained(os.path.join("models", "bert"))',
      'AutoModel.from_pretrained(Path(__file__).parent / "bert")',
      'AutoModel.from_pretrained(Path.home() / "bert")',
      'AutoModel.from_pretrained(os.path.expanduser("~/bert"))',
      'AutoModel.from_pretrained(tempfile.mkdtemp())',
      'AutoModel.from_pretrained(f"{MODEL_DIR}/bert")',
      'AutoModel.from_pretrained(f"./checkpoints/{step}")',
      `p = hf_hub_download("org/a", "config.json", revision="${SHA}")`,
      'AutoModel.from_pretrained(os.path.dirname(p))',
      `d = snapshot_download("org/b", revision="${SHA}")`,
      'AutoModel.from_pretrained(d)',
      'def train(out):',
      '    ckpt = os.path.join(out, "best")',
      '    return AutoModel.from_pretrained(ckpt)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), []);
  });

  it('still reports a computed id that could be a Hub id (hint), and an f-string Hub id', async () => {
    const src = ['from transformers import AutoModel', 'AutoModel.from_pretrained(model_name)', 'AutoModel.from_pretrained(f"{org}/{name}")', ''].join('\n');
    assert.deepEqual(await summary(src), ['unpinned-model-revision hint "AutoModel.from_pretrained"', 'unpinned-model-revision hint "AutoModel.from_pretrained"']);
  });

  it('a model-file name is a file, not a repository', async () => {
    assert.deepEqual(await summary('from transformers import AutoModel\nAutoModel.from_pretrained("models/model.safetensors")\n'), []);
  });
});
