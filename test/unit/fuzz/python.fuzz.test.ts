// Property suites for Python and notebooks: damaged real sources and notebooks through the
// tree-sitter parser, the notebook reader and the magic blanking never throw, and what they
// return fits the text (tree ranges inside it, blanked cells of equal length).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { blankMagics, parseNotebook, timedStatementStart } from '../../../server/src/python/notebook';
import { initPython, parsePythonNow, type Node } from '../../../server/src/python/parser';
import { fixtureText, fuzzParameters, mutated, withNodeStackTraceLimit } from './inputs';

const CORPUS = path.join(__dirname, '../../fixtures/corpus');
const pythonSeeds = ['cases/torch_load.py', 'cases/pickle_family.py', 'cases/constants_and_scopes.py', 'bandit/pytorch_load.py'].map((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8'));
const notebookSeeds = ['python/model-loading.ipynb', 'corpus/notebooks/finetune_lora.ipynb'].map((f) => fixtureText(f));

/** Every node's range lies inside the text and inside its parent's (iterative: trees can be deep). */
function assertTreeFits(root: Node, length: number): void {
  const stack: Node[] = [root];
  let seen = 0;
  for (let n = stack.pop(); n && seen < 20_000; n = stack.pop(), seen++) {
    assert.ok(n.startIndex >= 0 && n.startIndex <= n.endIndex && n.endIndex <= length, `${n.type} [${n.startIndex}, ${n.endIndex}) outside [0, ${length}]`);
    for (const c of n.children) if (c) stack.push(c);
  }
}

describe('fuzz: Python parser and notebooks on damaged real files', function () {
  this.timeout(60_000);
  withNodeStackTraceLimit();
  before(() => initPython());

  it('parsePythonNow never throws; trees fit the text, refusals carry a problem', () => {
    for (const seed of pythonSeeds) {
      fc.assert(
        fc.property(mutated(seed, 20_000), (text) => {
          const p = parsePythonNow(text);
          try {
            if (p.problem) assert.equal(p.tree.rootNode.childCount, 0);
            else assertTreeFits(p.tree.rootNode, text.length);
          } finally {
            p.tree.delete();
          }
        }),
        fuzzParameters(25),
      );
    }
  });

  it('parseNotebook never throws and returns cells with string sources', () => {
    for (const seed of notebookSeeds) {
      fc.assert(
        fc.property(mutated(seed), (text) => {
          const nb = parseNotebook(text);
          for (const c of nb.cells) assert.equal(typeof c.source, 'string');
          for (const p of nb.problems) assert.ok(p.message.length > 0);
        }),
        fuzzParameters(60),
      );
    }
  });

  it('blankMagics keeps the length and the line breaks of any cell', () => {
    const cells = notebookSeeds.flatMap((s) => parseNotebook(s).cells.map((c) => c.source)).filter((s) => s !== '');
    fc.assert(
      fc.property(fc.constantFrom(...cells).chain((c) => mutated(c, 5_000)), (cell) => {
        const out = blankMagics(cell);
        assert.equal(out.length, cell.length);
        for (let i = 0; i < cell.length; i++) if (cell[i] === '\n' || cell[i] === '\r') assert.equal(out[i], cell[i]);
      }),
      fuzzParameters(150),
    );
  });

  it('timedStatementStart reads `%time`-style lines as the regex it replaced did (on lines short enough for it)', () => {
    const OLD = /^[ \t]*%(?:time|timeit|prun|memit)(?:[ \t]+-\w+(?:[ \t]*\d+)?)*[ \t]+(?=[A-Za-z_(\[])/;
    const part = fc.constantFrom('%time', '%timeit', '%prun', '%memit', '%who', ' ', '\t', '-n', '-r', '1', '10', 'x', '(', '[', '!', '-', '_a', 'timeit');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 9 }), (parts) => {
        const line = parts.join('');
        assert.equal(timedStatementStart(line), OLD.exec(line)?.[0].length, JSON.stringify(line));
      }),
      fuzzParameters(2_000),
    );
  });

  it('LineIndex converts offsets and positions consistently on any mix of line breaks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'bc', '\n', '\r', '\r\n', '😀', ''), { maxLength: 60 }), fc.nat(), (parts, k) => {
        const text = parts.join('');
        const index = new LineIndex(text);
        const o = text.length === 0 ? 0 : k % (text.length + 1);
        const p = index.positionAt(o);
        assert.ok(p.line >= 0 && p.line < index.lineCount && p.character >= 0);
        // Inside a \r\n pair the offset maps back to the line break's start, never past the offset.
        const back = index.offsetAt(p);
        assert.ok(back <= o && o - back <= 1, `${JSON.stringify(text)} @${o} -> ${JSON.stringify(p)} -> ${back}`);
        const line = index.lineText(p.line);
        assert.ok(!line.includes('\n') && !line.includes('\r'));
      }),
      fuzzParameters(500),
    );
  });
});
