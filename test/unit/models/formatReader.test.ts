import * as assert from 'node:assert/strict';
import { bufferSource } from '../../../server/src/models/byteSource';
import { Malformed, OverBudget, Truncated, budgetedSource, noteCap, readExact, runReader } from '../../../server/src/models/formatReader';
import { claimedSource, ctx } from './formatBuilders';

describe('format reader kit', () => {
  it('budgetedSource refuses reads past the byte budget and counts only its own reads', async () => {
    const inner = bufferSource(new Uint8Array(100));
    await inner.read(0, 10);
    const b = budgetedSource(inner, ctx({ maxBytes: 30 }));
    assert.equal(b.bytesRead, 0);
    assert.equal((await b.read(0, 20)).length, 20);
    assert.equal(b.remaining, 10);
    await assert.rejects(b.read(20, 11), OverBudget);
    assert.equal((await b.read(20, 10)).length, 10);
    assert.equal(b.bytesRead, 30);
    // Reads past the end are clipped to the file, so they cost only what exists.
    assert.equal((await budgetedSource(bufferSource(new Uint8Array(5)), ctx({ maxBytes: 5 })).read(3, 100)).length, 2);
  });

  it('budgetedSource refuses reads after the deadline', async () => {
    let t = 0;
    const b = budgetedSource(bufferSource(new Uint8Array(10)), ctx({ now: () => t, deadlineMs: 100 }));
    await b.read(0, 1);
    t = 200;
    await assert.rejects(b.read(0, 1), OverBudget);
  });

  it('readExact throws Truncated when the file is shorter', async () => {
    await assert.rejects(readExact(bufferSource(new Uint8Array(4)), 0, 8, 'the header'), /ends before the header/);
    assert.equal((await readExact(claimedSource(new Uint8Array(0), 1e10), 5e9, 4, 'x')).length, 4);
  });

  it('runReader maps each way a body stops to an issue and never throws', async () => {
    const cases: [unknown, string][] = [
      [new Malformed('bad'), 'malformed'],
      [new Truncated('short'), 'truncated'],
      [new OverBudget('slow'), 'not-fully-scanned'],
      [new RangeError('Offset is outside the bounds of the DataView'), 'malformed'],
      ['a thrown string', 'malformed'],
    ];
    for (const [err, kind] of cases) {
      const r = await runReader('onnx', bufferSource(new Uint8Array(3)), ctx(), async () => {
        throw err;
      });
      assert.equal(r.complete, false);
      assert.deepEqual(r.issues.map((i) => i.kind), [kind]);
      assert.equal(r.format, 'onnx');
      assert.equal(r.size, 3);
      assert.deepEqual(r.imports, []);
    }
  });

  it('runReader says when the file could not be read at all', async () => {
    const failing = { size: 10, bytesRead: 0, read: async () => Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { syscall: 'read', code: 'EIO' })) };
    const r = await runReader('hdf5', failing, ctx(), async (src) => {
      await src.read(0, 4);
    });
    assert.match(r.issues[0]!.message, /could not be read: EIO/);
  });

  it('runReader reports bytes read through the budget and the details a body set', async () => {
    const r = await runReader('gguf', bufferSource(new Uint8Array(50)), ctx(), async (src, d) => {
      await src.read(10, 7);
      d.details['k'] = 'v';
      noteCap(d, 'stopped at a cap');
      noteCap(d, 'stopped at a cap');
    });
    assert.equal(r.bytesRead, 7);
    assert.deepEqual(r.details, { k: 'v' });
    assert.equal(r.complete, false);
    assert.equal(r.issues.length, 1);
  });
});
