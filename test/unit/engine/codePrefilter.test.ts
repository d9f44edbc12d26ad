// The literal pre-filter must never hide a finding: every fixture and corpus file with a finding
// or a model reference passes it, and the words come from the rule registry.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { codePrefilter, triggerWords } from '../../../server/src/engine/codePrefilter';
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
    assert.ok(!mayFire(''));
  });

  it('stays linear on hostile text (near-miss words, one huge identifier)', () => {
    for (const t of ['torc '.repeat(400_000), 'a_'.repeat(1_000_000), 'from_pretraine'.repeat(100_000), '(torchx '.repeat(300_000)]) {
      assert.equal(mayFire(t), false);
    }
    assert.ok(mayFire('x '.repeat(1_000_000) + 'import torch'));
  });
});
