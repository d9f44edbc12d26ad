// Reusing the findings of unchanged top-level statements between edits gives exactly what a fresh
// analysis gives: random edit sequences over code with aliases, locals, same-line statements,
// suppressions, classes, decorators and unfinished syntax, compared after every edit.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeNotebookCells, analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { forgetChunks } from '../../../server/src/engine/chunkReuse';
import { chunkOptions, topLevelSpans } from '../../../server/src/python/chunks';
import { initPython, parsePythonNow, PythonParseCache } from '../../../server/src/python/parser';

const BASE = [
  'import torch',
  'import pickle, yaml',
  'import numpy as np',
  'from transformers import AutoModel',
  'load = torch.load',
  'CFG = {"trust_remote_code": True}',
  '',
  'def a(p):',
  '    return torch.load(p)',
  '',
  'def b(p):',
  '    load = pickle.load',
  '    x = load(open(p, "rb")); y = yaml.load(p)',
  '    return x, y',
  '',
  'x = load("m.pt"); y = np.load("a.npy", allow_pickle=True)',
  '# aidr: ignore[unsafe-torch-load]',
  'z = torch.load("w.pt")',
  '',
  '@decorator',
  'class M:',
  '    def f(self):',
  '        return AutoModel.from_pretrained("org/model", **CFG)',
  '',
  'm = AutoModel.from_pretrained("org/other", trust_remote_code=True)',
  '',
  'if __name__ == "__main__":',
  '    path = "w.pt"',
  '    w = torch.load(path)',
  '    for i in range(3):',
  '        v = pickle.loads(b); u = load(i)',
  '    else:',
  '        yaml.load(s)',
  '    try:',
  '        AutoModel.from_pretrained("org/m", revision="v1")',
  '    except ImportError as torch:',
  '        torch.load(p)',
  '    def inner(p):',
  '        load = yaml.load',
  '        return load(p)',
  '',
].join('\n');

/** Pieces an edit may insert: statements, half statements, renames of imports, comments. */
const PIECES = [
  'torch.load(p)\n',
  'load = yaml.load\n',
  'def c(q):\n    return load(q)\n',
  '    ',
  '(',
  ')',
  '"""',
  '# aidr: ignore\n',
  'import dill as pickle\n',
  'torch = None\n',
  'pickle.loads(b); ',
  'class N:\n    load = torch.load\n    def g(self, p):\n        return load(p)\n',
  'AutoModel.from_pretrained("org/x", revision="main")\n',
  '\r',
  '\n',
  ' ',
  'x',
];

type Edit = { at: number; del: number; piece: number };

function apply(text: string, e: Edit): string {
  const at = Math.floor(e.at * text.length);
  return text.slice(0, at) + PIECES[e.piece % PIECES.length] + text.slice(Math.min(text.length, at + e.del));
}

const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 12 }), piece: fc.nat() });

