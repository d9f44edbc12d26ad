// joblib dumps: arrays written after a NumpyArrayWrapper are skipped exactly as joblib reads
// them (padding byte, frame boundaries, object arrays as embedded pickles), so the opcodes after
// them are walked; compressed dumps are inflated; raw bytes are also probed as pickle.load reads them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync, gzipSync, zlibSync } from 'fflate';
import { scanModelFile } from '../../../server/src/models/index';
import { walkPickles } from '../../../server/src/models/pickle';
import { arrayBytes, bytes, ctx, evilPickle, importNames, P, src, u64, wrapperOpcodes } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const fixture = (n: string) => readFileSync(path.join(FIXTURES, n));
const f64 = (n: number) => new Uint8Array(new Float64Array(n).map((_, i) => i + 0.5).buffer);

/** A protocol-2 joblib dump of `[array, <tail>]`: wrapper, data, then the tail's opcodes. */
function dump(data: Uint8Array, descr: string, shape: number[], tail: Uint8Array, aligned = true): Uint8Array {
  const head = bytes(P.proto(2), P.mark, wrapperOpcodes({ shape, descr, aligned }));
  return bytes(head, arrayBytes(head.length, data, aligned), tail);
}

describe('joblib dumps', () => {
  for (const name of ['sklearn_logreg.joblib', 'sklearn_logreg_joblib1.1.joblib', 'sklearn_logreg.joblib.z']) {
    it(`keeps a replica of joblib.dump(LogisticRegression) clean: ${name}`, async () => {
      const scan = await scanModelFile(src(fixture(name)), name);
      assert.equal(scan.format, 'joblib');
      assert.equal(scan.complete, true);
      assert.deepEqual(scan.issues.map((i) => i.kind), ['pickle-format']);
      assert.ok(importNames(scan).includes('sklearn.linear_model._logistic.LogisticRegression'));
      assert.ok(importNames(scan).includes('joblib.numpy_pickle.NumpyArrayWrapper'));
      assert.match(scan.details?.['joblib arrays skipped'] ?? '', /^4 \(148 bytes\)/);
    });
  }

  it('walks the opcodes after an array (aligned and joblib <= 1.1 layouts)', async () => {
    for (const aligned of [true, false]) {
      const file = dump(f64(10), 'f8', [10], bytes(P.global('os', 'system'), P.pop, P.list, P.stop), aligned);
      const w = await walkPickles(src(file), ctx());
      assert.deepEqual(importNames(w, 'denied'), ['os.system'], `aligned=${aligned}`);
      assert.equal(w.arrays, 1);
      assert.equal(w.complete, true);
    }
  });

  it('does not mistake array bytes for opcodes (joblib.load reads them as data)', async () => {
    const planted = bytes('cos\nsystem\n', new Uint8Array(69));
    const file = dump(planted, 'u1', [planted.length], bytes(P.list, P.stop));
    const w = await walkPickles(src(file), ctx());
    assert.deepEqual(importNames(w, 'denied'), []);
    assert.equal(w.complete, true);
  });

  it('probes raw array bytes as pickle.load would read them (no padding byte to stop it)', async () => {
    const payload = evilPickle('os', 'system');
    const file = dump(bytes(payload, new Uint8Array(16)), 'u1', [payload.length + 16], bytes(P.list, P.stop), false);
    const w = await walkPickles(src(file), ctx());
    const hit = w.imports.find((i) => i.verdict === 'denied');
    assert.ok(hit, JSON.stringify(w.imports));
    assert.match(hit.where ?? '', /as pickle\.load reads them/);
  });

  it('skips array bytes outside the frame the wrapper is in (joblib reads from the file, not the frame)', async () => {
    // Protocol 4: the frame holds the wrapper AND later opcodes; the data follows the frame.
    const inFrame = bytes(P.mark, wrapperOpcodes({ shape: [4], descr: 'f8' }), P.global('subprocess', 'Popen'), P.pop, P.list, P.stop);
    const head = bytes(P.proto(4), P.frame(inFrame.length));
    const file = bytes(head, inFrame, arrayBytes(head.length + inFrame.length, f64(4)), evilPickle('nt', 'system'));
    const w = await walkPickles(src(file), ctx());
    assert.deepEqual(importNames(w, 'denied').sort(), ['nt.system', 'subprocess.Popen']);
    assert.equal(w.pickles, 2);
  });

  it('walks an object array as the embedded pickle joblib writes, then goes on', async () => {
    const embedded = evilPickle('posix', 'system', 2);
    const head = bytes(P.proto(2), P.mark, wrapperOpcodes({ shape: [2], descr: 'O8' }));
    const file = bytes(head, embedded, P.global('builtins', 'eval'), P.pop, P.list, P.stop);
    const w = await walkPickles(src(file), ctx());
    assert.deepEqual(importNames(w, 'denied').sort(), ['builtins.eval', 'posix.system']);
    assert.equal(w.complete, true);
  });

  it('recognises a wrapper built through copyreg._reconstructor (protocols 0 and 1)', async () => {
    const wrapper = wrapperOpcodes({ shape: [2], descr: 'f8' });
    const viaReconstructor = bytes(
      P.mark, P.global('copyreg', '_reconstructor'), P.global('joblib.numpy_pickle', 'NumpyArrayWrapper'), P.global('builtins', 'object'), P.none, P.tuple3, P.reduce,
      wrapper.subarray(wrapper.indexOf(0x7d)), // from EMPTY_DICT on: the state and BUILD
    );
    const w = await walkPickles(src(bytes(viaReconstructor, arrayBytes(viaReconstructor.length, f64(2)), P.global('os', 'system'), P.pop, P.list, P.stop)), ctx());
    assert.equal(w.arrays, 1);
    assert.deepEqual(importNames(w, 'denied'), ['os.system']);
    assert.equal(w.complete, true);
  });

  it('stops soundly on a wrapper whose size cannot be known, and on one that runs past the file', async () => {
    const unknownShape = bytes(P.proto(2), P.global('joblib.numpy_pickle', 'NumpyArrayWrapper'), P.emptyTuple, P.newobj, P.emptyDict, P.shortBinunicode('shape'), P.none, P.setitem, P.build, P.stop);
    const u = await walkPickles(src(unknownShape), ctx());
    assert.equal(u.complete, false);
    assert.equal(u.issues[0]!.kind, 'not-fully-scanned');
    assert.match(u.issues[0]!.message, /joblib array whose size cannot be worked out/);

    const huge = dump(f64(1), 'f8', [1_000_000_000], bytes(P.stop));
    const h = await walkPickles(src(huge), ctx());
    assert.equal(h.issues[0]!.kind, 'truncated');
    assert.match(h.issues[0]!.message, /runs past the end of the file/);
  });

  it('applies joblib semantics only where joblib loads (not inside torch checkpoints)', async () => {
    const file = dump(f64(2), 'f8', [2], bytes(P.list, P.stop));
    const plain = await walkPickles(src(file), ctx(), { joblib: false });
    assert.equal(plain.arrays, 0);
    assert.equal(plain.complete, false); // pickle.load chokes on the padding byte, as CPython would
  });

  it('inflates zlib and gzip dumps and finds what they hide', async () => {
    for (const [name, wrap] of [['zlib', zlibSync], ['gzip', gzipSync]] as const) {
      const scan = await scanModelFile(src(wrap(evilPickle('os', 'system', 4))), `m.joblib`);
      assert.equal(scan.format, 'joblib', name);
      assert.equal(scan.details?.['compression'], name);
      assert.deepEqual(importNames(scan, 'denied'), ['os.system'], name);
    }
  });

  it('reports a compressed dump that exceeds the read budget as not fully scanned', async () => {
    const big = bytes(P.proto(4), P.binbytes8(new Uint8Array(3 * 1024 * 1024)), P.pop, evilPickle().subarray(0, 0), P.none, P.stop);
    const scan = await scanModelFile(src(zlibSync(big)), 'big.joblib.z', { maxBytes: 1024 * 1024 });
    assert.equal(scan.complete, false);
    assert.ok(scan.issues.some((i) => i.kind === 'not-fully-scanned'), JSON.stringify(scan.issues));
    assert.ok(!scan.issues.some((i) => i.kind === 'truncated'));
  });

  it('says when a compressed stream is not a pickle', async () => {
    const scan = await scanModelFile(src(zlibSync(bytes('\x00not a pickle'))), 'notes.z');
    assert.equal(scan.format, 'joblib');
    assert.equal(scan.details?.['note'], 'the decompressed content is not a pickle');
    assert.equal(deflateSync(bytes('x')).length > 0, true);
    assert.equal(u64(1).length, 8);
  });
});
