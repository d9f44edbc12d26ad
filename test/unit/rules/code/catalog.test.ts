// Every catalog entry, through the whole analysis: a call that should be flagged by the entry's
// rule is, and a close look-alike is not (a safe flag, a pinned revision, a local path, or the
// module hidden by a function parameter). The cases are built from the entry itself, so a new
// entry without a working case fails here.
import assert from 'node:assert/strict';
import type { CatalogEntry } from '../../../../server/src/rules/code/catalog/index';
import { CATALOG, ENV_SWITCHES } from '../../../../server/src/rules/code/catalog/index';
import { findings } from './harness';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** A concrete name for a pattern (`transformers.*.from_pretrained` -> `transformers.AutoModel.from_pretrained`). */
function concrete(api: string): string {
  return api
    .replace(/^\*\./, 'somelib.Model.')
    .replace('statsmodels.*.load', 'statsmodels.regression.linear_model.OLSResults.load')
    .replace('gensim.*.load', 'gensim.models.Word2Vec.load')
    .replace('fastai.*load_learner', 'fastai.learner.load_learner')
    .replace('peft.PeftModel*', 'peft.PeftModelForCausalLM')
    .replace('llama_index.core.objects.*.', 'llama_index.core.objects.ObjectIndex.')
    .replace('keras_hub.*.', 'keras_hub.models.Backbone.')
    .replace('ctransformers.*.', 'ctransformers.AutoModelForCausalLM.')
    .replace(/\.\*\(\)\./, '.Model.from_pretrained("./base").')
    .replace(/\.\*\./, '.AutoModel.');
}

/** Source that calls `api` with `args`: an import of its root, then the call. */
function call(api: string, args: string): { src: string; root: string } {
  const name = concrete(api);
  const root = name.split('.')[0]!;
  // `HfApi().hf_hub_download`: a call's result, written as written.
  const callee = name.replace('HfApi().', 'HfApi().').replace('HDFStore().', 'HDFStore("s.h5").');
  return { src: `import ${root}\nimport os\nresult = ${callee}(${args})\n`, root };
}

interface Case {
  positive: string;
  /** The safe form, when the API has one. */
  negative?: string;
}

function hubArgs(e: Extract<CatalogEntry, { rule: 'unpinned-model-revision' }>): Case {
  const forms = e.forms ?? ['plain'];
  const before = e.source.index === 1 ? 'base, ' : '';
  const kw = e.source.index === undefined ? `${e.source.keyword}=` : '';
  const extra = e.onlyIf ? ', pretrained=True' : e.api.startsWith('llama_cpp') ? ', filename="m.gguf"' : '';
  if (forms.includes('hf-hub-prefix')) {
    const pinned = e.revision?.length === 0 && e.api.startsWith('timm') ? `"hf-hub:org/name@${SHA}"` : '"./weights/model.pt"';
    return { positive: `${before}${kw}"hf-hub:org/name"${extra}`, negative: `${before}${kw}${pinned}${extra}` };
  }
  if (forms.includes('hf-scheme')) return { positive: `${before}${kw}"hf://org/name"${extra}`, negative: `${before}${kw}"models/local.keras"${extra}` };
  if (forms.includes('hf-url')) {
    return {
      positive: `${before}${kw}"https://huggingface.co/org/name/blob/main/m.safetensors"${extra}`,
      negative: `${before}${kw}"https://huggingface.co/org/name/blob/${SHA}/m.safetensors"${extra}`,
    };
  }
  const canPin = (e.revision ?? ['revision']).length > 0;
  return {
    positive: `${before}${kw}"org/name"${extra}`,
    negative: canPin ? `${before}${kw}"org/name"${extra}, revision="${SHA}"` : `${before}${kw}"./local/model"${extra}`,
  };
}

