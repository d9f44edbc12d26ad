import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { File as H5wasmFile } from 'h5wasm';
import { bufferSource } from '../../../server/src/models/byteSource';
import { readHdf5 } from '../../../server/src/models/hdf5';
import { claimedSource, ctx } from './formatBuilders';

// HDF5 files are written by h5wasm (the HDF5 C library compiled to wasm, a dev dependency) so the
// reader is tested on what libhdf5 really writes; h5py, which Keras uses, is libhdf5 too.
// `['earliest', 'latest']` is h5py's default layout (symbol-table groups, v1 object headers).
type Layout = 'h5py' | 'latest';

async function h5(build: (f: H5wasmFile) => void, layout: Layout = 'h5py'): Promise<Uint8Array> {
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const dir = mkdtempSync(path.join(tmpdir(), 'aidr-h5-'));
  try {
    const file = path.join(dir, 'model.h5');
    const f = new h5wasm.File(file, 'w', { libver: layout === 'h5py' ? ['earliest', 'latest'] : 'latest' });
    try {
      build(f);
    } finally {
      f.close();
    }
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keras writes configs as fixed-length byte strings and versions as str (variable-length). */
function kerasAttrs(f: H5wasmFile, config: unknown, training?: unknown): void {
  const json = JSON.stringify(config);
  f.create_attribute('keras_version', '2.13.1');
  f.create_attribute('backend', 'tensorflow');
  f.create_attribute('model_config', json, null, `S${Buffer.byteLength(json)}`);
  if (training !== undefined) {
    const t = JSON.stringify(training);
    f.create_attribute('training_config', t, null, `S${Buffer.byteLength(t)}`);
  }
}

function weights(f: H5wasmFile, floats: number): void {
  const g = f.create_group('model_weights');
  g.create_attribute('layer_names', ['dense', 'dense_1']);
  g.create_group('dense').create_dataset({ name: 'kernel', data: new Float32Array(floats) });
}

const CLEAN = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 4 } }, { class_name: 'Dense', config: { name: 'dense_1', units: 2 } }] } };
const LAMBDA = {
  class_name: 'Sequential',
  config: { name: 's', layers: [{ class_name: 'Lambda', config: { name: 'exfil', function: ['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHM=', null, null], function_type: 'lambda', module: '__main__' } }] },
};