describe('chunk reuse between edits', () => {
  before(async () => {
    await initPython();
  });

  it('splits on whole lines, keeps same-line statements together, covers the text', () => {
    const text = 'import a\nx = 1; y = 2\n\ndef f():\n    pass\n# c\nz = 3';
    const parsed = parsePythonNow(text);
    try {
      const spans = topLevelSpans(parsed.tree, text);
      assert.equal(spans[0]![0], 0);
      assert.equal(spans[spans.length - 1]![1], text.length);
      for (let i = 1; i < spans.length; i++) assert.equal(spans[i]![0], spans[i - 1]![1]);
      const pieces = spans.map(([s, e]) => text.slice(s, e));
      assert.ok(pieces.includes('x = 1; y = 2\n\n'));
      for (const p of pieces.slice(1)) assert.equal(['\n', '\r'].includes(text[text.indexOf(p) - 1]!), true);
    } finally {
      parsed.tree.delete();
    }
  });

  for (const minSplit of [chunkOptions.minSplit, 1]) {
  it(`gives the findings and model references of a fresh analysis after every edit (compound statements split from ${minSplit} characters)`, async function () {
    this.timeout(120_000);
    const saved = chunkOptions.minSplit;
    chunkOptions.minSplit = minSplit;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 12 }), async (edits) => {
        const cache = new PythonParseCache();
        const key = `file:///reuse-${run++}.py`;
        let text = BASE;
        try {
          for (const e of [undefined, ...edits]) {
            if (e) text = apply(text, e);
            const reused = await analyzePython(text, { cache, cacheKey: key });
            const fresh = await analyzePython(text);
            assert.deepEqual(reused.findings, fresh.findings);
            assert.deepEqual(reused.modelRefs, fresh.modelRefs);
          }
        } finally {
          cache.delete(key);
          forgetChunks(key);
        }
      }),
      { numRuns: 150, seed: 20261201 + minSplit },
    ).finally(() => {
      chunkOptions.minSplit = saved;
    });
  });
  }

  it('splits large module-level compound statements into their statements, never a function body', () => {
    const saved = chunkOptions.minSplit;
    chunkOptions.minSplit = 1;
    const text = ['class C:', '    x = 1', '    def f(self):', '        a = 1', '        b = 2', 'if t:', '    y = 2', 'else:', '    z = 3', ''].join('\n');
    const parsed = parsePythonNow(text);
    try {
      const pieces = topLevelSpans(parsed.tree, text).map(([s, e]) => text.slice(s, e));
      assert.deepEqual(pieces, ['class C:\n', '    x = 1\n', '    def f(self):\n        a = 1\n        b = 2\n', 'if t:\n', '    y = 2\nelse:\n', '    z = 3\n']);
    } finally {
      chunkOptions.minSplit = saved;
      parsed.tree.delete();
    }
  });

  it('follows a change of imports into statements whose text did not change', async () => {
    const cache = new PythonParseCache();
    const key = 'file:///imports.py';
    const body = '\ndef f(p):\n    return load(p)\n';
    const first = await analyzePython(`from torch import load${body}`, { cache, cacheKey: key });
    assert.ok(first.findings.map((f) => f.rule).includes('unsafe-torch-load'));
    const second = await analyzePython(`from json import load${body}`, { cache, cacheKey: key });
    assert.deepEqual(second.findings, []);
    forgetChunks(key);
  });

  it('follows a change of installed versions into unchanged statements', async () => {
    const cache = new PythonParseCache();
    const key = 'file:///installed.py';
    const text = 'import torch\nm = torch.load("w.pt", weights_only=True)\n';
    const location = { uri: 'file:///requirements.txt', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } }, message: 'torch pinned here' };
    const old = await analyzePython(text, { cache, cacheKey: key, installed: new Map([['torch', { version: '2.4.0', location }]]) });
    const fixed = await analyzePython(text, { cache, cacheKey: key, installed: new Map([['torch', { version: '2.6.0', location }]]) });
    const freshOld = await analyzePython(text, { installed: new Map([['torch', { version: '2.4.0', location }]]) });
    assert.deepEqual(old.findings, freshOld.findings);
    assert.ok(old.findings.length > 0);
    assert.deepEqual(fixed.findings, (await analyzePython(text, { installed: new Map([['torch', { version: '2.6.0', location }]]) })).findings);
    assert.notDeepEqual(fixed.findings, old.findings);
    forgetChunks(key);
  });

  it('hands out fresh objects: changing one result never changes the next analysis', async () => {
    const cache = new PythonParseCache();
    const key = 'file:///fresh.py';
    const text = 'import torch\nm = torch.load("w.pt")\n';
    const one = await analyzePython(text, { cache, cacheKey: key });
    one.findings[0]!.message = 'changed';
    one.findings[0]!.range.start = 999;
    one.findings[0]!.fixes![0]!.edits[0]!.newText = 'changed';
    const two = await analyzePython(text, { cache, cacheKey: key });
    assert.deepEqual(two.findings, (await analyzePython(text)).findings);
    forgetChunks(key);
  });

  it('reuses per notebook cell, with the namespace shared across cells', async () => {
    const cache = new PythonParseCache();
    const cells = (imp: string) => [
      { source: imp, key: 'nb#cell0' },
      { source: 'x = load("a.pt")\ny = 1\n', key: 'nb#cell1' },
    ];
    const a = await analyzeNotebookCells(cells('from torch import load\n'), { cache });
    assert.deepEqual(a.findings.map((f) => f.cell), [1]);
    const b = await analyzeNotebookCells(cells('from json import load\n'), { cache });
    assert.deepEqual(b.findings, []);
    forgetChunks('nb', 'nb#cell');
  });
});
