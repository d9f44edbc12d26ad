import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bufferSource } from '../../../server/src/models/byteSource';
import { escapes, readOnnx } from '../../../server/src/models/onnx';
import { claimedSource, concat, ctx, onnxModel, pInt, pLen, pMsg, pStr, varint } from './formatBuilders';

const scan = (b: Uint8Array, maxBytes?: number) => readOnnx(bufferSource(b), ctx({ maxBytes }));

describe('ONNX reader', () => {
  it('reads a clean model: details, no issues, external data inside the folder is fine', async () => {
    const f = onnxModel({
      nodes: [{ op: 'MatMul' }, { op: 'Add' }, { op: 'Attention', domain: 'com.microsoft' }],
      initializers: [{ name: 'w', raw: new Uint8Array(64) }, { name: 'big', location: 'model.onnx.data' }, { name: 'b', location: 'weights/part-1.bin' }],
      opsets: [['', 17], ['com.microsoft', 1]],
    });
    const r = await scan(f);
    assert.equal(r.format, 'onnx');
    assert.deepEqual(r.issues, []);
    assert.equal(r.complete, true);
    assert.equal(r.details?.['ir version'], '8');
    assert.equal(r.details?.['opset'], '17');
    assert.equal(r.details?.['other opsets'], 'com.microsoft 1');
    assert.equal(r.details?.['producer'], 'pytorch 2.3.0');
    assert.equal(r.details?.['nodes'], '3');
    assert.equal(r.details?.['initializers'], '3');
    assert.equal(r.details?.['external data'], '2 tensors in "model.onnx.data", "weights/part-1.bin"');
  });

  it('flags an initializer whose external data is ../../etc/passwd as an error', async () => {
    const r = await scan(onnxModel({ nodes: [{ op: 'Gather' }], initializers: [{ name: 'emb', location: '../../etc/passwd' }, { name: 'ok', location: 'ok.bin' }] }));
    assert.equal(r.issues.length, 1);
    const i = r.issues[0]!;
    assert.equal(i.kind, 'external-data');
    assert.equal(i.severity, 'error');
    assert.match(i.message, /"emb"/);
    assert.match(i.message, /\.\.\/\.\.\/etc\/passwd/);
    assert.match(i.message, /climbs out/);
    assert.equal(i.where, 'graph');
  });

  it('finds bad external data in subgraphs of node attributes (If/Loop bodies)', async () => {
    const r = await scan(
      onnxModel({
        nodes: [{ op: 'If', graphs: [{ attr: 'then_branch', nodes: [{ op: 'Loop', graphs: [{ attr: 'body', nodes: [{ op: 'Relu' }], initializers: [{ name: 'deep', location: '/etc/shadow' }] }] }] }] }],
      }),
    );
    assert.equal(r.issues.length, 1);
    assert.match(r.issues[0]!.message, /absolute path/);
    assert.equal(r.issues[0]!.where, 'graph/If_0.then_branch/Loop_0.body');
  });

  it('ignores a location when data_location does not say EXTERNAL (runtimes ignore it too)', async () => {
    const tensor = concat(pStr(8, 't'), pMsg(13, pStr(1, 'location'), pStr(2, '/etc/passwd')));
    const f = concat(pInt(1, 8), pMsg(7, pMsg(5, tensor)), pMsg(8, pInt(2, 17)));
    const r = await scan(f);
    assert.deepEqual(r.issues, []);
  });

  it('warns once per custom operator domain, and not for domains of model-local functions', async () => {
    const r = await scan(
      onnxModel({
        nodes: [
          { op: 'StringRegexReplace', domain: 'ai.onnx.contrib' },
          { op: 'GPT2Tokenizer', domain: 'ai.onnx.contrib' },
          { op: 'MyFused', domain: 'local.functions' },
          { op: 'Conv', domain: 'ai.onnx' },
          { op: 'LabelEncoder', domain: 'ai.onnx.ml' },
        ],
        functions: ['local.functions'],
      }),
    );
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]!.kind, 'custom-object');
    assert.equal(r.issues[0]!.severity, 'warning');
    assert.match(r.issues[0]!.message, /Custom operator library needed/);
    assert.match(r.issues[0]!.message, /"ai\.onnx\.contrib" \(StringRegexReplace, GPT2Tokenizer\)/);
  });

  it('caps external-data issues and counts the rest', async () => {
    const initializers = Array.from({ length: 25 }, (_, i) => ({ name: `t${i}`, location: `C:\\secrets\\${i}` }));
    const r = await scan(onnxModel({ nodes: [{ op: 'Add' }], initializers }));
    assert.equal(r.issues.length, 11);
    assert.match(r.issues[0]!.message, /on a drive/);
    assert.match(r.issues[10]!.message, /^15 more initializers/);
  });

  it('skips inline tensor data: a 4 GB raw_data costs nothing to read', async () => {
    const big = 4 * 1024 ** 3;
    const tensorHead = concat(pStr(8, 'huge'), varint(9 << 3 | 2), varint(big));
    const tensorTail = concat(pMsg(13, pStr(1, 'location'), pStr(2, '../x')), pInt(14, 1));
    const tensorLen = tensorHead.length + big + tensorTail.length;
    const graphHead = concat(pMsg(1, pStr(4, 'Add')), varint(5 << 3 | 2), varint(tensorLen));
    const graphLen = graphHead.length + tensorLen;
    const head = concat(pInt(1, 9), varint(7 << 3 | 2), varint(graphLen), graphHead, tensorHead);
    const tail = concat(tensorTail, pMsg(8, pInt(2, 21)));
    const src = claimedSource(head, head.length + big + tail.length, [[head.length + big, tail]]);
    const r = await readOnnx(src, ctx());
    assert.equal(r.issues[0]?.kind, 'external-data');
    assert.equal(r.details?.['opset'], '21');
    assert.ok(r.bytesRead < 64 * 1024, `read ${r.bytesRead}`);
  });

  it('stops at a subgraph nesting cap with a note', async () => {
    type N = { op: string; graphs?: { attr: string; nodes: N[] }[] };
    let node: N = { op: 'Relu' };
    for (let i = 0; i < 20; i++) node = { op: 'If', graphs: [{ attr: 'then_branch', nodes: [node] }] };
    const r = await scan(onnxModel({ nodes: [node] }));
    assert.equal(r.complete, false);
    assert.equal(r.issues[0]!.kind, 'not-fully-scanned');
    assert.match(r.issues[0]!.message, /deeper than 16/);
  });

  it('reports malformed and truncated files without throwing', async () => {
    const noGraph = await scan(concat(pInt(1, 8), pMsg(8, pInt(2, 17))));
    assert.match(noGraph.issues[0]!.message, /no graph/);
    const wrongWire = await scan(concat(pInt(1, 8), pInt(7, 3)));
    assert.match(wrongWire.issues[0]!.message, /should be a message/);
    const f = onnxModel({ nodes: [{ op: 'Add' }] });
    const cut = await scan(f.subarray(0, f.length - 5));
    assert.equal(cut.issues[0]!.kind, 'malformed');
    const text = await scan(new TextEncoder().encode('not a protobuf at all, just text'));
    assert.equal(text.complete, false);
  });

  it('stops at the byte budget', async () => {
    const initializers = Array.from({ length: 200 }, (_, i) => ({ name: `t${i}`, raw: new Uint8Array(1000) }));
    const r = await scan(onnxModel({ nodes: [{ op: 'Add' }], initializers }), 50_000);
    assert.equal(r.complete, false);
    assert.equal(r.issues.at(-1)!.kind, 'not-fully-scanned');
    assert.ok(r.bytesRead <= 50_000);
  });

  it('judges external-data paths', () => {
    for (const ok of ['model.onnx.data', 'weights/a.bin', './a.bin', 'a..b', '..a', 'dir/...']) assert.equal(escapes(ok), '', ok);
    for (const bad of ['/etc/passwd', '\\\\server\\share\\x', 'C:\\x', 'c:x', '../x', 'a/../../x', 'a\\..\\..\\x', 'file:///etc/passwd', 'https://x/y', '~/x', 'a\0b', '..']) {
      assert.notEqual(escapes(bad), '', bad);
    }
  });

  it('never throws or overspends on random and mutated models', async function () {
    this.timeout(60_000);
    const valid = onnxModel({
      nodes: [{ op: 'If', graphs: [{ attr: 'g', nodes: [{ op: 'Custom', domain: 'x.y' }], initializers: [{ name: 'a', location: '../a' }] }] }],
      initializers: [{ name: 'w', raw: new Uint8Array(16) }],
    });
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((edits) => {
        const b = valid.slice();
        for (const [i, v] of edits) b[i] = v;
        return b;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 50 }).map((b) => pLen(7, b))), fc.integer({ min: 1, max: 1 << 16 }), async (bytes, maxBytes) => {
        const r = await readOnnx(bufferSource(bytes), ctx({ maxBytes }));
        assert.ok(r.bytesRead <= maxBytes);
        assert.equal(r.format, 'onnx');
      }),
      { numRuns: 400 },
    );
  });
});