describe('HDF5 reader (legacy Keras .h5)', function () {
  this.timeout(60_000);

  it('reads a clean Keras .h5: keras_version, backend and model_config, no issues', async () => {
    const r = await readHdf5(bufferSource(await h5((f) => (kerasAttrs(f, CLEAN), weights(f, 64)))), ctx());
    assert.equal(r.format, 'hdf5');
    assert.deepEqual(r.issues, []);
    assert.equal(r.complete, true);
    assert.equal(r.details?.['keras version'], '2.13.1');
    assert.equal(r.details?.['backend'], 'tensorflow');
    assert.equal(r.details?.['model class'], 'Sequential');
    assert.equal(r.details?.['layers'], '2');
    assert.equal(r.details?.['root attributes'], 'keras_version, backend, model_config');
  });

  it('flags a Lambda layer with marshalled bytecode in model_config', async () => {
    const r = await readHdf5(bufferSource(await h5((f) => kerasAttrs(f, LAMBDA))), ctx());
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]!.kind, 'lambda-layer');
    assert.equal(r.issues[0]!.severity, 'error');
    assert.equal(r.issues[0]!.where, 'model_config');
    assert.match(r.issues[0]!.message, /"exfil"/);
  });

  it('checks training_config too (custom losses are custom code)', async () => {
    const training = { loss: { module: 'my_losses', class_name: 'FocalLoss', config: {} }, metrics: ['accuracy'] };
    const r = await readHdf5(bufferSource(await h5((f) => kerasAttrs(f, CLEAN, training))), ctx());
    assert.deepEqual(r.issues.map((i) => [i.kind, i.severity, i.where]), [['custom-object', 'warning', 'training_config']]);
  });

  it('reads only a prefix of a large file: the weights are never read', async () => {
    const bytes = await h5((f) => (kerasAttrs(f, LAMBDA), weights(f, 1_000_000)));
    assert.ok(bytes.length > 4_000_000);
    const r = await readHdf5(bufferSource(bytes), ctx());
    assert.equal(r.issues[0]?.kind, 'lambda-layer');
    assert.ok(r.bytesRead <= 1024 * 1024, `read ${r.bytesRead}`);
  });

  it('stays at prefix cost on a file that claims 10 GB', async () => {
    const bytes = await h5((f) => kerasAttrs(f, LAMBDA));
    const r = await readHdf5(claimedSource(bytes, 10 * 1024 ** 3), ctx());
    assert.equal(r.issues[0]?.kind, 'lambda-layer');
    assert.ok(r.bytesRead <= 1024 * 1024, `read ${r.bytesRead}`);
  });

  it('says the attributes were not reached when they lie past the prefix cap', async () => {
    // Keras 2.0–2.2 wrote training_config after the weights: with the newest layout that root
    // attribute lands in a header block at the end of the file, and a 2 MB budget keeps the
    // reader from going there.
    const bytes = await h5((f) => {
      kerasAttrs(f, LAMBDA);
      weights(f, 1_000_000);
      const t = JSON.stringify({ loss: 'mse', pad: 'x'.repeat(3000) });
      f.create_attribute('training_config', t, null, `S${t.length}`);
    }, 'latest');
    const r = await readHdf5(bufferSource(bytes), ctx({ maxBytes: 2 * 1024 * 1024 }));
    assert.equal(r.complete, false);
    assert.deepEqual(r.issues.map((i) => i.kind), ['not-fully-scanned']);
    assert.match(r.issues[0]!.message, /first 2097152 bytes/);
    assert.ok(r.bytesRead <= 2 * 1024 * 1024);
    // With the budget to read it all (it is under the 16 MiB cap), the same file is judged.
    const whole = await readHdf5(bufferSource(bytes), ctx());
    assert.equal(whole.issues[0]?.kind, 'lambda-layer');
  });

  it('treats an HDF5 file without Keras attributes as plain data', async () => {
    const r = await readHdf5(bufferSource(await h5((f) => weights(f, 16))), ctx());
    assert.deepEqual(r.issues, []);
    assert.equal(r.details?.['root attributes'], 'none');
    assert.equal(r.details?.['model class'], undefined);
  });

  it('reports files that are not HDF5, or truncated, as malformed', async () => {
    const notH5 = await readHdf5(bufferSource(new TextEncoder().encode('just some text, long enough')), ctx());
    assert.equal(notH5.issues[0]?.kind, 'malformed');
    const bytes = await h5((f) => kerasAttrs(f, CLEAN));
    const cut = await readHdf5(bufferSource(bytes.subarray(0, 200)), ctx());
    assert.equal(cut.issues[0]?.kind, 'malformed');
    assert.equal(cut.complete, false);
  });

  it('notes (rather than misreads) a file with a user block before the superblock', async () => {
    const bytes = await h5((f) => kerasAttrs(f, LAMBDA));
    const shifted = new Uint8Array(512 + bytes.length);
    shifted.set(bytes, 512);
    const r = await readHdf5(bufferSource(shifted), ctx());
    assert.deepEqual(r.issues.map((i) => i.kind), ['not-fully-scanned']);
    assert.match(r.issues[0]!.message, /512-byte user block/);
  });

  it('does not start parsing once the deadline has passed', async () => {
    const bytes = await h5((f) => kerasAttrs(f, CLEAN));
    let t = 0;
    const r = await readHdf5(bufferSource(bytes), ctx({ now: () => (t += 10_000), deadlineMs: 5000 }));
    assert.equal(r.issues[0]?.kind, 'not-fully-scanned');
  });

  it('time-boxes the parser: a 2.5 KB file whose root B-tree fans out to 64^8 nodes is stopped, not followed', async () => {
    const bytes = exponentialBTree(await h5((f) => (kerasAttrs(f, CLEAN), f.create_group('a'))));
    assert.ok(bytes.length < 16 * 1024);
    const t = Date.now();
    const r = await readHdf5(bufferSource(bytes), ctx());
    assert.ok(Date.now() - t < 20_000);
    assert.deepEqual(r.issues.map((i) => i.kind), ['not-fully-scanned']);
    assert.match(r.issues[0]!.message, /gave up after 500 ms/);
    assert.equal(r.complete, false);
  });

  it('never throws, overspends or hangs on mutated files', async () => {
    const valid = await h5((f) => (kerasAttrs(f, LAMBDA), weights(f, 16)));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(Math.min(valid.length, 4096) - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 8, max: 1 << 20 }),
        async (edits, maxBytes) => {
          const b = valid.slice();
          for (const [i, v] of edits) b[i] = v;
          const r = await readHdf5(bufferSource(b), ctx({ maxBytes, deadlineMs: 3000 }));
          assert.ok(r.bytesRead <= maxBytes);
          assert.equal(r.format, 'hdf5');
        },
      ),
      { numRuns: 150 },
    );
  });
});

/**
 * Rewrites an h5py-layout file so its root group's v1 B-tree is a chain of 9 nodes, each with 64
 * entries that all point at the next: a reader that visits every child without remembering
 * nodes walks 64^8 of them. The superblock's cached B-tree address at byte 80 gives the
 * original root B-tree, whose address is replaced everywhere it appears.
 */
function exponentialBTree(base: Uint8Array): Uint8Array {
  const E = 64;
  const LEVELS = 8;
  const nodeSize = 24 + (2 * E + 1) * 8;
  const start = Math.ceil(base.length / 8) * 8;
  const out = new Uint8Array(start + (LEVELS + 1) * nodeSize);
  out.set(base);
  const v = new DataView(out.buffer);
  const btree = v.getBigUint64(80, true);
  const leafChild = v.getBigUint64(Number(btree) + 24 + 8, true);
  for (let k = 0; k <= LEVELS; k++) {
    const at = start + k * nodeSize;
    out.set([0x54, 0x52, 0x45, 0x45], at); // "TREE"
    v.setUint8(at + 4, 0); // group node
    v.setUint8(at + 5, LEVELS - k);
    v.setUint16(at + 6, E, true);
    v.setBigUint64(at + 8, 0xffffffffffffffffn, true);
    v.setBigUint64(at + 16, 0xffffffffffffffffn, true);
    const child = k < LEVELS ? BigInt(start + (k + 1) * nodeSize) : leafChild;
    for (let i = 0; i < E; i++) v.setBigUint64(at + 24 + i * 16 + 8, child, true);
  }
  for (let i = 0; i + 8 <= base.length; i++) if (v.getBigUint64(i, true) === btree) v.setBigUint64(i, BigInt(start), true);
  return out;
}
