import assert from 'node:assert/strict';
import { analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { Lines, parseSuppression } from '../../../server/src/python/suppress';
import { applyFix } from '../rules/code/harness';

async function rules(src: string): Promise<string[]> {
  return (await analyzePython(src, {})).findings.map((f) => f.rule);
}

describe('suppression comments', () => {
  it('parses ids, lists and the bare form', () => {
    assert.deepEqual(parseSuppression('# aidr: ignore[unsafe-torch-load]'), new Set(['unsafe-torch-load']));
    assert.deepEqual(parseSuppression('# noqa  # aidr:ignore[a, b]'), new Set(['a', 'b']));
    assert.equal(parseSuppression('# aidr: ignore'), 'all');
    assert.equal(parseSuppression('# nothing here'), undefined);
  });

  it('silences the named rule on the same line or the line before, and nothing else', async () => {
    const head = 'import torch, pickle\n';
    assert.deepEqual(await rules(head + 'torch.load(p)  # aidr: ignore[unsafe-torch-load]\n'), []);
    assert.deepEqual(await rules(head + '# aidr: ignore[unsafe-torch-load]\ntorch.load(p)\n'), []);
    assert.deepEqual(await rules(head + 'torch.load(p)  # aidr: ignore[pickle-deserialization]\n'), ['unsafe-torch-load']);
    assert.deepEqual(await rules(head + '# aidr: ignore[unsafe-torch-load]\n\ntorch.load(p)\n'), ['unsafe-torch-load']);
    assert.deepEqual(await rules(head + 'pickle.loads(torch.load(p))  # aidr: ignore\n'), []);
    assert.deepEqual(await rules(head + 'pickle.loads(torch.load(p))  # aidr: ignore[pickle-deserialization, unsafe-torch-load]\n'), []);
  });

  it('the same text in a string does not suppress', async () => {
    assert.deepEqual(await rules('import torch\ntorch.load(p, "# aidr: ignore")\n'), ['unsafe-torch-load']);
  });

  it('the suppression fix extends an existing ignore list and keeps CRLF line ends', async () => {
    const src = 'import torch, pickle\npickle.loads(torch.load(p))  # aidr: ignore[pickle-deserialization]\n';
    const [f] = (await analyzePython(src, {})).findings;
    const fix = f!.fixes!.find((x) => x.title.startsWith('Ignore'))!;
    assert.equal(applyFix(src, fix), 'import torch, pickle\npickle.loads(torch.load(p))  # aidr: ignore[pickle-deserialization, unsafe-torch-load]\n');
    const crlf = 'import torch\r\nx = torch.load(p)\r\ny = 2\r\n';
    const [g] = (await analyzePython(crlf, {})).findings;
    assert.equal(applyFix(crlf, g!.fixes!.at(-1)!), 'import torch\r\nx = torch.load(p)  # aidr: ignore[unsafe-torch-load]\r\ny = 2\r\n');
  });

  it('Lines maps offsets to lines', () => {
    const l = new Lines('a\nbc\r\nd');
    assert.deepEqual([0, 1, 2, 4, 5, 6].map((o) => l.lineOf(o)), [0, 0, 1, 1, 1, 2]);
    assert.equal(l.lineEnd(1), 4);
    assert.equal(l.lineEnd(2), 7);
  });
});
