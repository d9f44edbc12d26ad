import assert from 'node:assert/strict';
import { callFact } from '../../../server/src/python/callFacts';
import { Resolver } from '../../../server/src/python/meaning';
import { parsePython } from '../../../server/src/python/parser';
import { collectBindings } from '../../../server/src/python/resolve';
import { pyUnit } from '../../../server/src/python/unit';
import type { CallFact } from '../../../server/src/domain';

async function factOf(text: string): Promise<{ fact: CallFact; text: string }> {
  const p = await parsePython(text);
  try {
    const unit = pyUnit(p.tree, text);
    const b = collectBindings([unit]);
    const calls = p.tree.rootNode.descendantsOfType('call');
    // Document order: the outermost call comes first.
    return { fact: callFact(calls[0]!, { unit, resolver: new Resolver(unit, b), text })!, text };
  } finally {
    p.tree.delete();
  }
}

describe('call facts', () => {
  it('resolves the callee and reads literal arguments', async () => {
    const { fact, text } = await factOf('import torch as T\nT.load("a" "b", None, -2, [], {"k": 1}, x.y, f"{z}", weights_only=(True), **kw)\n');
    assert.equal(fact.qualifiedName, 'torch.load');
    assert.equal(fact.calleeText, 'T.load');
    assert.equal(text.slice(fact.nameRange.start, fact.nameRange.end), 'load');
    assert.deepEqual(
      fact.positional.map((a) => a.value.kind),
      ['string', 'none', 'number', 'collection', 'collection', 'name', 'expr'],
    );
    const s = fact.positional[0]!.value;
    assert.ok(s.kind === 'string' && s.value === 'ab');
    const n = fact.positional[2]!.value;
    assert.ok(n.kind === 'number' && n.value === -2);
    assert.deepEqual(fact.dictEntries.map((d) => d.name), ['k']);
    assert.equal(fact.keywords[0]!.name, 'weights_only');
    assert.deepEqual(fact.keywords[0]!.value, { kind: 'bool', value: true });
    assert.equal(fact.hasKwSplat, true);
    assert.equal(fact.hasStarArgs, false);
    assert.equal(fact.args?.trailingComma, undefined);
  });

  it('finds a trailing comma past comments, and none in a generator call', async () => {
    const { fact, text } = await factOf('f(\n    a,  # first\n    b  # second\n    ,\n)\n');
    assert.equal(text[fact.args!.trailingComma!], ',');
    assert.equal(text.slice(fact.args!.lastStart!, fact.args!.lastEnd!), 'b');
    const gen = await factOf('f(x for x in y)\n');
    assert.equal(gen.fact.args, undefined);
    assert.equal(gen.fact.qualifiedName, undefined);
  });

  it('leaves unresolvable callees unresolved', async () => {
    assert.equal((await factOf('self.model.load(p)\n')).fact.qualifiedName, undefined);
    assert.equal((await factOf('get()(p)\n')).fact.calleeText, 'get()');
  });
});
