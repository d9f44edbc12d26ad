// One hostile file is an entry in that file's problems, never a crash of the analysis: the
// engine analyses the other files of the batch (and the next batch) as if nothing happened.
import assert from 'node:assert/strict';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { Engine } from '../../../server/src/engine/engine';
import { setPythonParseLimits } from '../../../server/src/python/parser';
import { setFreshLibraryLoader } from '../../../server/src/python/treeSitterRuntime';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry } from '../engine/helpers';
import { nestedBlocks } from './shapes';

const GOOD = 'import torch\nm = torch.load(p)\n';
/** Hostile texts name torch too: files that mention no rule's module are not parsed at all. */
const hostile = (levels: number): string => `import torch\n${nestedBlocks(levels, 'm = torch.load(f"{p}")')}`;

function engine(): Engine {
  return new Engine({ advisories: new MemoryAdvisories([]), registries: { PyPI: new MemoryRegistry({}) } }, resolveSettings({}));
}

const py = (name: string, text: string): EngineDocument => ({ uri: `/ws/${name}`, path: `/ws/${name}`, kind: 'python', text });

describe('engine: a hostile Python file stays contained to its file', function () {
  this.timeout(60_000);

  it('a text the parser refuses is a problem on it; the other files are analysed', async () => {
    const r = await engine().analyze([py('a.py', GOOD), py('deep.py', hostile(600)), py('b.py', GOOD)]);
    const [a, deep, b] = r.documents;
    assert.ok(a!.findings.some((f) => f.rule === 'unsafe-torch-load'));
    assert.ok(b!.findings.some((f) => f.rule === 'unsafe-torch-load'));
    assert.deepEqual(deep!.findings, []);
    assert.match(deep!.problems[0]!.message, /indented up to 600 levels/);
  });

  it('a notebook cell the parser refuses is a problem on that cell; the other cells are analysed', async () => {
    const nb: EngineDocument = { uri: '/ws/n.ipynb', kind: 'notebook', text: '', cells: [{ text: GOOD, kind: 'code' }, { text: hostile(600), kind: 'code' }] };
    const [doc] = (await engine().analyze([nb])).documents;
    assert.ok(doc!.findings.some((f) => f.rule === 'unsafe-torch-load' && f.cell === 0));
    const i = doc!.problems.findIndex((p) => /indented up to 600/.test(p.message));
    assert.ok(i >= 0);
    assert.equal(doc!.problemCells?.[i], 1);
  });

  it('a parser that failed inside wasm is replaced before the next batch; without a replacement each file gets a problem', async () => {
    const saved = setPythonParseLimits({ maxIndentDepth: 100_000 });
    const e = engine();
    try {
      // The real wasm failure (the depth guard lifted): an error on that file, the next batch is clean.
      const first = await e.analyze([py('crash.py', hostile(511))]);
      assert.match(first.documents[0]!.problems[0]!.message, /failed on this text/);
      const second = await e.analyze([py('a.py', GOOD)]);
      assert.ok(second.documents[0]!.findings.some((f) => f.rule === 'unsafe-torch-load'));
      // With no fresh library to reload, the parser is unavailable: a problem per file, no throw.
      const savedLoader = setFreshLibraryLoader(() => undefined);
      try {
        await e.analyze([py('crash.py', hostile(511))]);
        const third = await e.analyze([py('a.py', GOOD), { uri: '/ws/requirements.txt', path: '/ws/requirements.txt', kind: 'requirements', text: 'jinja2==2.10\n' }]);
        assert.match(third.documents[0]!.problems[0]!.message, /Python parser unavailable/);
        assert.equal(third.documents[1]!.problems.length, 0);
      } finally {
        setFreshLibraryLoader(savedLoader);
      }
    } finally {
      setPythonParseLimits(saved);
    }
    const after = await e.analyze([py('a.py', GOOD)]);
    assert.ok(after.documents[0]!.findings.some((f) => f.rule === 'unsafe-torch-load'));
  });
});
