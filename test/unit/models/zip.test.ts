// The bounded zip reader: directory (zip64, prefixed archives), members opened on demand (stored
// in place, deflated up to a cap), and hostile headers: bombs, lying sizes, encrypted flags,
// mismatched local names, truncation.
import assert from 'node:assert/strict';
import { deflateSync } from 'fflate';
import { bufferSource } from '../../../server/src/models/byteSource';
import { openMember, openZip, ZipError, ZIP_LIMITS } from '../../../server/src/models/zip';
import { buildZip, bytes, ctx, layoutSource, u16, u32, zipLayout } from './builders';

const budget = () => ctx().budget;

async function memberText(zip: Uint8Array, name: string): Promise<string> {
  const s = bufferSource(zip);
  const archive = await openZip(s, budget());
  const entry = archive.entries.find((e) => e.name === name)!;
  const m = await openMember(s, entry, budget());
  assert.ok(!('issue' in m), JSON.stringify(m));
  return new TextDecoder().decode(await m.source.read(0, m.source.size));
}

describe('zip reader', () => {
  it('lists members and reads stored and deflated ones', async () => {
    const zip = buildZip([{ name: 'a.txt', data: bytes('stored') }, { name: 'dir/b.txt', data: bytes('deflated '.repeat(50)), method: 8 }]);
    const archive = await openZip(bufferSource(zip), budget());
    assert.deepEqual(archive.entries.map((e) => [e.name, e.method, e.size]), [['a.txt', 0, 6], ['dir/b.txt', 8, 450]]);
    assert.equal(await memberText(zip, 'a.txt'), 'stored');
    assert.equal(await memberText(zip, 'dir/b.txt'), 'deflated '.repeat(50));
  });

  it("reads torch's layout (aligned records, data descriptors, zip64 end records)", async () => {
    const zip = buildZip([{ name: 'archive/data.pkl', data: bytes('pkl') }, { name: 'archive/data/0', data: new Uint8Array(100) }], { torch: true });
    const archive = await openZip(bufferSource(zip), budget());
    assert.deepEqual(archive.entries.map((e) => e.name), ['archive/data.pkl', 'archive/data/0']);
    assert.equal(await memberText(zip, 'archive/data.pkl'), 'pkl');
    assert.deepEqual(archive.issues, []);
  });

  it('handles bytes prepended to the archive, as Python does', async () => {
    const zip = buildZip([{ name: 'x', data: bytes('inner') }], { prefix: bytes('#!/bin/sh\nexit 0\n') });
    assert.equal(await memberText(zip, 'x'), 'inner');
  });

  it('reads zip64 sizes and offsets from the extra field', async () => {
    // A sparse member declared as 5 GiB: the directory must carry it through the zip64 extra.
    const big = 5 * 1024 ** 3;
    const layout = buildZip([{ name: 'tiny', data: bytes('t') }], { zip64: true });
    const archive = await openZip(bufferSource(layout), budget());
    assert.equal(archive.entries[0]!.size, 1);
    const sparse = zipLayout([{ name: 'huge', holeSize: big }, { name: 'after.pkl', data: bytes('ok') }]);
    const reads: Array<[number, number]> = [];
    const source = layoutSource(sparse, reads);
    const a = await openZip(source, budget());
    assert.deepEqual(a.entries.map((e) => [e.name, e.size]), [['huge', big], ['after.pkl', 2]]);
    assert.ok(a.entries[1]!.localOffset > big);
    const m = await openMember(source, a.entries[1]!, budget());
    assert.ok(!('issue' in m));
    assert.equal(new TextDecoder().decode(await m.source.read(0, 2)), 'ok');
    assert.ok(reads.every(([, len]) => len < 1024 * 1024), 'never reads the hole');
  });

  it('rejects what is not a zip, and a directory past its end record', async () => {
    await assert.rejects(openZip(bufferSource(bytes('PK\x03\x04 nothing else')), budget()), ZipError);
    const zip = buildZip([{ name: 'a', data: bytes('a') }]);
    const eocd = zip.length - 22;
    zip.set(u32(0x7fffffff), eocd + 16); // directory offset far away
    await assert.rejects(openZip(bufferSource(zip), budget()), /central directory/);
  });

  it('refuses a declared bomb without inflating it, and a member that inflates past its declared size', async () => {
    const zeros = new Uint8Array(20 * 1024 * 1024);
    const bomb = buildZip([{ name: 'bomb.pkl', data: zeros, method: 8 }]);
    const s = bufferSource(bomb);
    const a = await openZip(s, budget());
    const m = await openMember(s, a.entries[0]!, budget());
    assert.ok('issue' in m);
    assert.equal(m.issue.kind, 'not-fully-scanned');
    assert.match(m.issue.message, /zip bomb/);
    assert.ok(s.bytesRead < 64 * 1024, `read ${s.bytesRead}`);

    const liar = buildZip([{ name: 'small.pkl', data: new Uint8Array(4096).fill(65), method: 8, declaredSize: 100 }]);
    const l = bufferSource(liar);
    const la = await openZip(l, budget());
    const lm = await openMember(l, la.entries[0]!, budget());
    assert.ok('issue' in lm);
    assert.equal(lm.issue.kind, 'malformed');
    assert.match(lm.issue.message, /past its declared 100 bytes/);
  });

  it('caps members over the size limit', async () => {
    const s = bufferSource(buildZip([{ name: 'x', data: new Uint8Array(10), method: 8, declaredSize: ZIP_LIMITS.maxMemberBytes + 1 }]));
    const a = await openZip(s, budget());
    const m = await openMember(s, a.entries[0]!, budget());
    assert.ok('issue' in m);
    assert.match(m.issue.message, /(cap|bomb)/);
  });

  it('reads only a prefix when asked, even of a large deflated member', async () => {
    const data = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff);
    const s = bufferSource(buildZip([{ name: 'x.npy', data, method: 8 }]));
    const a = await openZip(s, budget());
    const m = await openMember(s, a.entries[0]!, budget(), { prefix: true, maxBytes: 1000 });
    assert.ok(!('issue' in m));
    assert.equal(m.source.size, 1000);
    assert.deepEqual(await m.source.read(0, 10), data.subarray(0, 10));
  });

  it('flags a local header whose name differs from the directory, and still reads it', async () => {
    const zip = buildZip([{ name: 'archive/version', localName: 'archive/data.pkl', data: bytes('x') }]);
    const s = bufferSource(zip);
    const a = await openZip(s, budget());
    const m = await openMember(s, a.entries[0]!, budget());
    assert.ok(!('issue' in m));
    assert.equal(m.issues[0]!.kind, 'malformed');
    assert.match(m.issues[0]!.message, /local header names 'archive\/data.pkl'/);
  });

  it('reads a member flagged as encrypted as stored bytes, and says so', async () => {
    const zip = buildZip([{ name: 'data.pkl', data: bytes('plain'), flags: 0x1 }]);
    const s = bufferSource(zip);
    const a = await openZip(s, budget());
    const m = await openMember(s, a.entries[0]!, budget());
    assert.ok(!('issue' in m));
    assert.equal(new TextDecoder().decode(await m.source.read(0, 5)), 'plain');
    assert.match(m.issues[0]!.message, /encrypted/);
  });

  it('reports unsupported methods, truncated members and bad deflate data', async () => {
    const bz = buildZip([{ name: 'a', data: bytes('x') }]);
    bz.set(u16(12), 8); // local method
    bz.set(u16(12), bz.length - 22 - 46 - 1 + 10); // directory method
    const s1 = bufferSource(bz);
    const m1 = await openMember(s1, (await openZip(s1, budget())).entries[0]!, budget());
    assert.ok('issue' in m1 && /method 12/.test(m1.issue.message));

    const full = buildZip([{ name: 'a', data: new Uint8Array(1000) }]);
    const cut = bufferSource(full);
    const entry = { ...(await openZip(cut, budget())).entries[0]!, compressedSize: 10_000_000 };
    const m2 = await openMember(cut, entry, budget());
    assert.ok('issue' in m2 && m2.issue.kind === 'truncated');

    const junk = buildZip([{ name: 'a', data: bytes('x') }]);
    const s3 = bufferSource(junk);
    const e3 = { ...(await openZip(s3, budget())).entries[0]!, method: 8, size: 10 };
    const m3 = await openMember(s3, e3, budget());
    assert.ok('issue' in m3 || m3.issues.length > 0);
  });

  it('lists at most maxEntries members and says so', async function () {
    this.timeout(60_000);
    const saved = ZIP_LIMITS.maxEntries;
    ZIP_LIMITS.maxEntries = 50;
    try {
      const zip = buildZip(Array.from({ length: 120 }, (_, i) => ({ name: `m${i}`, data: bytes('x') })));
      const a = await openZip(bufferSource(zip), budget());
      assert.equal(a.entries.length, 50);
      assert.equal(a.omitted, 70);
      assert.equal(a.issues[0]!.kind, 'not-fully-scanned');
    } finally {
      ZIP_LIMITS.maxEntries = saved;
    }
  });

  it('inflates a valid deflate stream that declares the right size', async () => {
    const raw = bytes('hello '.repeat(1000));
    const zip = buildZip([{ name: 'h', data: raw, method: 8 }]);
    assert.equal(deflateSync(raw).length < raw.length, true);
    assert.equal(await memberText(zip, 'h'), 'hello '.repeat(1000));
  });
});