/** The positive and negative argument lists for an entry. */
function argsFor(e: CatalogEntry): Case | undefined {
  switch (e.rule) {
    case 'pickle-deserialization':
      if (e.onlyIf) return { positive: `"m.skops", trusted=True`, negative: `"m.skops", trusted=["sklearn.linear_model.LogisticRegression"]` };
      return e.dataArg !== undefined ? { positive: 'blob', negative: 'b"literal bytes"' } : { positive: '"data.bin"' };
    case 'unsafe-torch-load':
      if (e.globalsArg !== undefined) return { positive: '[os.system]', negative: '[MyConfig]' };
      if (e.onlyWith) return { positive: `"resnet50", ${e.onlyWith.keyword}="ckpt.pth"`, negative: '"resnet50"' };
      if (e.weightsOnly) {
        const before = e.source?.index === 1 ? 'model, ' : '';
        return { positive: `${before}"ckpt.pth"`, negative: `${before}"ckpt.pth", weights_only=True` };
      }
      return { positive: '"model.pt"' };
    case 'torch-hub-load':
      return { positive: '"owner/repo", "model"', negative: '"./repo", "model", source="local"' };
    case 'insecure-model-source':
      if (e.weightFiles?.[0]?.keyword === 'weight_name') return { positive: '"org/name", weight_name="w.bin"', negative: '"org/name", weight_name="w.safetensors"' };
      if (e.weightFiles) return { positive: '"./checkpoints/v1-5.ckpt"', negative: '"./checkpoints/v1-5.safetensors"' };
      if (e.urls?.[0]?.keyword === 'url' && e.urls[0].index === undefined) return { positive: '"resnet50", pretrained_cfg_overlay=dict(url="http://example.com/w.pth")', negative: '"resnet50", pretrained_cfg_overlay=dict(url="https://example.com/w.pth")' };
      if (e.urls?.[0]?.index === 1) return { positive: '"x.h5", "http://example.com/w.h5"', negative: '"x.h5", "https://example.com/w.h5"' };
      return { positive: '"http://example.com/models/w.pth"', negative: '"https://example.com/models/w.pth"' };
    case 'unpinned-model-revision':
      return hubArgs(e);
    case 'trust-remote-code':
      return e.when === 'community'
        ? { positive: '"someone/custom_metric"', negative: '"accuracy"' }
        : { positive: '"org/sd", custom_pipeline="lpw_stable_diffusion"', negative: '"org/sd", custom_pipeline="./my_pipeline.py"' };
    case 'unsafe-keras-load':
      if (e.severity) return { positive: e.source ? '"model_dir"' : '' };
      return { positive: '"model.keras", safe_mode=False', negative: '"model.keras", safe_mode=True' };
    case 'numpy-allow-pickle':
      return { positive: '"a.npy", allow_pickle=True', negative: '"a.npy", allow_pickle=False' };
    case 'dangerous-deserialization-flag':
      return { positive: 'text, allowed_objects="all"', negative: 'text' };
    default:
      return undefined;
  }
}

async function rulesOf(src: string, rule: string): Promise<string[]> {
  return (await findings(src)).filter((f) => f.rule === rule).map((f) => `${f.severity} ${src.slice(f.range.start, f.range.end)}`);
}

describe('loader catalog: every entry', () => {
  it('has at least forty loaders, each with its rule and a documentation link', () => {
    assert.ok(new Set(CATALOG.map((e) => e.api)).size >= 40);
    for (const e of CATALOG) assert.match(e.doc, /^https:\/\//, e.api);
  });

  for (const e of CATALOG) {
    it(`${e.rule}: ${e.api}`, async () => {
      const c = argsFor(e);
      assert.ok(c, `no case for ${e.rule} ${e.api}`);
      const pos = call(e.api, c.positive);
      const flagged = await rulesOf(pos.src, e.rule);
      assert.ok(flagged.length > 0, `not flagged:\n${pos.src}`);
      if (c.negative !== undefined) {
        const neg = call(e.api, c.negative);
        assert.deepEqual(await rulesOf(neg.src, e.rule), [], `flagged:\n${neg.src}`);
      }
      // The same call text where a parameter hides the module is never the library's.
      const hidden = `def f(${pos.root}, blob, text, model, base, os):\n    return ${pos.src.split('result = ')[1]!.trim()}\n`;
      assert.deepEqual(await rulesOf(hidden, e.rule), [], `flagged through a parameter:\n${hidden}`);
      // And the call written in a string or a comment is not a call.
      const quoted = `import ${pos.root}\ns = "${pos.src.split('result = ')[1]!.trim().replace(/"/g, "'")}"\n# ${pos.src.split('result = ')[1]!.trim()}\n`;
      assert.deepEqual(await rulesOf(quoted, e.rule), [], `flagged in a string:\n${quoted}`);
    });
  }

  for (const sw of ENV_SWITCHES) {
    it(`${sw.rule}: environment ${sw.variable}`, async () => {
      const on = sw.dangerous === 'http' ? '"http://mirror.example.org"' : '"1"';
      const off = sw.dangerous === 'http' ? '"https://mirror.example.org"' : '"0"';
      for (const set of [`os.environ["${sw.variable}"] = ${on}`, `os.environ.setdefault("${sw.variable}", ${on})`, `os.putenv("${sw.variable}", ${on})`, `os.environ.update({"${sw.variable}": ${on}})`, `os.environ.update(${sw.variable}=${on})`]) {
        assert.equal((await rulesOf(`import os\n${set}\n`, sw.rule)).length, 1, set);
        assert.deepEqual(await rulesOf(`import os\n${set.replace(on, off)}\n`, sw.rule), [], set.replace(on, off));
      }
      // `from os import environ`; a dict named environ that is not os.environ is not the process.
      assert.equal((await rulesOf(`from os import environ\nenviron["${sw.variable}"] = ${on}\n`, sw.rule)).length, 1);
      assert.deepEqual(await rulesOf(`environ = {}\nenviron["${sw.variable}"] = ${on}\n`, sw.rule), []);
      assert.deepEqual(await rulesOf(`import os\nprint("os.environ['${sw.variable}'] = ${on.replace(/"/g, '')}")\n`, sw.rule), []);
    });
  }
});
