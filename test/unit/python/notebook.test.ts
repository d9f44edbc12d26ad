import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeNotebookCells, analyzeNotebookText } from '../../../server/src/engine/pythonAnalysis';
import { blankMagics, parseNotebook, timedStatementStart } from '../../../server/src/python/notebook';
import { PythonParseCache } from '../../../server/src/python/parser';

const FIXTURE = readFileSync(path.join(__dirname, '../../fixtures/python/model-loading.ipynb'), 'utf8');

describe('notebooks', () => {
  describe('parseNotebook', () => {
    it('reads cells with string or array sources, keeping their indexes and kinds', () => {
      const nb = parseNotebook(FIXTURE);
      assert.deepEqual(nb.problems, []);
      assert.deepEqual(
        nb.cells.map((c) => [c.index, c.kind]),
        [[0, 'code'], [1, 'markdown'], [2, 'code'], [3, 'code'], [4, 'code'], [5, 'raw']],
      );
      assert.equal(nb.cells[0]!.source, '%pip install torch==2.5.1 transformers\nimport torch\nfrom transformers import AutoModel\n');
      assert.equal(nb.cells[4]!.source, '%%time\nsafe = torch.load(p, weights_only=True)\n');
    });

    it('malformed input becomes a problem, never a throw', () => {
      assert.match(parseNotebook('{"cells": [').problems[0]!.message, /JSON/);
      assert.match(parseNotebook('[]').problems[0]!.message, /cells/);
      const odd = parseNotebook('{"cells": [{"cell_type": "code", "source": 3}, null, {"cell_type": "code", "source": ["x = 1"]}]}');
      assert.equal(odd.problems.length, 2);
      assert.deepEqual(odd.cells.map((c) => c.kind), ['raw', 'raw', 'code']);
    });
  });

  describe('blankMagics', () => {
    it('blanks line magics, shell escapes and captured shell output, keeping lengths', () => {
      const src = '%matplotlib inline\n!pip install x \\\n    y\nfiles = !ls\nimport torch\n  %who torch.load(p)\n';
      const out = blankMagics(src);
      assert.equal(out.length, src.length);
      assert.equal(out.split('\n').map((l) => l.trim()).join('|'), '||||import torch||');
    });

    it('keeps the Python statement after %time, %timeit (with options), %prun and %memit', () => {
      const src = '%time x = torch.load(p)\n  %timeit -n 10 -r3 torch.load(p)\n%prun f(x)\n%timeit\n%timer x\n';
      const out = blankMagics(src);
      assert.equal(out.length, src.length);
      assert.deepEqual(out.split('\n').map((l) => l.trim()), ['x = torch.load(p)', 'torch.load(p)', 'f(x)', '', '', '']);
    });

    it('blanks non-Python cell magics entirely but keeps Python ones', () => {
      assert.equal(blankMagics('%%bash\necho torch.load\n').trim(), '');
      assert.equal(blankMagics('%%time\nx = 1\n'), '      \nx = 1\n');
    });
  });

  it('analyses cells as one namespace: an import in cell 0 resolves torch.load in cell 3', async () => {
    const r = await analyzeNotebookText(FIXTURE);
    const cells = parseNotebook(FIXTURE).cells;
    const shown = r.findings.map((f) => [f.cell, f.rule, f.severity, cells[f.cell!]!.source.slice(f.range.start, f.range.end)]);
    // `%time state = torch.load(...)` is a timed Python statement, so it is analysed too.
    assert.deepEqual(shown, [
      [3, 'unsafe-torch-load', 'warning', 'torch.load'],
      [3, 'unsafe-torch-load', 'warning', 'torch.load'],
      [3, 'trust-remote-code', 'warning', 'trust_remote_code=True'],
      [3, 'unpinned-model-revision', 'info', '"org/model"'],
    ]);
    assert.deepEqual(r.modelRefs.map((m) => [m.cell, m.id]), [[3, 'org/model']]);
  });

  it('fix edits are relative to the cell', async () => {
    const cells = [{ source: 'import torch\n' }, { source: '\nx = torch.load(p)\n' }];
    const r = await analyzeNotebookCells(cells);
    const f = r.findings[0]!;
    assert.equal(f.cell, 1);
    const e = f.fixes![0]!.edits[0]!;
    const src = cells[1]!.source;
    assert.equal(src.slice(0, e.range.start) + e.newText + src.slice(e.range.end), '\nx = torch.load(p, weights_only=True)\n');
  });

  it('the notebook installs feed the version join', async () => {
    const installed = new Map([['torch', { version: '2.5.1' }]]);
    const r = await analyzeNotebookCells([{ source: 'import torch' }, { source: 'torch.load(p, weights_only=True)' }], { installed });
    assert.deepEqual(r.findings.map((f) => [f.cell, f.severity]), [[1, 'error']]);
  });

  it('without the import no cell is flagged; LSP cells with keys use the parse cache', async () => {
    const cache = new PythonParseCache();
    const cells = [
      { source: 'x = 1', key: 'cell-a' },
      { source: 'torch.load(p)', key: 'cell-b' },
      { source: '# note', kind: 'markdown' as const, key: 'cell-c' },
    ];
    assert.deepEqual((await analyzeNotebookCells(cells, { cache })).findings, []);
    assert.equal(cache.size, 2);
    cells[0]!.source = 'import torch';
    const r = await analyzeNotebookCells(cells, { cache });
    assert.deepEqual(r.findings.map((f) => f.cell), [1]);
    cache.clear();
  });

  it('suppression comments work inside cells', async () => {
    const r = await analyzeNotebookCells([{ source: 'import torch' }, { source: '# aidr: ignore[unsafe-torch-load]\ntorch.load(p)' }]);
    assert.deepEqual(r.findings, []);
  });
});

describe('nbformat 3 notebooks', () => {
  it('reads worksheets and `input` as cells and analyses them', async () => {
    const v3 = JSON.stringify({
      nbformat: 3,
      worksheets: [
        {
          cells: [
            { cell_type: 'heading', level: 1, source: ['Title'] },
            { cell_type: 'code', language: 'python', input: ['import pickle\n'] },
            { cell_type: 'code', language: 'python', input: ['x = pickle.loads(data)\n'] },
          ],
        },
      ],
    });
    const nb = parseNotebook(v3);
    assert.deepEqual(nb.cells.map((c) => c.kind), ['markdown', 'code', 'code']);
    const res = await analyzeNotebookText(v3);
    const f = res.findings.find((x) => x.rule === 'pickle-deserialization');
    assert.equal(f?.cell, 2);
  });
});

describe('notebooks on hostile text', () => {
  it('timedStatementStart finds the statement after a timing magic and its options', () => {
    assert.equal(timedStatementStart('%time x = 1'), 6);
    assert.equal(timedStatementStart('  %timeit -n 10 -r 3 f(x)'), 21);
    assert.equal(timedStatementStart('%timeit -n10 [x]'), 13);
    assert.equal(timedStatementStart('%prun\t-q (a)'), 9);
    for (const l of ['%time', '%timex y', '%who x', '%time -n 10x', '%time !ls', '%time - x', 'x = %time y', '%time -n 1 2']) assert.equal(timedStatementStart(l), undefined, l);
  });

  it('a line of timing options that fails at the end is linear (the regex took 107 s on eight options)', function () {
    this.timeout(20_000);
    const line = `%timeit${' -n1111111111'.repeat(100_000)} !`;
    assert.equal(timedStatementStart(line), undefined);
    assert.equal(blankMagics(line).trim(), '');
  });
});
