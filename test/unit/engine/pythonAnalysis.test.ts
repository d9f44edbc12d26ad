import assert from 'node:assert/strict';
import { analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { PythonParseCache } from '../../../server/src/python/parser';
import { CODE_RULES } from '../../../server/src/rules/code/index';

function flagged(text: string, fs: { range: { start: number; end: number }; rule: string }[]): string[] {
  return fs.map((f) => `${f.rule}:${text.slice(f.range.start, f.range.end)}`);
}

describe('analyzePython (facade)', () => {
  it('keeps ranges right across edits with the parse cache (reused facts are shifted)', async () => {
    const cache = new PythonParseCache();
    const ctx = { cache, cacheKey: 'file:///m.py' };
    const v1 = 'import torch\nx = torch.load(p, weights_only=False)\n';
    assert.deepEqual(flagged(v1, (await analyzePython(v1, ctx)).findings), ['unsafe-torch-load:weights_only=False']);
    const v2 = 'import torch\n# a comment that shifts everything\n\nx = torch.load(p, weights_only=False)\n';
    const r2 = await analyzePython(v2, ctx);
    assert.deepEqual(flagged(v2, r2.findings), ['unsafe-torch-load:weights_only=False']);
    // The fix edit is shifted too.
    const e = r2.findings[0]!.fixes![0]!.edits[0]!;
    assert.equal(v2.slice(e.range.start, e.range.end), 'False');
    // Changing the import changes the meaning of the same call text.
    const v3 = 'import numpy as torch\n# a comment that shifts everything\n\nx = torch.load(p, weights_only=False)\n';
    assert.deepEqual((await analyzePython(v3, ctx)).findings, []);
    const v4 = v1.replace('weights_only=False', 'weights_only=True');
    assert.deepEqual((await analyzePython(v4, ctx)).findings, []);
    cache.clear();
  });

  it('handles non-ASCII text before calls (offsets are UTF-16 code units)', async () => {
    const text = 'import pickle\ns = "héllo 😀"\nobj = pickle.loads(b)\n';
    assert.deepEqual(flagged(text, (await analyzePython(text)).findings), ['pickle-deserialization:pickle.loads']);
  });

  it('does not crash on broken or empty code', async () => {
    assert.deepEqual((await analyzePython('')).findings, []);
    const broken = 'import torch\ndef f(:\n    torch.load(p\n';
    const r = await analyzePython(broken);
    assert.ok(Array.isArray(r.findings));
    assert.deepEqual((await analyzePython('torch.load(\x00)')).findings, []);
  });

  it('never throws on truncated or mangled code (every prefix and a shuffled variant)', async () => {
    const src = [
      'import torch, yaml as Y',
      'from transformers import AutoModel',
      'm = AutoModel.from_pretrained(',
      '    "org/m",  # comment',
      '    trust_remote_code=True,',
      ')',
      's = Y.load(open("c.yml"), Loader=Y.FullLoader)',
      'x = torch.load(f"{p}", weights_only=False, **kw)',
      '',
    ].join('\n');
    let seen = 0;
    for (let cut = 0; cut <= src.length; cut += 3) {
      const r = await analyzePython(src.slice(0, cut));
      seen += r.findings.length;
      for (const f of r.findings) assert.ok(f.range.start >= 0 && f.range.end <= cut);
    }
    assert.ok(seen > 0);
    const mangled = src.split('').reverse().join('') + src.replace(/\(/g, '[');
    await analyzePython(mangled);
  });

  it('runs only the rules it is given', async () => {
    const text = 'import torch, pickle\ntorch.load(p)\npickle.loads(b)\n';
    const only = CODE_RULES.filter((r) => r.id === 'pickle-deserialization');
    assert.deepEqual(flagged(text, (await analyzePython(text, { rules: only })).findings), ['pickle-deserialization:pickle.loads']);
  });

  it('every finding carries the suppression fix last', async () => {
    const text = 'import torch, yaml\ntorch.load(p)\nyaml.load(s)\n';
    const { findings } = await analyzePython(text);
    assert.equal(findings.length, 2);
    for (const f of findings) assert.equal(f.fixes!.at(-1)!.title, `Ignore ${f.rule} on this line`);
  });
});
