// unsafe-model-file: one finding per severity class with its evidence listed, from real scans
// (so the rule and the scanner agree on shapes) and from hand-made scans (issues of other readers).
import assert from 'node:assert/strict';
import type { ModelFileScan } from '../../../../server/src/domain';
import { scanModelFile } from '../../../../server/src/models/index';
import { describeModelScan } from '../../../../server/src/rules/model/describeModelScan';
import { modelFileFindings } from '../../../../server/src/rules/model/unsafeModelFile';
import { bytes, evilPickle, P, src, torchZip } from '../../models/builders';

const range = { start: 0, end: 0 };

describe('unsafe-model-file', () => {
  it('reports a denied import as an error naming the import', async () => {
    const scan = await scanModelFile(src(evilPickle('os', 'system', 2)), 'models/clf.pkl');
    const findings = modelFileFindings(scan, { range, name: 'models/clf.pkl' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.rule, 'unsafe-model-file');
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /^models\/clf\.pkl imports os\.system \(OS and process access\): loading it runs that code\./);
    assert.deepEqual(findings[0]!.range, range);
  });

  it('lists many denied imports in one finding, not one each', async () => {
    const many = bytes(P.proto(2), ...['system', 'popen', 'execv', 'spawnl', 'fork', 'kill'].map((n) => bytes(P.global('os', n), P.pop)), P.global('builtins', 'eval'), P.pop, P.none, P.stop);
    const scan = await scanModelFile(src(many), 'm.pkl');
    const findings = modelFileFindings(scan, { range, name: 'm.pkl' });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /imports os\.system, os\.popen, os\.execv, os\.spawnl and 3 more/);
    assert.match(findings[0]!.message, /OS and process access, code execution/);
  });

  it('gives errors and warnings side by side when a file has both', async () => {
    const mixed = bytes(P.proto(2), P.global('__main__', 'Net'), P.pop, P.global('posix', 'system'), P.pop, P.none, P.stop, [0x80, 0x02, 0xff]);
    const scan = await scanModelFile(src(mixed), 'ckpt.pt');
    const findings = modelFileFindings(scan, { range, name: 'ckpt.pt' });
    assert.deepEqual(findings.map((f) => f.severity), ['error', 'warning']);
    assert.match(findings[1]!.message, /^ckpt\.pt \(pickle\): an import not on the allow list \(__main__\.Net\); malformed: Malformed pickle at offset 36: invalid opcode 0xff\. .*\[pickle #2\]/);
  });

  it('gives one info for a clean pickle-based file, and nothing for a clean numeric one', async () => {
    const scan = await scanModelFile(src(torchZip(bytes(P.proto(2), P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce, P.stop))), 'w.pt');
    const findings = modelFileFindings(scan, { range, name: 'w.pt' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'info');
    assert.equal(findings[0]!.message, 'w.pt is a PyTorch checkpoint, a pickle-based format: loading it can run code, though every import found is on the allow list. Prefer safetensors.');
    const numeric: ModelFileScan = { format: 'numpy', size: 10, bytesRead: 10, complete: true, imports: [], issues: [] };
    assert.deepEqual(modelFileFindings(numeric, { range }), []);
  });

  it('summarises the issues other readers raise (Lambda layers, chat templates, partial scans)', () => {
    const scan: ModelFileScan = {
      format: 'keras',
      size: 1000,
      bytesRead: 500,
      complete: false,
      imports: [],
      issues: [
        { kind: 'lambda-layer', severity: 'warning', message: "Lambda layer 'lambda_1' carries Python bytecode.", where: 'config.json' },
        { kind: 'lambda-layer', severity: 'warning', message: "Lambda layer 'lambda_2' carries Python bytecode." },
        { kind: 'not-fully-scanned', severity: 'warning', message: 'Not fully scanned: the time budget ran out; what was not read may hide code.' },
      ],
    };
    const [f] = modelFileFindings(scan, { range });
    assert.equal(f!.severity, 'warning');
    assert.equal(
      f!.message,
      "This model file (Keras archive): Lambda layers (arbitrary Python code): Lambda layer 'lambda_1' carries Python bytecode [config.json] and Lambda layer 'lambda_2' carries Python bytecode; not fully scanned: the time budget ran out; what was not read may hide code.",
    );
  });

  it('names dynamic imports and extension codes in words', async () => {
    const dyn = bytes(P.proto(4), P.binint1(1), P.shortBinunicode('system'), P.stackGlobal, P.stop);
    const [f] = modelFileFindings(await scanModelFile(src(dyn), 'd.pkl'), { range, name: 'd.pkl' });
    assert.match(f!.message, /^d\.pkl imports a global computed at load time:/);
  });
});

describe('describeModelScan', () => {
  it('shows format, size, cost, verdicts and notes as markdown', async () => {
    const file = torchZip(bytes(evilPickle('os', 'system', 2)), [new Uint8Array(2048)]);
    const md = describeModelScan(await scanModelFile(src(file), 'evil.pt'));
    assert.match(md, /^\*\*Model file\*\* — PyTorch checkpoint · \d+\.\d KB · [\d.]+ (B|KB) read · fully scanned/);
    assert.match(md, /\| \*\*denied\*\* \| `os\.system` — OS and process access \| archive/);
    assert.match(md, /tensor storages \(not read\): 1 \(2\.0 KB\)/);
  });

  it('summarises allowed imports and escapes markdown in names', async () => {
    const file = bytes(P.proto(2), P.global('collections', 'OrderedDict'), P.pop, P.global('my_pkg', 'Model|Evil*'), P.pop, P.none, P.stop);
    const md = describeModelScan(await scanModelFile(src(file), 'x.pkl'));
    assert.match(md, /\| allowed \| 1 import: `collections\.OrderedDict` \|/);
    assert.match(md, /`my_pkg\.Model\|Evil\*`/);
    assert.doesNotMatch(md, /^\| unknown \| `my_pkg\.Model\|Evil\*` \| \| \|$/m);
  });

  it('says when nothing is unpickled, and when a scan is partial', () => {
    const md = describeModelScan({ format: 'numpy', size: 2_000_000, bytesRead: 128, complete: false, imports: [], issues: [{ kind: 'not-fully-scanned', severity: 'warning', message: 'Not fully scanned: x.' }] });
    assert.match(md, /NumPy array · 1\.9 MB · 128 B read · \*\*not fully scanned\*\*/);
    assert.match(md, /No imports: nothing in this file is unpickled\./);
    assert.match(md, /- warning: Not fully scanned: x\./);
  });
});
