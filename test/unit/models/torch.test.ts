// PyTorch checkpoints: byte-exact torch.save replicas stay clean and cost only their pickle;
// every .pkl member is walked (not only data.pkl), nested archives are opened, storages are not
// read; the legacy format's five pickles are walked and its storages skipped; TorchScript too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanModelFile } from '../../../server/src/models/index';
import { buildZip, bytes, evilPickle, evilStackGlobal, importNames, P, src, torchZip } from './builders';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
const fixture = (n: string) => readFileSync(path.join(FIXTURES, n));
const stateDict = () => fixture('torch_state_dict.data.pkl');
const storages = () => [fixture('torch_state_dict.storage0.bin'), fixture('torch_state_dict.storage1.bin')];

describe('PyTorch zip checkpoints', () => {
  it('keeps a torch.save state_dict clean, with one info note and no warnings', async () => {
    const scan = await scanModelFile(src(torchZip(stateDict(), storages())), 'model.pt');
    assert.equal(scan.format, 'pytorch-zip');
    assert.equal(scan.complete, true);
    assert.deepEqual(scan.issues.map((i) => [i.kind, i.severity]), [['pickle-format', 'info']]);
    assert.deepEqual(importNames(scan).sort(), ['collections.OrderedDict', 'torch.FloatStorage', 'torch._utils._rebuild_tensor_v2']);
    assert.equal(scan.details?.['archive'], 'archive');
    assert.equal(scan.details?.['version'], '3');
    assert.equal(scan.details?.['byteorder'], 'little');
    assert.equal(scan.details?.['pickle protocol'], '2');
    assert.match(scan.details?.['tensor storages (not read)'] ?? '', /^2 /);
  });

  it('never reads tensor storages: the cost is the pickle, not the weights', async () => {
    const weights = new Uint8Array(16 * 1024 * 1024).fill(0x63); // 'c': would look like GLOBAL if walked
    const file = torchZip(stateDict(), [weights, weights]);
    const source = src(file);
    const scan = await scanModelFile(source, 'big.pt');
    assert.deepEqual(importNames(scan, 'denied'), []);
    assert.ok(source.bytesRead < 200_000, `read ${source.bytesRead} of ${file.length}`);
  });

  it('finds an evil data.pkl', async () => {
    const scan = await scanModelFile(src(torchZip(evilPickle('os', 'system', 2))), 'evil.pt');
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
    assert.equal(scan.imports.find((i) => i.verdict === 'denied')!.where, 'archive/data.pkl');
    assert.equal(scan.issues[0]!.severity, 'error');
  });

  it('walks every .pkl member, not only data.pkl', async () => {
    const file = torchZip(stateDict(), storages(), [{ name: 'archive/extra/hook.pkl', data: evilStackGlobal('subprocess', 'Popen') }, { name: 'archive/OTHER.PKL', data: evilPickle('nt', 'system') }]);
    const scan = await scanModelFile(src(file), 'sneaky.pt');
    assert.deepEqual(importNames(scan, 'denied').sort(), ['nt.system', 'subprocess.Popen']);
    assert.deepEqual(scan.imports.filter((i) => i.verdict === 'denied').map((i) => i.where).sort(), ['archive/OTHER.PKL', 'archive/extra/hook.pkl']);
  });

  it('walks a deflated data.pkl and every pickle concatenated in it', async () => {
    const data = bytes(stateDict(), evilPickle('posix', 'system', 2));
    const file = buildZip([{ name: 'archive/data.pkl', data, method: 8 }, { name: 'archive/version', data: bytes('3\n') }]);
    const scan = await scanModelFile(src(file), 'm.pt');
    assert.deepEqual(importNames(scan, 'denied'), ['posix.system']);
    assert.equal(scan.imports.find((i) => i.verdict === 'denied')!.where, 'archive/data.pkl, pickle #2');
  });

  it('opens a checkpoint nested in a member, and a zip nested in that', async () => {
    const inner = torchZip(evilPickle('os', 'system', 2), [], [], 'inner');
    const middle = buildZip([{ name: 'pack/inner.pt', data: inner }]);
    const file = torchZip(stateDict(), storages(), [{ name: 'archive/extra/bundle.zip', data: middle, method: 8 }]);
    const scan = await scanModelFile(src(file), 'nested.pt');
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
    assert.equal(scan.imports.find((i) => i.verdict === 'denied')!.where, 'archive/extra/bundle.zip!/pack/inner.pt!/inner/data.pkl');
  });

  it('stops at the nesting limit with a not-fully-scanned note', async () => {
    let file = torchZip(evilPickle(), [], [], 'deep');
    for (let i = 0; i < 6; i++) file = buildZip([{ name: `level${i}.zip`, data: file }]);
    const scan = await scanModelFile(src(file), 'deep.zip');
    assert.equal(scan.complete, false);
    assert.ok(scan.issues.some((i) => i.kind === 'not-fully-scanned' && /nested more than/.test(i.message)));
    assert.deepEqual(importNames(scan, 'denied'), []);
  });

  it('reports an archive without any pickle', async () => {
    const scan = await scanModelFile(src(buildZip([{ name: 'archive/data.pkl/', data: new Uint8Array(0) }, { name: 'archive/code/x.py', data: bytes('x') }])), 'odd.pt');
    assert.equal(scan.format, 'torchscript');
    assert.ok(scan.issues.some((i) => /without any \.pkl/.test(i.message)));
  });
});

