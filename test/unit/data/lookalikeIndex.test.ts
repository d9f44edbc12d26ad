import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DeletionIndex, hashOf, hashWithout, HashTable, isSelfOrDeletion, KeyedNames } from '../../../server/src/data/lookalikeIndex';

/** The plain form the compact index replaces: a Map from every single deletion (and the name itself)
 * to the names having it, walked over the written name's own deletions in order. */
function naiveNeighbours(names: readonly string[], name: string): string[] {
  const dels = (s: string): string[] => [s, ...[...s].map((_, i) => s.slice(0, i) + s.slice(i + 1))];
  const map = new Map<string, string[]>();
  for (const n of names) for (const d of dels(n)) map.set(d, [...(map.get(d) ?? []), n]);
  const out: string[] = [];
  for (const d of dels(name)) for (const p of map.get(d) ?? []) if (!out.includes(p)) out.push(p);
  return out;
}

describe('compact look-alike tables', () => {
  it('hashes a string with one character left out as the string without it', () => {
    assert.equal(hashWithout('requests', 3), hashOf('reqests'));
    assert.equal(hashWithout('requests', -1), hashOf('requests'));
    assert.equal(hashWithout('a', 0), hashOf(''));
    assert.notEqual(hashOf('ab'), hashOf('ba'));
  });

  it('tells whether a name less one character is a target or the target less one character', () => {
    // d = 'reqests' (requests without its 4th character).
    assert.equal(isSelfOrDeletion('requests', 3, 'reqests'), true);
    assert.equal(isSelfOrDeletion('requests', 3, 'requests'), true, 'the target less its u');
    assert.equal(isSelfOrDeletion('requests', 3, 'reqxests'), true, 'the target less its x');
    assert.equal(isSelfOrDeletion('requests', 3, 'reqestsx'), true);
    assert.equal(isSelfOrDeletion('requests', 3, 'xreqests'), true);
    assert.equal(isSelfOrDeletion('requests', 3, 'reqest'), false);
    assert.equal(isSelfOrDeletion('requests', 3, 'rqeests'), false);
    assert.equal(isSelfOrDeletion('requests', -1, 'requests'), true);
    assert.equal(isSelfOrDeletion('requests', -1, 'requestss'), true);
    assert.equal(isSelfOrDeletion('requests', -1, 'request'), false, 'shorter than d');
    assert.equal(isSelfOrDeletion('requests', -1, 'requestsxy'), false, 'two longer');
  });

  it('returns every id stored under a hash, in ascending order, and nothing for others', () => {
    const t = new HashTable((add) => {
      for (const id of [9, 3, 7, 1]) add(42, id);
      add(0xffffffff, 5);
      add(0, 2);
    });
    const got = (h: number): number[] => {
      const out: number[] = [];
      t.find(h, (id) => void out.push(id));
      return out;
    };
    assert.deepEqual(got(42), [1, 3, 7, 9]);
    assert.deepEqual(got(0xffffffff), [5]);
    assert.deepEqual(got(0), [2]);
    assert.deepEqual(got(43), []);
    assert.equal(t.size, 6);
    // A visit that answers true stops the walk.
    const first: number[] = [];
    t.find(42, (id) => (first.push(id), true));
    assert.deepEqual(first, [1]);
  });

  it('keeps ids exact when they need more bits than the hash leaves (fewer hash bits, same answers)', () => {
    const big = 2 ** 30 + 12345;
    const t = new HashTable((add) => {
      add(0xdeadbeef, big);
      add(0xdeadbeef, 7);
      add(0x12345678, big - 1);
    });
    const out: number[] = [];
    t.find(0xdeadbeef, (id) => void out.push(id));
    // With 31 id bits only 22 hash bits are kept: every stored id under the same top bits may come
    // back, in ascending order, and callers confirm each against the name.
    assert.ok(out.includes(7) && out.includes(big), String(out));
    assert.deepEqual([...out].sort((a, b) => a - b), out);
  });

  it('finds the same neighbours, in the same order, as the map of deletions (property)', () => {
    // A tiny alphabet makes shared deletions (and so long neighbour lists) common.
    const name = fc.stringMatching(/^[ab-]{0,7}$/);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 40 }), name, (names, written) => {
        assert.deepEqual(new DeletionIndex(names).neighbours(written), naiveNeighbours(names, written));
      }),
      { numRuns: 400 },
    );
  });

  it('answers key look-ups from the names, first in list order, with no key kept', () => {
    const names = ['Alpha', 'beta', 'ALPHA', 'gamma'];
    const k = new KeyedNames(names, (n) => (n === 'gamma' ? undefined : n.toLowerCase()));
    assert.deepEqual(k.all('alpha'), ['Alpha', 'ALPHA']);
    assert.equal(k.first('alpha'), 'Alpha');
    assert.deepEqual(k.all('gamma'), [], 'a name without a key is not filed');
    assert.equal(k.first('delta'), undefined);
  });

  it('builds the deletion table of 20,000 long names in linear space', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `package-name-${i}-${'x'.repeat(i % 20)}`);
    const idx = new DeletionIndex(names);
    assert.equal(idx.size, names.reduce((n, s) => n + s.length + 1, 0));
    // The name itself, then the names one character longer (`package-name-27-...` less its 2).
    const sevens = [7, 27, 47, 67, 87].map((i) => `package-name-${i}-xxxxxxx`);
    assert.deepEqual(idx.neighbours('package-name-7-xxxxxxx'), sevens);
    assert.deepEqual(idx.neighbours('package-name-7-xxxxxxx'), naiveNeighbours(names, 'package-name-7-xxxxxxx'));
    // One x short of the 7th name: that name (through its own deletion), then a one-digit slip.
    assert.deepEqual(idx.neighbours('package-name-7-xxxxxx'), ['package-name-7-xxxxxxx', 'package-name-6-xxxxxx']);
  });
});
