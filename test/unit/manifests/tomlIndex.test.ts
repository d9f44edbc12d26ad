import assert from 'node:assert/strict';
import { parseTomlIndexed } from '../../../server/src/manifests/tomlIndex';

function index(text: string) {
  const r = parseTomlIndexed(text);
  if (!r.ok) assert.fail(r.problem.message);
  return r.index;
}

describe('tomlIndex', () => {
  it('indexes tables, dotted keys and inline tables to the same paths, children in file order', () => {
    const text = '[tool.poetry.dependencies]\ntorch = "^2"\nnumpy = {version = "1.26", extras = ["x"]}\n[tool.poetry]\ngroup.dev.dependencies.pytest = "*"\n';
    const ix = index(text);
    assert.deepEqual(ix.childNames(['tool', 'poetry']), ['dependencies', 'group']);
    assert.deepEqual(ix.childNames(['tool', 'poetry', 'dependencies']), ['torch', 'numpy']);
    assert.deepEqual(ix.childNames(['tool', 'poetry', 'dependencies', 'numpy']), ['version', 'extras']);
    const pytest = ix.get(['tool', 'poetry', 'group', 'dev', 'dependencies', 'pytest'])!;
    assert.deepEqual(pytest.path, ['tool', 'poetry', 'group', 'dev', 'dependencies', 'pytest']);
    assert.equal(text.slice(pytest.range.start, pytest.range.end), 'group.dev.dependencies.pytest = "*"');
    assert.equal(ix.get([]), undefined);
    assert.equal(ix.get(['tool', 'nope']), undefined);
    assert.deepEqual(ix.childNames([]), ['tool']);
  });

  it('keeps keys apart that a joined string id would have confused', () => {
    const ix = index('"a\\u0000b" = 1\na = {b = 2}\n');
    assert.deepEqual(ix.childNames([]), ['a\u0000b', 'a']);
    assert.equal(ix.get(['a', 'b'])?.value?.type, 'TOMLValue');
  });

  it('arrays of tables are indexed by position', () => {
    const ix = index('[[package]]\nname = "a"\n[[package]]\nname = "b"\n');
    assert.deepEqual(ix.childNames(['package']), ['0', '1']);
  });

  it('was cubic on dotted keys and headers (3 KB took 19 s); now a key of 60 parts or 10,000 keys is quick', function () {
    this.timeout(20_000);
    const key = Array.from({ length: 60 }, (_, i) => `k${i}`);
    assert.deepEqual(index(`${key.join('.')} = 1\n[${key.join('.')}x]\n`).get(key)?.path, key);
    const many = Array.from({ length: 10_000 }, (_, i) => `a.b.c.d${i} = ${i}\n`).join('');
    assert.equal(index(many).childNames(['a', 'b', 'c']).length, 10_000);
  });

  it('refuses keys with absurdly many parts and deep nesting before parsing', () => {
    const dotted = parseTomlIndexed(`${'a.'.repeat(500_000)}a = 1\n`);
    assert.ok(!dotted.ok && /more than 64 dotted parts/.test(dotted.problem.message));
    const deep = parseTomlIndexed(`x = ${'['.repeat(100_000)}`);
    assert.ok(!deep.ok && /nested more than 1000/.test(deep.problem.message));
    const big = parseTomlIndexed('a = 1\n'.repeat(200_000), 1_000_000);
    assert.ok(!big.ok && /too large/.test(big.problem.message));
  });
});