describe('TorchScript archives', () => {
  const script = (constants: Uint8Array) =>
    buildZip([
      { name: 'model/data.pkl', data: bytes(P.proto(2), P.global('__torch__', 'MyModule'), P.emptyTuple, P.newobj, P.stop) },
      { name: 'model/code/__torch__.py', data: bytes('class MyModule(Module):\n  pass\n') },
      { name: 'model/constants.pkl', data: constants },
      { name: 'model/version', data: bytes('6') },
    ]);

  it("allows the archive's own TorchScript classes and says the code runs", async () => {
    const scan = await scanModelFile(src(script(bytes(P.proto(2), P.emptyTuple, P.stop))), 'scripted.pt');
    assert.equal(scan.format, 'torchscript');
    assert.deepEqual(importNames(scan, 'allowed'), ['__torch__.MyModule']);
    assert.equal(scan.issues.length, 1);
    assert.match(scan.issues[0]!.message, /TorchScript code in its code\//);
    assert.equal(scan.details?.['TorchScript code files'], '1');
  });

  it('walks constants.pkl', async () => {
    const scan = await scanModelFile(src(script(evilPickle('builtins', 'exec', 2))), 'scripted.pt');
    assert.deepEqual(importNames(scan, 'denied'), ['builtins.exec']);
  });
});

describe('legacy PyTorch files', () => {
  it('walks the five pickles of a torch.save (< 1.6) file and skips its storages', async () => {
    const file = fixture('torch_legacy.pt');
    const scan = await scanModelFile(src(file), 'legacy.pt');
    assert.equal(scan.format, 'pytorch-legacy');
    assert.equal(scan.complete, true);
    assert.equal(scan.details?.['pickles walked'], '5 of 5');
    assert.equal(scan.details?.['tensor storages (not read)'], '48 B');
    assert.deepEqual(scan.issues.map((i) => i.kind), ['pickle-format']);
  });

  it('finds a payload in the storage-keys pickle, and ignores bytes in the storages', async () => {
    const file = fixture('torch_legacy.pt');
    // The fifth pickle (storage keys) starts after the main one: replace it with an evil one.
    const keysAt = file.indexOf(Buffer.from([0x80, 0x02, 0x5d]), 100);
    assert.ok(keysAt > 0);
    const evil = bytes(file.subarray(0, keysAt), evilPickle('os', 'system', 2), bytes(P.binint(2)), evilPickle('nt', 'system', 2));
    const scan = await scanModelFile(src(evil), 'legacy.pt');
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
  });

  it('recognises a legacy file written with protocol 4 (magic number inside a frame)', async () => {
    const magic = bytes(P.proto(4), P.frame(13), [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], P.stop);
    const scan = await scanModelFile(src(bytes(magic, P.proto(2), P.binint2(1001), P.stop)), 'legacy4.pt');
    assert.equal(scan.format, 'pytorch-legacy');
    assert.ok(scan.issues.some((i) => i.kind === 'truncated' && /ends after 2/.test(i.message)));
  });
});
