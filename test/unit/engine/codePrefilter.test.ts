// The literal pre-filter must never hide a finding: every fixture and corpus file with a finding
// or a model reference passes it, so does every generated file (valid or broken imports) the
// analysis finds something in, and the words come from the rule registry. It answers the same on a
// text and on its UTF-8 bytes, and passes nothing the plain word test would not.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { codePrefilter, collect, regexPrefilter, triggerWords } from '../../../server/src/engine/codePrefilter';
import { analyzeNotebookCells, analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { parseNotebook } from '../../../server/src/python/notebook';
import { CODE_RULES } from '../../../server/src/rules/code/index';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(py|ipynb)$/.test(n) ? [p] : [];
  });
}

describe('code pre-filter', () => {
  const mayFire = codePrefilter(CODE_RULES);

  it('takes its words from the rules: module roots, any-receiver methods, keywords, other spellings', () => {
    const words = triggerWords(CODE_RULES);
    for (const w of ['torch', 'pickle', 'yaml', 'from_pretrained', 'trust_remote_code', 'cPickle', 'tensorflow', 'sklearn', 'ruamel']) assert.ok(words.includes(w), w);
    assert.ok(!words.includes('load'), 'a bare method name of a known module is not a word: json.load files are skipped');
  });

  it('never skips a fixture or corpus file that has a finding or a model reference', async () => {
    const all = files(FIXTURES);
    assert.ok(all.length > 20, 'the corpus is there');
    let withFindings = 0;
    for (const f of all) {
      const text = readFileSync(f, 'utf8');
      const r = f.endsWith('.ipynb')
        ? await analyzeNotebookCells(parseNotebook(text).cells.map((c) => ({ source: c.source, kind: c.kind })))
        : await analyzePython(text);
      const joined = f.endsWith('.ipynb') ? parseNotebook(text).cells.map((c) => c.source).join('\n') : text;
      if (r.findings.length || r.modelRefs.length) {
        withFindings++;
        assert.ok(mayFire(joined), `${path.relative(FIXTURES, f)} has findings but would be skipped`);
      }
    }
    assert.ok(withFindings > 10);
  });

  it('passes other spellings and skips files that cannot match', () => {
    assert.ok(mayFire('import cPickle\ncPickle.loads(b)\n'));
    assert.ok(mayFire('import tensorflow as tf\ntf.keras.models.load_model("m.h5")\n'));
    assert.ok(mayFire('from ruamel.yaml import YAML\nYAML(typ="unsafe")\n'));
    assert.ok(mayFire('m = AutoThing.from_pretrained("org/x")\n'));
    assert.ok(!mayFire('import json\nwith open("a") as f:\n    data = json.load(f)\n'));
    // Environment writes matter only for the switches the catalog knows; downloads only over http.
    assert.ok(mayFire('import os\nos.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "1"\n'));
    assert.ok(!mayFire('import os\nos.environ["HOME"] = "/tmp"\npath = os.path.join("a", "b")\n'));
    assert.ok(mayFire('import requests\nr = requests.get("http://example.com/model.bin")\n'));
    assert.ok(!mayFire('import requests\nr = requests.get("https://api.example.com/v1")\n'));
    assert.ok(!mayFire('# see http://example.com\nx = 1\n'), 'http alone, without a client, is not enough');
    assert.ok(!mayFire('import requests\nr = requests.get("http://example.com/api")\n'), 'an http URL that names no model file');
    // A module root needs one of its loaders' names: `import evaluate` alone, or `torch` in prose, is not enough.
    assert.ok(!mayFire('from packaging.markers import Marker\nMarker(m).evaluate()\nimport torch  # only the tensor API\nt = torch.zeros(3)\n'));
    assert.ok(mayFire('from pickle import loads as l\nx = l(b)\n'));
    assert.ok(mayFire('import evaluate\nm = evaluate.load("org/metric")\n'));
    assert.ok(!mayFire(''));
  });

  it('passes fastai load_learner (its name follows a star in the catalog)', async () => {
    const t = 'from fastai.learner import load_learner\nlearn = load_learner("export.pkl")\n';
    assert.ok((await analyzePython(t)).findings.length > 0);
    assert.ok(mayFire(t));
  });

  it('counts a module only where it is imported: mentions in prose, strings or attributes do not', () => {
    assert.ok(!mayFire('"""Works with numpy arrays."""\nimport json\ndata = json.load(f)\n'));
    assert.ok(!mayFire('# see the requests docs: http://example.com/x.bin\nimport os\nresolve(path)\n'));
    assert.ok(!mayFire('aliases = ["numpy"]\nx = spec.load()\n'));
    assert.ok(!mayFire('marker.evaluate()\nconfig.load()\n'));
    assert.ok(mayFire('import numpy as np\nx = np.load(p)\n'));
    assert.ok(mayFire('from yaml import load\n'));
    assert.ok(mayFire('import os, \\\n    pickle\nx = pickle.loads(b)\n'));
  });

  it('passes model downloads over http however the URL is written, and not other requests', async () => {
    const urls = ['"http://h/m.bin"', '"HTTP://H/M.BIN"', '"http://h/org/x/resolve/main/w"', '"http://h/org/x/" "resolve/main/w"', '"http:" "//h/m.pt"', '"http://h/m" ".bin"', 'U'];
    for (const u of urls) {
      const t = `import requests\nU = "http://h/org/x/resolve/main/w"\nrequests.get(${u})\n`;
      assert.ok((await analyzePython(t)).findings.length > 0, u);
      assert.ok(mayFire(t), u);
    }
    assert.ok(!mayFire('import requests\nr = requests.get("http://h/api/v1/resolve?x=1")\np = Path(x).resolve()\n'), 'a resolve that is no URL path segment');
    assert.ok(!mayFire('import requests\nr = requests.get("https://h/m.bin")\n'));
  });

  it('never skips a generated file the analysis finds something in, valid imports or broken', async function () {
    this.timeout(120_000);
    // Import statements of every form, with junk spliced in where tree-sitter then repairs them.
    const junk = ['.', ',', '(', ')', '[', '#', '# c', '$', ':', ';', '=', '"', "'", '\\', '\n', '\n\n', ' ', '\t', '\r\n', '\\\n', 'if', 'return', '1', '0x1f', '*', 'é', '\u00a0', '\f', 'x', 'as', 'import', 'from', '\r', '"""', 'lambda', '\v', '\u0001', '\u0085', '\u200b', '\u2028'];
    const gap = fc.oneof(fc.constant(' '), fc.array(fc.constantFrom(...junk), { maxLength: 5 }).map((j) => j.join(' ')));
    const form = fc.tuple(gap, gap, gap, gap, fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7)).map(
      ([a, b, c, d, k]) =>
        [
          `${a}import${b}pickle${c}\nx = pickle.loads(b)\n`,
          `${a}from${b}pickle${c}import${d}loads\nx = loads(b)\n`,
          `${a}import${b}os${c},${d}torch\ntorch.load(p)\n`,
          `${a}import x as y${b},${c}yaml${d}\nyaml.load(s)\n`,
          `${a}import${b}tensorflow as tf${c}\ntf.keras.models.load_model("m.h5", safe_mode=False)\n`,
          `${a}import${b}requests${c}\nrequests.get("http://h/m.bin")\n`,
          `${a}from${b}sklearn.externals${c}import${d}joblib\njoblib.load(p)\n`,
          `${a}import${b}urllib.request${c}\nurllib.request.urlretrieve("HTTP://h/o/x/" "resolve/main/w", f)\n`,
        ][k]!,
    );
    let found = 0;
    await fc.assert(
      fc.asyncProperty(form, async (t) => {
        const r = await analyzePython(t);
        if (!r.findings.length && !r.modelRefs.length) return;
        found++;
        assert.ok(mayFire(t) && mayFire(Buffer.from(t, 'utf8')), JSON.stringify(t));
      }),
      { numRuns: 3000, seed: 20251201 },
    );
    assert.ok(found > 300, `only ${found} generated files had findings`);
  });

  it('answers the same on the bytes, and passes nothing the word-only test would not (but numbers glued to names)', () => {
    const old = regexPrefilter(collect(CODE_RULES));
    const piece = fc.constantFrom('import ', 'from ', ' as ', 'pickle', 'loads', 'torch', 'load', 'os', 'environ', 'HF_ENDPOINT', 'requests', 'http', 'bin', 'from_pretrained', '\n', ' ', ',', '#', '"', '(', ')', '\\', '1', 'é', '.', '=');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (parts) => {
        const t = parts.join('');
        const a = mayFire(t);
        assert.equal(mayFire(Buffer.from(t, 'utf8')), a);
        // Only a number glued to a name (`1pickle`, which tree-sitter splits) is read more closely.
        if (a && !/[0-9][A-Za-z_]/.test(t)) assert.ok(old(t), JSON.stringify(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('stays linear on hostile text (near-miss words, one huge identifier)', () => {
    for (const t of ['torc '.repeat(400_000), 'a_'.repeat(1_000_000), 'from_pretraine'.repeat(100_000), '(torchx '.repeat(300_000)]) {
      assert.equal(mayFire(t), false);
    }
    assert.ok(mayFire('x '.repeat(1_000_000) + 'import torch\nm = torch.load(p)'));
    assert.ok(!mayFire('torch '.repeat(300_000)), 'a module named over and over, never a loader');
    // Modules and their names everywhere, import lines that carry on and on, numbers glued to words.
    assert.ok(!mayFire('pickle loads '.repeat(200_000)));
    assert.ok(!mayFire('import (\n'.repeat(100_000) + 'x\n' + 'pickle loads '.repeat(100_000) + '\nx'));
    assert.ok(mayFire(Buffer.from('1from 0x1fpickle loads '.repeat(100_000))), 'glued to numbers, tree-sitter still reads them');
    assert.ok(mayFire(Buffer.from('import os\n' + 'x '.repeat(1_000_000) + 'import pickle\npickle.loads(b)\n')));
  });
});
