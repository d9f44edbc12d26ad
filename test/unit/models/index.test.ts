// scanModelFile / scanModelPath: dispatch, budgets, the finishing notes (import issues, the
// pickle-format info, not-fully-scanned), and the promise never to throw.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { READERS, scanModelFile, scanModelPath } from '../../../server/src/models/index';
import { buildZip, bytes, evilPickle, importNames, P, src, torchZip, u64 } from './builders';

describe('scanModelFile', () => {
  it('turns a reader exception into a malformed issue, never a throw', async () => {
    const saved = READERS.pickle;
    READERS.pickle = async () => {
      throw new Error('boom');
    };
    try {
      const scan = await scanModelFile(src(evilPickle()), 'x.pkl');
      assert.equal(scan.format, 'pickle');
      assert.equal(scan.complete, false);
      assert.equal(scan.issues[0]!.kind, 'malformed');
      assert.match(scan.issues[0]!.message, /boom/);
    } finally {
      READERS.pickle = saved;
    }
  });

  it('survives a source whose reads fail', async () => {
    const failing = { size: 100, bytesRead: 0, read: async () => Promise.reject(new Error('EIO')) };
    const scan = await scanModelFile(failing, 'disk.pt');
    assert.equal(scan.complete, false);
    assert.match(scan.issues[0]!.message, /EIO/);
  });

  it('stops on the time budget, with a not-fully-scanned issue (a fake clock, no waiting)', async () => {
    let t = 0;
    const now = () => (t += 50);
    const long = bytes(P.proto(4), P.global('os', 'system'), 'N0'.repeat(100_000), P.none, P.stop);
    const scan = await scanModelFile(src(long), 'slow.pkl', { timeBudgetMs: 1000, now });
    assert.equal(scan.complete, false);
    assert.ok(scan.issues.some((i) => i.kind === 'not-fully-scanned' && /time budget/.test(i.message)), JSON.stringify(scan.issues));
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
  });

  it('says so when a format has no reader yet', async () => {
    const header = bytes('{"__metadata__":{}}');
    const scan = await scanModelFile(src(bytes(u64(header.length), header)), 'w.safetensors');
    if (READERS.safetensors) return; // registered by the formats work: then it is that reader's job
    assert.equal(scan.format, 'safetensors');
    assert.equal(scan.complete, false);
    assert.equal(scan.issues[0]!.kind, 'not-fully-scanned');
  });

  it('reports a recognised container it does not open as not scanned, never as clean', async () => {
    const scan = await scanModelFile(src(bytes('BZh91AY&SY', new Uint8Array(20))), 'clf.joblib.bz2');
    assert.equal(scan.complete, false);
    assert.equal(scan.issues[0]!.kind, 'not-fully-scanned');
    assert.match(scan.issues[0]!.message, /bz2 stream/);
  });

  it('leaves a file of unknown format alone', async () => {
    const scan = await scanModelFile(src(bytes('fastText model, not a pickle')), 'vectors.bin');
    assert.equal(scan.format, 'unknown');
    assert.equal(scan.complete, true);
    assert.deepEqual(scan.issues, []);
  });

  it('adds the pickle-format info only when every import is allowed', async () => {
    const clean = await scanModelFile(src(bytes(P.proto(2), P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce, P.stop)), 'c.pkl');
    assert.deepEqual(clean.issues.map((i) => [i.kind, i.severity]), [['pickle-format', 'info']]);
    const unknown = await scanModelFile(src(bytes(P.proto(2), P.global('__main__', 'Net'), P.emptyTuple, P.newobj, P.stop)), 'u.pkl');
    assert.deepEqual(unknown.issues.map((i) => [i.kind, i.severity]), [['unknown-import', 'warning']]);
    assert.match(unknown.issues[0]!.message, /__main__\.Net/);
  });

  it('orders issues by severity and imports by verdict, one issue per distinct import', async () => {
    const file = bytes(P.proto(2), P.global('collections', 'OrderedDict'), P.pop, P.global('__main__', 'Net'), P.pop, P.global('os', 'system'), P.pop, P.global('os', 'system'), P.pop, P.none, P.stop);
    const scan = await scanModelFile(src(bytes(file, file)), 'mix.pkl');
    assert.deepEqual(scan.issues.map((i) => [i.kind, i.severity]), [['denied-import', 'error'], ['unknown-import', 'warning']]);
    assert.deepEqual(scan.imports.map((i) => i.verdict), ['denied', 'denied', 'unknown', 'unknown', 'allowed', 'allowed']);
    assert.deepEqual(scan.imports.filter((i) => i.verdict === 'denied').map((i) => i.where), [undefined, 'pickle #2']);
  });

  it('caps import issues and says how many more', async () => {
    const many = bytes(P.proto(2), ...Array.from({ length: 30 }, (_, i) => bytes(P.global('os', `f${i}`), P.pop)), P.none, P.stop);
    const scan = await scanModelFile(src(many), 'many.pkl');
    const denied = scan.issues.filter((i) => i.kind === 'denied-import');
    assert.equal(denied.length, 21);
    assert.match(denied[20]!.message, /and 10 more denied imports/);
  });

  it('scans a nested torch.load payload (torch.storage._load_from_bytes) in place', async () => {
    const payload = torchZip(evilPickle('os', 'system', 2));
    const head = bytes(P.proto(2), P.global('torch.storage', '_load_from_bytes'));
    const file = bytes(head, P.binbytes(payload), P.tuple1, P.reduce, P.stop);
    const scan = await scanModelFile(src(file), 'pickled_tensor.pkl');
    assert.deepEqual(importNames(scan, 'unknown'), ['torch.storage._load_from_bytes']);
    const hit = scan.imports.find((i) => i.verdict === 'denied');
    assert.ok(hit, JSON.stringify(scan.imports));
    assert.equal(`${hit.module}.${hit.name}`, 'os.system');
    assert.equal(hit.where, `@${head.length + 5}!/archive/data.pkl`);
  });

  it('reports bytes read, not the file size, as the cost', async () => {
    const weights = new Uint8Array(32 * 1024 * 1024);
    const source = src(torchZip(bytes(P.proto(2), P.none, P.stop), [weights]));
    const scan = await scanModelFile(source, 'big.pt');
    assert.equal(scan.size, source.size);
    assert.equal(scan.bytesRead, source.bytesRead);
    assert.ok(scan.bytesRead < 100_000, String(scan.bytesRead));
  });

  it('flags every member of a generic zip that is a model file', async () => {
    const file = buildZip([{ name: 'a/model.pkl', data: evilPickle('os', 'system', 2), method: 8 }, { name: 'b/readme.md', data: bytes('# hi') }, { name: 'c/x.bin', data: evilPickle('builtins', 'eval') }]);
    const scan = await scanModelFile(src(file), 'bundle.zip');
    assert.equal(scan.format, 'zip');
    assert.deepEqual(importNames(scan, 'denied').sort(), ['builtins.eval', 'os.system']);
  });
});

describe('scanModelPath', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aidr-models-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('scans a file on disk', async () => {
    const file = path.join(dir, 'evil.pkl');
    writeFileSync(file, evilPickle('os', 'system', 2));
    const scan = await scanModelPath(file);
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
    assert.equal(scan.size, evilPickle('os', 'system', 2).length);
  });

  it('reports a missing file instead of throwing', async () => {
    const scan = await scanModelPath(path.join(dir, 'missing.pt'));
    assert.equal(scan.complete, false);
    assert.equal(scan.issues[0]!.kind, 'malformed');
    assert.match(scan.issues[0]!.message, /could not be opened/);
  });
});
