// Format detection from content (never the name), and the candidate-file filter by name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isModelFileName, sniffFormat } from '../../../server/src/models/sniff';
import { gzipSync, zlibSync } from 'fflate';
import { buildZip, bytes, ctx, evilPickle, P, src, torchZip, u32, u64 } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const fixture = (n: string) => readFileSync(path.join(FIXTURES, n));
const sniff = async (b: Uint8Array) => (await sniffFormat(src(b), ctx())).format;

describe('sniffFormat', () => {
  it('recognises pickles of every protocol, with or without PROTO', async () => {
    for (let p = 0; p <= 5; p++) assert.equal(await sniff(fixture(`plain_protocol${p}.pkl`)), 'pickle', `protocol ${p}`);
    assert.equal(await sniff(evilPickle()), 'pickle');
    // A prefix that imports before failing is a pickle: a loader runs that import.
    assert.equal(await sniff(bytes(P.global('os', 'system'), [0xff])), 'pickle');
  });

  it('recognises torch zips, legacy torch, TorchScript, npz, Keras and plain zips by their members', async () => {
    assert.equal(await sniff(torchZip(evilPickle())), 'pytorch-zip');
    assert.equal(await sniff(fixture('torch_legacy.pt')), 'pytorch-legacy');
    assert.equal(await sniff(buildZip([{ name: 'm/code/__torch__/x.py', data: bytes('x') }, { name: 'm/data.pkl', data: bytes('.') }])), 'torchscript');
    assert.equal(await sniff(buildZip([{ name: 'm/constants.pkl', data: bytes('.') }])), 'torchscript');
    assert.equal(await sniff(fixture('np_arrays.npz')), 'numpy-npz');
    assert.equal(await sniff(buildZip([{ name: 'config.json', data: bytes('{}') }, { name: 'metadata.json', data: bytes('{}') }, { name: 'model.weights.h5', data: bytes('') }])), 'keras');
    assert.equal(await sniff(buildZip([{ name: 'readme.txt', data: bytes('hi') }])), 'zip');
    const broken = await sniffFormat(src(bytes('PK\x03\x04garbage')), ctx());
    assert.equal(broken.format, 'zip');
    assert.match(broken.zipError ?? '', /end-of-central-directory/);
  });

  it('recognises npy, HDF5 (with a user block), GGUF, safetensors, ONNX and compressed joblib', async () => {
    assert.equal(await sniff(fixture('np_float.npy')), 'numpy');
    const hdf5 = bytes([0x89], 'HDF\r\n\x1a\n', new Uint8Array(100));
    assert.equal(await sniff(hdf5), 'hdf5');
    assert.equal(await sniff(bytes(new Uint8Array(512), hdf5)), 'hdf5');
    assert.equal(await sniff(bytes(new Uint8Array(2048), hdf5)), 'hdf5');
    assert.equal(await sniff(bytes(new Uint8Array(700), hdf5)), 'unknown');
    assert.equal(await sniff(bytes('GGUF', u32(3), new Uint8Array(16))), 'gguf');
    const header = bytes('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    assert.equal(await sniff(bytes(u64(header.length), header, new Uint8Array(4))), 'safetensors');
    assert.equal(await sniff(bytes(u64(1000), header)), 'unknown'); // header longer than the file
    assert.equal(await sniff(bytes([0x08, 0x07, 0x12, 0x07], 'pytorch', [0x1a, 0x03], '2.1')), 'onnx');
    assert.equal(await sniff(zlibSync(evilPickle())), 'joblib');
    assert.equal(await sniff(gzipSync(evilPickle())), 'joblib');
  });

  it('names the containers it recognises but does not open', async () => {
    const tar = new Uint8Array(1024);
    tar.set(bytes('pickle'), 0);
    tar.set(bytes('ustar\x0000'), 257);
    for (const [b, what] of [
      [tar, /tar archive/],
      [bytes('BZh91AY&SY'), /bz2/],
      [bytes([0xfd], '7zXZ', [0]), /xz/],
      [bytes([0x5d, 0, 0, 0x80, 0]), /lzma/],
      [bytes([0x28, 0xb5, 0x2f, 0xfd, 0]), /zstd/],
      [bytes('7z', [0xbc, 0xaf, 0x27, 0x1c]), /7z/],
    ] as const) {
      const s = await sniffFormat(src(b), ctx());
      assert.equal(s.format, 'unknown');
      assert.match(s.unsupported ?? '', what);
    }
  });

  it('ignores the extension and rejects what is none of these', async () => {
    assert.equal(await sniff(new Uint8Array(0)), 'unknown');
    assert.equal(await sniff(bytes('hello world, this is text\n')), 'unknown');
    assert.equal(await sniff(bytes('(see the docs)')), 'unknown');
    assert.equal(await sniff(bytes([0x08, 0x07, 0x99])), 'unknown');
    assert.equal(await sniff(bytes([0x00, 0x01, 0x02, 0x03])), 'unknown');
  });
});

describe('isModelFileName', () => {
  it('accepts model extensions in any case, including compressed joblib dumps', () => {
    for (const n of ['m.pt', 'm.PTH', 'dir/pytorch_model.bin', 'a.ckpt', 'c.pkl', 'c.pickle', 'c.joblib', 'c.dill', 'a.npy', 'a.npz', 'w.h5', 'w.hdf5', 'm.keras', 'm.safetensors', 'm.gguf', 'm.onnx', 'saved_model.pb', 'flax_model.msgpack', 'C:\\models\\m.pt', 'clf.joblib.gz', 'clf.pkl.z']) {
      assert.equal(isModelFileName(n), true, n);
    }
  });
  it('rejects other files', () => {
    for (const n of ['README.md', 'train.py', 'data.csv', 'pt', '.pt', 'archive.tar.gz', 'notes.txt.gz', 'model.pt/', 'weights']) assert.equal(isModelFileName(n), false, n);
  });
});
