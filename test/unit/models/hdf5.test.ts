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

  it('does not start parsing once the deadline has passed', async () => {
    const bytes = await h5((f) => kerasAttrs(f, CLEAN));
    let t = 0;
    const r = await readHdf5(bufferSource(bytes), ctx({ now: () => (t += 10_000), deadlineMs: 5000 }));
    assert.equal(r.issues[0]?.kind, 'not-fully-scanned');
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
