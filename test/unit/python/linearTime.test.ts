// Size-scaled inputs that took quadratic time before (parent walks over a 32k-term expression
// with CR line ends took 14 s): each must finish well inside the generous timeout, which a
// quadratic analysis would overrun by minutes, and must still report what it contains.
import assert from 'node:assert/strict';
import { analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { initPython } from '../../../server/src/python/parser';

const EOLS: [string, string][] = [
  ['\\n', '\n'],
  ['\\r', '\r'],
  ['\\r\\n', '\r\n'],
];

async function count(text: string, rule: string): Promise<number> {
  return (await analyzePython(text)).findings.filter((f) => f.rule === rule).length;
}

describe('Python analysis stays linear on hostile shapes', function () {
  // Generous: linear runs take seconds on a loaded machine; quadratic ones took minutes.
  this.timeout(240_000);
  before(() => initPython());

  for (const [name, eol] of EOLS) {
    it(`a 32k-term expression of loader calls with ${name} line ends (every call reported)`, async () => {
      const terms = Array.from({ length: 32_000 }, (_, i) => (i % 2 ? 'torch.load(p, weights_only=w)' : 'torch.load(p)'));
      const text = `import torch${eol}def f(p, w):${eol}    x = (${terms.join(` +${eol}        `)})${eol}`;
      // weights_only=w is computed: a hint; the bare calls are warnings.
      const fs = (await analyzePython(text)).findings.filter((f) => f.rule === 'unsafe-torch-load');
      assert.equal(fs.filter((f) => f.severity === 'warning').length, 16_000);
      assert.equal(fs.filter((f) => f.severity === 'hint').length, 16_000);
    });

    it(`a 256k-term expression with ${name} line ends, and the loader after it`, async () => {
      const terms = Array.from({ length: 256_000 }, (_, i) => `a${i % 10}`);
      const text = `import torch${eol}x = (${terms.join(` +${eol} `)})${eol}torch.load(p)${eol}`;
      assert.equal(await count(text, 'unsafe-torch-load'), 1);
    });
  }

  it('a 256k-term expression on one line', async () => {
    const text = `import torch\nx = ${Array.from({ length: 256_000 }, (_, i) => `a${i % 10}`).join(' + ')}\ny = torch.load(p)\n`;
    assert.equal(await count(text, 'unsafe-torch-load'), 1);
  });

  it('deeply nested calls, brackets, loaders inside loaders, not-chains and attribute chains', async () => {
    assert.equal(await count(`import torch\nx = ${'f('.repeat(20_000)}torch.load(p)${')'.repeat(20_000)}\n`, 'unsafe-torch-load'), 1);
    assert.equal(await count(`import torch\nx = ${'['.repeat(20_000)}torch.load(p)${']'.repeat(20_000)}\n`, 'unsafe-torch-load'), 1);
    assert.equal(await count(`import torch\nx = ${'torch.load('.repeat(5_000)}p${')'.repeat(5_000)}\n`, 'unsafe-torch-load'), 5_000);
    assert.equal(await count(`import torch\nx = ${'not '.repeat(30_000)}torch.load(p)\n`, 'unsafe-torch-load'), 1);
    // A 30k-part dotted chain is no API anyone documents: nothing, and quickly.
    assert.equal(await count(`import torch\nx = torch${'.load'.repeat(30_000)}(p)\n`, 'unsafe-torch-load'), 0);
  });

  it('a 64k-element list of loader calls (one very wide node)', async () => {
    const text = `import torch\nx = [${Array.from({ length: 64_000 }, () => 'torch.load(p)').join(', ')}]\n`;
    assert.equal(await count(text, 'unsafe-torch-load'), 64_000);
  });

  it('blocks nested 3,000 deep, each with a loader', async () => {
    const text = 'import torch\n' + Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}if x:\n${' '.repeat(i + 1)}torch.load(p)\n`).join('');
    assert.equal(await count(text, 'unsafe-torch-load'), 3_000);
  });

  it('5,000-line files dense with loader calls, at module level and in a function', async () => {
    const flat = 'import torch, pickle\n' + Array.from({ length: 5_000 }, (_, i) => `x${i} = torch.load(p${i})`).join('\n') + '\n';
    assert.equal(await count(flat, 'unsafe-torch-load'), 5_000);
    const inFn = 'import torch, pickle\ndef f(p):\n' + Array.from({ length: 5_000 }, (_, i) => `    x${i} = pickle.loads(torch.load(p))`).join('\n') + '\n';
    const r = (await analyzePython(inFn)).findings;
    assert.equal(r.filter((f) => f.rule === 'unsafe-torch-load').length, 5_000);
    assert.equal(r.filter((f) => f.rule === 'pickle-deserialization').length, 5_000);
  });

  it('hostile text for the text scans: unclosed def headers, lambdas, long identifiers, many `as`', async () => {
    const text = `import torch\n${'def f('.repeat(20_000)}\n${'lambda '.repeat(20_000)}\n${'a'.repeat(200_000)} := 1\n${'with x as y, '.repeat(20_000)}\ntorch.load(p)\n`;
    assert.equal(await count(text, 'unsafe-torch-load'), 1);
  });

  it('a trailing-comma scan over a comment full of #', async () => {
    const text = `import torch\ntorch.load(p  ${'# '.repeat(50_000)}\n)\n`;
    assert.equal(await count(text, 'unsafe-torch-load'), 1);
  });
});
