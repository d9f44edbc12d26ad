// NumPy files: real np.save/np.savez output stays clean (object arrays are pickle-based, so an
// info note); object arrays' pickles are walked; headers are parsed as literals, never evaluated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanModelFile } from '../../../server/src/models/index';
import { parseLiteral, parseNpyHeader } from '../../../server/src/models/npyHeader';
import { buildZip, bytes, evilPickle, evilStackGlobal, importNames, src, u16, u32 } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const fixture = (n: string) => readFileSync(path.join(FIXTURES, n));

function npy(header: string, body: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const len = version === 1 ? u16(header.length) : u32(header.length);
  return bytes([0x93], 'NUMPY', [version, 0], len, header, body);
}

const objectHeader = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n";

describe('NumPy .npy', () => {
  it('reads real np.save output: numeric, structured and object arrays', async () => {
    const num = await scanModelFile(src(fixture('np_float.npy')), 'x.npy');
    assert.equal(num.format, 'numpy');
    assert.deepEqual(num.issues, []);
    assert.deepEqual(num.imports, []);
    assert.equal(num.details?.['shape'], '(3, 4)');
    assert.equal(num.details?.['dtype'], '<f4');

    const rec = await scanModelFile(src(fixture('np_structured.npy')), 'r.npy');
    assert.deepEqual(rec.issues, []);
    assert.equal(rec.details?.['dtype'], 'structured');

    const obj = await scanModelFile(src(fixture('np_object.npy')), 'o.npy');
    assert.deepEqual(obj.issues.map((i) => i.kind), ['pickle-format']);
    assert.ok(importNames(obj, 'allowed').includes('numpy._core.multiarray._reconstruct'));
    assert.equal(obj.details?.['object array'], 'yes (pickled; np.load needs allow_pickle=True)');
  });

  it('walks the pickle of an object array', async () => {
    const scan = await scanModelFile(src(npy(objectHeader, evilStackGlobal('os', 'system'))), 'evil.npy');
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
    const structured = npy("{'descr': [('a', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, 'shape': (1,), }\n", evilPickle('nt', 'system', 2));
    assert.deepEqual(importNames(await scanModelFile(src(structured), 's.npy'), 'denied'), ['nt.system']);
  });

  it('does not walk numeric data even when it looks like opcodes', async () => {
    const body = bytes(evilPickle(), new Uint8Array(40 - evilPickle().length));
    const scan = await scanModelFile(src(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (40,), }\n", body)), 'u8.npy');
    assert.deepEqual(scan.imports, []);
    assert.deepEqual(scan.issues, []);
  });

  it('reports truncated data and malformed headers', async () => {
    const short = await scanModelFile(src(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000,), }\n", new Uint8Array(8))), 's.npy');
    assert.equal(short.issues[0]!.kind, 'truncated');
    for (const bad of [
      npy("{'descr': '<f8', 'shape': (2,)"),
      npy("__import__('os').system('id')\n"),
      npy("{'shape': (2,)}\n"),
      npy(`{'descr': ${'['.repeat(40)}${']'.repeat(40)}, 'shape': (1,)}\n`),
      bytes([0x93], 'NUMPY', [9, 0], u16(2), '{}'),
      bytes([0x93], 'NUMPY', [1, 0], u16(5000), '{}'),
    ]) {
      const scan = await scanModelFile(src(bad), 'bad.npy');
      assert.equal(scan.format, 'numpy');
      assert.equal(scan.issues[0]!.kind, 'malformed', new TextDecoder().decode(bad));
      assert.equal(scan.complete, false);
    }
  });

  it('reads version 2 and 3 headers', async () => {
    const v2 = await scanModelFile(src(npy(objectHeader, evilPickle('os', 'system', 2), 2)), 'v2.npy');
    assert.deepEqual(importNames(v2, 'denied'), ['os.system']);
    assert.equal(v2.details?.['npy version'], '2.0');
    const v3 = await scanModelFile(src(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }\n", new Uint8Array(0), 3)), 'v3.npy');
    assert.deepEqual(v3.issues, []);
  });

  it('parses header literals without evaluating them', () => {
    const lit = parseLiteral("{'__proto__': 1, 'a': (1, 2L, [True, None]), \"b\": 'x\\'y'}");
    assert.deepEqual(Object.keys(lit as object), ['__proto__', 'a', 'b']);
    assert.equal(Object.getPrototypeOf(lit), null);
    assert.throws(() => parseLiteral('(1, 2'));
    assert.throws(() => parseLiteral('os.system("id")'));
    const h = parseNpyHeader(npy("{'descr': '<U10', 'fortran_order': True, 'shape': (3, 2), }\n"));
    assert.equal(h.itemsize, 40);
    assert.equal(h.fortranOrder, true);
    assert.deepEqual(h.shape, [3, 2]);
    assert.equal(h.hasObject, false);
  });
});

describe('NumPy .npz', () => {
  it('reads real np.savez and np.savez_compressed output', async () => {
    const plain = await scanModelFile(src(fixture('np_arrays.npz')), 'a.npz');
    assert.equal(plain.format, 'numpy-npz');
    assert.deepEqual(plain.issues, []);
    assert.deepEqual(plain.members, ['x.npy', 'y.npy']);
    const compressed = await scanModelFile(src(fixture('np_arrays_compressed.npz')), 'c.npz');
    assert.deepEqual(compressed.issues.map((i) => i.kind), ['pickle-format']);
    assert.equal(compressed.details?.['object arrays'], '1');
  });

  it('finds an evil object array in a deflated member, and inflates numeric members only up to their header', async () => {
    // Incompressible data, so the deflated member is as big as the array.
    const data = new Uint8Array(2_000_000).map((_, i) => (i * 2654435761) >>> 24);
    const numeric = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (250000,), }\n", data);
    const file = buildZip([
      { name: 'weights.npy', data: numeric, method: 8 },
      { name: 'meta.npy', data: npy(objectHeader, evilPickle('subprocess', 'call', 2)), method: 8 },
    ]);
    const source = src(file);
    const scan = await scanModelFile(source, 'evil.npz');
    assert.equal(scan.format, 'numpy-npz');
    assert.deepEqual(importNames(scan, 'denied'), ['subprocess.call']);
    assert.equal(scan.imports.find((i) => i.verdict === 'denied')!.where, 'meta.npy');
    assert.ok(source.bytesRead < 100_000, `read ${source.bytesRead} of ${file.length}`);
  });

  it('treats an archive with other members as a zip and still scans its pickles', async () => {
    const file = buildZip([{ name: 'x.npy', data: npy(objectHeader, evilPickle('os', 'system', 2)) }, { name: 'extra.pkl', data: evilPickle('pty', 'spawn', 2) }]);
    const scan = await scanModelFile(src(file), 'mixed.npz');
    assert.equal(scan.format, 'zip');
    assert.deepEqual(importNames(scan, 'denied').sort(), ['os.system', 'pty.spawn']);
  });
});
