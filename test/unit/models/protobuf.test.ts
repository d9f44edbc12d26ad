import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bufferSource } from '../../../server/src/models/byteSource';
import { Malformed, budgetedSource } from '../../../server/src/models/formatReader';
import { type ProtoField, ProtoReader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from '../../../server/src/models/protobuf';
import { WindowReader } from '../../../server/src/models/windowReader';
import { claimedSource, concat, ctx, pInt, pLen, pMsg, pStr, varint } from './formatBuilders';

function reader(bytes: Uint8Array) {
  const src = bufferSource(bytes);
  return { src, pr: new ProtoReader(new WindowReader(src, 64), { now: () => 0, deadline: 1 }) };
}

async function fields(bytes: Uint8Array): Promise<ProtoField[]> {
  const { pr } = reader(bytes);
  const out: ProtoField[] = [];
  await pr.walk(0, bytes.length, (f) => {
    out.push(f);
  });
  return out;
}

describe('protobuf wire walker', () => {
  it('walks varint, length-delimited and fixed-width fields with their positions', async () => {
    const msg = concat(pInt(1, 300), pStr(2, 'hi'), Uint8Array.of(3 << 3 | WIRE_I64, 1, 2, 3, 4, 5, 6, 7, 8), Uint8Array.of(4 << 3 | WIRE_I32, 9, 9, 9, 9), pInt(5, 2n ** 40n));
    const f = await fields(msg);
    assert.deepEqual(f.map((x) => [x.no, x.wire, x.value, x.length]), [
      [1, WIRE_VARINT, 300, 0],
      [2, WIRE_LEN, 0, 2],
      [3, WIRE_I64, 0, 8],
      [4, WIRE_I32, 0, 4],
      [5, WIRE_VARINT, 2 ** 40, 0],
    ]);
    assert.equal(msg[f[1]!.offset], 'h'.charCodeAt(0));
  });

  it('decodes strings and cuts them at the cap without reading the rest', async () => {
    const long = 'x'.repeat(10_000);
    const { pr, src } = reader(pStr(1, long));
    let got = '';
    await pr.walk(0, src.size, async (f) => {
      got = await pr.string(f, 100);
    });
    assert.equal(got, 'x'.repeat(100));
    assert.ok(src.bytesRead < 1000, `read ${src.bytesRead}`);
  });

  it('descends into nested messages when the visitor asks', async () => {
    const msg = concat(pMsg(1, pStr(1, 'inner'), pMsg(2, pInt(3, 7))), pInt(2, 1));
    const { pr } = reader(msg);
    const seen: string[] = [];
    const visit = async (depth: number, s: number, e: number): Promise<void> =>
      pr.walk(s, e, async (f) => {
        seen.push(`${depth}:${f.no}`);
        const isMessage = (depth === 0 && f.no === 1) || (depth === 1 && f.no === 2);
        if (isMessage) await visit(depth + 1, f.offset, f.offset + f.length);
      });
    await visit(0, 0, msg.length);
    assert.deepEqual(seen, ['0:1', '1:1', '1:2', '2:3', '0:2']);
  });

  it('skips a huge length-delimited field by seeking, not reading', async () => {
    // Field 1 declares 5 GB of payload; field 2 follows it.
    const big = 5 * 1024 ** 3;
    const head = concat(varint(1 << 3 | WIRE_LEN), varint(big));
    const tail = pInt(2, 42);
    const src = claimedSource(head, head.length + big + tail.length, [[head.length + big, tail]]);
    const pr = new ProtoReader(new WindowReader(src, 64), { now: () => 0, deadline: 1 });
    const got: number[] = [];
    await pr.walk(0, src.size, (f) => {
      got.push(f.no);
    });
    assert.deepEqual(got, [1, 2]);
    assert.ok(src.bytesRead <= 128, `read ${src.bytesRead}`);
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['a length past its message', concat(varint(1 << 3 | WIRE_LEN), varint(100), Uint8Array.of(1)), /overruns its message/],
    ['a group wire type', Uint8Array.of(1 << 3 | 3), /wire type 3/],
    ['field number 0', Uint8Array.of(0, 0), /field number is 0/],
    ['an unterminated varint', Uint8Array.of(8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), /unterminated/],
    ['a fixed64 past the end', Uint8Array.of(1 << 3 | WIRE_I64, 1, 2), /overruns/],
  ];
  for (const [what, bytes, why] of bad) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(fields(bytes), (e: unknown) => e instanceof Malformed && why.test(e.message));
    });
  }

  it('rejects a nested length that overruns its parent even when the file is longer', async () => {
    const inner = concat(varint(1 << 3 | WIRE_LEN), varint(50));
    const msg = concat(pLen(1, inner), new Uint8Array(100));
    const { pr } = reader(msg);
    await assert.rejects(
      pr.walk(0, msg.length, async (f) => {
        if (f.no === 1 && f.wire === WIRE_LEN) await pr.walk(f.offset, f.offset + f.length, () => undefined);
      }),
      Malformed,
    );
  });

  it('always terminates and never reads out of bounds on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 400 }), async (bytes, maxBytes) => {
        const c = ctx({ maxBytes });
        const src = budgetedSource(bufferSource(bytes), c);
        const pr = new ProtoReader(new WindowReader(src, 32), { now: c.now, deadline: c.budget.deadline });
        let n = 0;
        const visit = async (s: number, e: number, depth: number): Promise<void> =>
          pr.walk(s, e, async (f) => {
            n++;
            assert.ok(f.offset >= s && f.offset + f.length <= e);
            if (f.wire === WIRE_LEN && depth < 4) await visit(f.offset, f.offset + f.length, depth + 1);
          });
        await visit(0, bytes.length, 0).catch(() => undefined);
        assert.ok(n <= bytes.length * 5 + 1);
        assert.ok(src.bytesRead <= maxBytes);
      }),
      { numRuns: 500 },
    );
  });
});
