import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readAlike } from '../../../server/src/data/keyboard';
import { hashOf } from '../../../server/src/data/lookalikeIndex';
import { visitSlipVariants } from '../../../server/src/data/lookalikeBand';

/** The variants built as strings, the plain way: what the hashed walk must find. */
function naiveVariants(name: string): Set<string> {
  const out = new Set<string>();
  const digits = '0123456789';
  for (let i = 0; i < name.length; i++) {
    out.add(name.slice(0, i) + name.slice(i + 1));
    if (i + 1 < name.length) out.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
    for (const alt of 'abcdefghijklmnopqrstuvwxyz0123456789') {
      const ok = digits.includes(name[i]!) ? digits.includes(alt) : readAlike(alt, name[i]!);
      if (alt !== name[i] && ok) out.add(name.slice(0, i) + alt + name.slice(i + 1));
    }
  }
  for (let i = 0; i <= name.length; i++) for (const ch of 'abcdefghijklmnopqrstuvwxyz') out.add(name.slice(0, i) + ch + name.slice(i));
  out.delete(name);
  return out;
}

describe('look-alikes of banded names (probed by hash)', () => {
  it('finds every variant a plain string walk builds, and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.-]{1,14}$/), fc.integer({ min: 0, max: 1000 }), (name, seed) => {
        const all = [...naiveVariants(name)];
        // A band holding a few of the variants, and one name that is none of them.
        const band = new Set([...all.filter((_, i) => (i * 7919 + seed) % 13 === 0), `${name}-not-a-slip-x`]);
        const hashes = new Set([...band].map(hashOf));
        const found = new Set<string>();
        visitSlipVariants(name, (h) => hashes.has(h), (v) => found.add(v));
        for (const v of band) if (v !== `${name}-not-a-slip-x`) assert.ok(found.has(v), `${name}: ${v} not found`);
        for (const v of found) assert.ok(all.includes(v) || v === name, `${name}: ${v} is not a variant`);
      }),
      { numRuns: 300 },
    );
  });

  it('probes a 60-character name without building its thousands of variants', () => {
    const name = 'a'.repeat(30) + 'b'.repeat(30);
    let probes = 0;
    let built = 0;
    visitSlipVariants(name, () => (probes++, false), () => built++);
    assert.ok(probes > 1500, String(probes));
    assert.equal(built, 0);
  });
});
