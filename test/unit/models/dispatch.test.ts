// The registry end to end: each sniffed format reaches its reader through scanModelFile (the
// metadata readers through the budget adapter, .keras zips through the Keras config analyser),
// the format comes from content, and the rule turns every reader's issues into findings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanModelFile } from '../../../server/src/models/index';
import { modelFileFindings } from '../../../server/src/rules/model/unsafeModelFile';
import { buildZip, bytes, evilPickle, importNames, src } from './builders';
import { ggufFile, gstr, onnxModel, safetensorsFile } from './formatBuilders';

const FORMATS = path.resolve(__dirname, '../../fixtures/models/formats');
const range = { start: 0, end: 0 };
const lambdaConfig = JSON.stringify({
  module: 'keras', class_name: 'Sequential', registered_name: null,
  config: { name: 'm', layers: [{ module: 'keras.layers', class_name: 'Lambda', registered_name: null, config: { name: 'evil', function: { module: 'os', class_name: 'function', config: 'system', registered_name: 'function' }, arguments: {} } }] },
});

describe('reader registry', () => {
  it('scans safetensors through its reader, reading only the header', async () => {
    const file = safetensorsFile([{ name: 'w', dtype: 'F32', shape: [256, 256] }]);
    const source = src(file);
    const scan = await scanModelFile(source, 'model.safetensors');
    assert.equal(scan.format, 'safetensors');
    assert.equal(scan.complete, true);
    assert.deepEqual(scan.issues, []);
    assert.deepEqual(modelFileFindings(scan, { range }), []);
    assert.ok(source.bytesRead < 4096, String(source.bytesRead));
  });

  it('scans GGUF chat templates and reports a dangerous one as an error', async () => {
    const file = ggufFile({ kv: [['general.architecture', gstr('llama')], ['tokenizer.chat_template', gstr('{{ cycler.__init__.__globals__.os.popen("id").read() }}')]] });
    const scan = await scanModelFile(src(file), 'm.gguf');
    assert.equal(scan.format, 'gguf');
    assert.equal(scan.issues[0]!.kind, 'chat-template');
    const [f] = modelFileFindings(scan, { range, name: 'm.gguf' });
    assert.equal(f!.severity, scan.issues[0]!.severity);
    assert.match(f!.message, /^m\.gguf/);
  });

  it('scans ONNX models sniffed from their protobuf fields', async () => {
    const file = onnxModel({ nodes: [{ op: 'Relu' }], initializers: [{ name: 'w', location: '../../etc/passwd' }] });
    const scan = await scanModelFile(src(file), 'model.onnx');
    assert.equal(scan.format, 'onnx');
    assert.ok(scan.issues.some((i) => i.kind === 'external-data'), JSON.stringify(scan.issues));
  });

  it('hands HDF5 files to their reader', async () => {
    const scan = await scanModelFile(src(bytes([0x89], 'HDF\r\n\x1a\n', new Uint8Array(64))), 'w.h5');
    assert.equal(scan.format, 'hdf5');
    assert.ok(scan.issues.length > 0); // not a readable HDF5 file: the reader says why
  });

  it('reads a .keras zip: config.json through the Keras analyser, weights not read', async () => {
    const clean = buildZip([
      { name: 'metadata.json', data: bytes('{"keras_version": "3.4.1", "date_saved": "2024-07-01"}') },
      { name: 'config.json', data: readFileSync(path.join(FORMATS, 'keras3-sequential.config.json')), method: 8 },
      { name: 'model.weights.h5', data: new Uint8Array(4096) },
    ]);
    const ok = await scanModelFile(src(clean), 'clf.keras');
    assert.equal(ok.format, 'keras');
    assert.deepEqual(ok.issues, []);
    assert.equal(ok.details?.['keras version'], '3.4.1');
    assert.equal(ok.details?.['model.weights.h5 (not read)'], '4.0 KB');

    const evil = buildZip([{ name: 'config.json', data: bytes(lambdaConfig) }, { name: 'metadata.json', data: bytes('{}') }, { name: 'extra.pkl', data: evilPickle('nt', 'system', 2) }]);
    const scan = await scanModelFile(src(evil), 'evil.keras');
    assert.ok(scan.issues.some((i) => i.kind === 'lambda-layer' && /os\.system/.test(i.message)), JSON.stringify(scan.issues));
    assert.deepEqual(importNames(scan, 'denied'), ['nt.system']);
  });

  it('goes by content: a pickle named .safetensors is a pickle', async () => {
    const scan = await scanModelFile(src(evilPickle('os', 'system', 2)), 'model.safetensors');
    assert.equal(scan.format, 'pickle');
    assert.deepEqual(importNames(scan, 'denied'), ['os.system']);
  });

  it('gives the metadata readers what is left of the byte budget', async () => {
    const file = safetensorsFile([{ name: 'w', dtype: 'F32', shape: [4] }], { note: 'x'.repeat(100_000) });
    const scan = await scanModelFile(src(file), 'big-header.safetensors', { maxBytes: 10_000 });
    assert.equal(scan.complete, false);
    assert.ok(scan.issues.some((i) => i.kind === 'not-fully-scanned'), JSON.stringify(scan.issues));
  });
});
