import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bufferSource } from '../../../server/src/models/byteSource';
import { readSafetensors } from '../../../server/src/models/safetensors';
import { claimedSource, concat, ctx, safetensorsFile, safetensorsRaw, utf8 } from './formatBuilders';

const scan = (b: Uint8Array, maxBytes?: number) => readSafetensors(bufferSource(b), ctx({ maxBytes }));
const header = (o: unknown) => JSON.stringify(o);

describe('safetensors reader', () => {
  it('accepts a valid file with no issues and reports what it holds', async () => {
    const f = safetensorsFile(
      [
        { name: 'w', dtype: 'F32', shape: [2, 3] },
        { name: 'b', dtype: 'BF16', shape: [3] },
        { name: 'empty', dtype: 'I64', shape: [0, 4] },
      ],
      { format: 'pt' },
    );
    const r = await scan(f);
    assert.equal(r.format, 'safetensors');
    assert.deepEqual(r.issues, []);
    assert.equal(r.complete, true);
    assert.equal(r.size, f.length);
    assert.equal(r.details?.['tensors'], '3');
    assert.equal(r.details?.['dtypes'], 'BF16, F32, I64');
    assert.equal(r.details?.['parameters'], '9');
    assert.equal(r.details?.['format'], 'pt');
  });

  it('reads only the header, never the tensor data', async () => {
    const f = safetensorsFile([{ name: 'w', dtype: 'F32', shape: [1024, 1024] }]);
    const r = await scan(f);
    assert.deepEqual(r.issues, []);
    const headerLen = Number(new DataView(f.buffer).getBigUint64(0, true));
    assert.equal(r.bytesRead, 8 + headerLen);
  });

  it('stays at header cost on a file that claims 10 GB of tensor data', async () => {
    const data = 10 * 1024 ** 3;
    const h = header({ big: { dtype: 'U8', shape: [data], data_offsets: [0, data] } });
    const head = safetensorsRaw(h, 0);
    const src = claimedSource(head, head.length + data);
    const r = await readSafetensors(src, ctx());
    assert.deepEqual(r.issues, []);
    assert.ok(r.bytesRead < 200, `read ${r.bytesRead}`);
    assert.equal(r.details?.['parameters'], String(data));
  });

  const malformed: [string, () => Uint8Array, RegExp][] = [
    ['an unknown dtype', () => safetensorsRaw(header({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }), 16), /unknown dtype/],
    ['a negative dimension', () => safetensorsRaw(header({ w: { dtype: 'U8', shape: [-1], data_offsets: [0, 1] } }), 1), /non-negative/],
    ['a fractional dimension', () => safetensorsRaw(header({ w: { dtype: 'U8', shape: [1.5], data_offsets: [0, 1] } }), 1), /non-negative/],
    ['offsets past the data region', () => safetensorsRaw(header({ w: { dtype: 'U8', shape: [8], data_offsets: [0, 8] } }), 4), /ends at byte 8 of a 4-byte/],
    ['a hole between tensors', () => safetensorsRaw(header({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, b: { dtype: 'U8', shape: [2], data_offsets: [4, 6] } }), 6), /belong to no tensor/],
    ['overlapping tensors', () => safetensorsRaw(header({ a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] }, b: { dtype: 'U8', shape: [2], data_offsets: [2, 4] } }), 4), /overlaps/],
    ['uncovered trailing bytes', () => safetensorsRaw(header({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }), 10), /cover 2 of the 10/],
    ['a size that does not match the shape', () => safetensorsRaw(header({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }), 4), /needs 8/],
    ['an overflowing shape', () => safetensorsRaw(header({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 40, 2 ** 30], data_offsets: [0, 0] } }), 0), /needs/],
    ['a non-string metadata value', () => safetensorsRaw(header({ __metadata__: { n: 1 } }), 0), /__metadata__\.n/],
    ['a header that is not an object', () => safetensorsRaw('[1, 2]', 0), /does not start with "\{"|not a JSON object/],
    ['a header that is not JSON', () => safetensorsRaw('{"a": ', 0), /not valid UTF-8 JSON/],
  ];
  for (const [what, make, why] of malformed) {
    it(`reports ${what} as malformed`, async () => {
      const r = await scan(make());
      assert.equal(r.complete, false);
      assert.equal(r.issues.length, 1);
      assert.equal(r.issues[0]!.kind, 'malformed');
      assert.equal(r.issues[0]!.severity, 'warning');
      assert.match(r.issues[0]!.message, why);
    });
  }

  it('refuses a declared header length over 100 MB without reading it', async () => {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, 200_000_000n, true);
    const src = claimedSource(len, 10 * 1024 ** 3);
    const r = await readSafetensors(src, ctx());
    assert.equal(r.issues[0]!.kind, 'malformed');
    assert.match(r.issues[0]!.message, /limit is 100000000/);
    assert.equal(r.bytesRead, 8);
  });

  it('reports a header length past the end of the file, and a file shorter than 8 bytes', async () => {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, 100n, true);
    const r = await scan(concat(len, utf8('{}')));
    assert.equal(r.issues[0]!.kind, 'malformed');
    const short = await scan(utf8('{}'));
    assert.equal(short.issues[0]!.kind, 'truncated');
  });

  it('does not read a header bigger than the byte budget', async () => {
    const f = safetensorsFile([{ name: 'x'.repeat(5000), dtype: 'U8', shape: [1] }]);
    const r = await scan(f, 1000);
    assert.equal(r.complete, false);
    assert.equal(r.issues[0]!.kind, 'not-fully-scanned');
    assert.ok(r.bytesRead <= 1000);
  });

  it('never throws or overspends on random or mutated bytes', async () => {
    const valid = safetensorsFile([
      { name: 'a', dtype: 'F32', shape: [2, 2] },
      { name: 'b', dtype: 'U8', shape: [3] },
    ]);
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
      .map((edits) => {
        const b = valid.slice();
        for (const [i, v] of edits) b[i] = v;
        return b;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), fc.integer({ min: 0, max: 400 }), async (bytes, maxBytes) => {
        const r = await readSafetensors(bufferSource(bytes), ctx({ maxBytes }));
        assert.ok(r.bytesRead <= maxBytes);
        assert.equal(r.format, 'safetensors');
        assert.equal(r.complete, r.issues.length === 0);
      }),
      { numRuns: 400 },
    );
  });
});
