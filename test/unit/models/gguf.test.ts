import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bufferSource } from '../../../server/src/models/byteSource';
import { readGguf } from '../../../server/src/models/gguf';
import { type GgufSpec, type GgufValue, claimedSource, concat, ctx, ggufFile, gstr, gu32, utf8 } from './formatBuilders';

const BENIGN_TEMPLATE = `{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'].strip() + '<|im_end|>\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`;
const POC = `{% for x in ().__class__.__base__.__subclasses__() %}{% if "warning" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen("id")}}{%endif%}{% endfor %}`;

const tokens = (n: number): GgufValue => ({ t: 'arr', of: 'str', v: Array.from({ length: n }, (_, i) => gstr(`tok${i}`)) });
const scores = (n: number): GgufValue => ({ t: 'arr', of: 'f32', v: Array.from({ length: n }, (_, i) => ({ t: 'f32', v: i / 2 })) });

function model(template: string | undefined, extra: [string, GgufValue][] = [], spec: Partial<GgufSpec> = {}): Uint8Array {
  return ggufFile({
    tensors: 291,
    kv: [
      ['general.architecture', gstr('llama')],
      ['general.name', gstr('Tiny Llama')],
      ['general.file_type', gu32(15)],
      ['llama.context_length', gu32(4096)],
      ['llama.rope.freq_base', { t: 'f32', v: 10000 }],
      ['tokenizer.ggml.model', gstr('gpt2')],
      ['tokenizer.ggml.tokens', tokens(500)],
      ['tokenizer.ggml.scores', scores(500)],
      ['tokenizer.ggml.add_bos_token', { t: 'bool', v: 1 }],
      ['general.nested', { t: 'arr', of: 'arr', v: [{ t: 'arr', of: 'i64', v: [{ t: 'i64', v: -5 }] }, { t: 'arr', of: 'str', v: [gstr('x')] }] }],
      ...extra,
      ...(template !== undefined ? ([['tokenizer.chat_template', gstr(template)]] as [string, GgufValue][]) : []),
    ],
    ...spec,
  });
}

const scan = (b: Uint8Array, maxBytes?: number) => readGguf(bufferSource(b), ctx({ maxBytes }));

describe('GGUF reader', () => {
  it('reads the header and metadata of a benign model: no issues, details filled', async () => {
    const f = model(BENIGN_TEMPLATE);
    const r = await scan(f);
    assert.equal(r.format, 'gguf');
    assert.deepEqual(r.issues, []);
    assert.equal(r.complete, true);
    assert.equal(r.details?.['architecture'], 'llama');
    assert.equal(r.details?.['name'], 'Tiny Llama');
    assert.equal(r.details?.['quantisation'], 'Q4_K_M');
    assert.equal(r.details?.['gguf version'], '3');
    assert.equal(r.details?.['tensors'], '291');
    assert.equal(r.details?.['metadata keys'], '11');
    assert.equal(r.details?.['chat templates'], 'tokenizer.chat_template');
  });

  it('flags a chat template that reaches Python internals (CVE-2024-34359) as an error', async () => {
    const r = await scan(model(POC));
    assert.equal(r.issues.length, 1);
    const i = r.issues[0]!;
    assert.equal(i.kind, 'chat-template');
    assert.equal(i.severity, 'error');
    assert.equal(i.where, 'tokenizer.chat_template');
    assert.match(i.message, /CVE-2024-34359/);
    assert.match(i.message, /__class__/);
    assert.equal(r.complete, true);
  });

  it('checks named templates (tokenizer.chat_template.<name>) too', async () => {
    const r = await scan(model(BENIGN_TEMPLATE, [['tokenizer.chat_template.tool_use', gstr('{{ cycler.__init__.__globals__.os.popen("id").read() }}')]]));
    assert.deepEqual(r.issues.map((i) => [i.kind, i.where]), [['chat-template', 'tokenizer.chat_template.tool_use']]);
    assert.equal(r.details?.['chat templates'], 'tokenizer.chat_template.tool_use, tokenizer.chat_template');
  });

  it('reads v1 files (32-bit counts) and big-endian files', async () => {
    const v1 = await scan(model(POC, [], { version: 1 }));
    assert.equal(v1.details?.['gguf version'], '1');
    assert.equal(v1.issues[0]?.kind, 'chat-template');
    const be = await scan(model(BENIGN_TEMPLATE, [], { bigEndian: true }));
    assert.equal(be.details?.['gguf version'], '3 (big-endian)');
    assert.equal(be.details?.['quantisation'], 'Q4_K_M');
    assert.deepEqual(be.issues, []);
  });

  it('decodes every scalar type it shows', async () => {
    const kinds: GgufValue[] = [
      { t: 'u8', v: 7 }, { t: 'i8', v: -7 }, { t: 'u16', v: 700 }, { t: 'i16', v: -700 }, { t: 'i32', v: -70000 }, { t: 'u64', v: 2 ** 40 },
      { t: 'i64', v: -(2 ** 40) }, { t: 'f64', v: 1.5 }, { t: 'bool', v: 0 },
    ];
    for (const v of kinds) {
      const r = await scan(ggufFile({ kv: [['general.quantization_version', v]] }));
      assert.deepEqual(r.issues, []);
      const want = v.t === 'bool' ? 'false' : String(v.v);
      assert.equal(r.details?.['quantisation version'], want, v.t);
    }
  });

  it('stays at metadata cost on a file that claims 10 GB of tensors', async () => {
    const head = model(POC);
    const r = await readGguf(claimedSource(head, 10 * 1024 ** 3), ctx());
    assert.equal(r.issues[0]?.kind, 'chat-template');
    assert.ok(r.bytesRead <= 64 * 1024, `read ${r.bytesRead}`);
  });

  it('seeks past fixed-width arrays instead of reading them', async () => {
    // A 400 MB float array that exists only as a declared count, with the template after it.
    const before = ggufFile({ kv: [['general.architecture', gstr('llama')], ['tokenizer.ggml.scores', scores(0)], ['tokenizer.chat_template', gstr(POC)]] });
    // Rewrite the scores count to 100M and splice the template after the (absent) floats.
    const n = 100_000_000;
    const countAt = findBytes(before, utf8('tokenizer.ggml.scores')) + 'tokenizer.ggml.scores'.length + 4 + 4;
    const head = before.slice(0, countAt + 8);
    new DataView(head.buffer).setBigUint64(countAt, BigInt(n), true);
    const tail = before.slice(countAt + 8);
    const size = head.length + n * 4 + tail.length;
    const r = await readGguf(claimedSource(head, size, [[head.length + n * 4, tail]]), ctx());
    assert.equal(r.issues[0]?.kind, 'chat-template');
    assert.ok(r.bytesRead < 300 * 1024, `read ${r.bytesRead}`);
  });

  it('reports truncation, lying counts and unknown types without throwing', async () => {
    const f = model(BENIGN_TEMPLATE);
    const cut = await scan(f.subarray(0, f.length - 20));
    assert.equal(cut.issues[0]?.kind, 'truncated');
    assert.equal(cut.complete, false);
    const lying = await scan(ggufFile({ kv: [['general.name', gstr('x')]], kvCount: 5 }));
    assert.equal(lying.issues[0]?.kind, 'truncated');
    const tooMany = await scan(ggufFile({ kv: [], kvCount: 2 ** 40 }));
    assert.equal(tooMany.issues[0]?.kind, 'malformed');
    const badType = ggufFile({ kv: [['general.name', gstr('x')]] });
    new DataView(badType.buffer).setUint32(24 + 8 + 'general.name'.length, 99, true);
    const bt = await scan(badType);
    assert.match(bt.issues[0]?.message ?? '', /unknown metadata value type 99/);
    const notGguf = await scan(utf8('GGML....'));
    assert.equal(notGguf.issues[0]?.kind, 'malformed');
    const v9 = await scan(concat(utf8('GGUF'), Uint8Array.of(9, 0, 0, 0)));
    assert.match(v9.issues[0]?.message ?? '', /version 9/);
  });

  it('refuses a string array declaring more elements than the file can hold', async () => {
    const f = ggufFile({ kv: [['tokenizer.ggml.tokens', tokens(0)]] });
    const at = f.length - 8;
    new DataView(f.buffer).setBigUint64(at, 2n ** 50n, true);
    const r = await scan(f);
    assert.equal(r.issues[0]?.kind, 'truncated');
  });

  it('stops at the byte budget with a note', async () => {
    const r = await scan(model(POC), 2000);
    assert.equal(r.complete, false);
    assert.equal(r.issues.at(-1)?.kind, 'not-fully-scanned');
    // It reads as far as the budget allows (the read-ahead shrinks to fit), then stops.
    assert.ok(r.bytesRead > 1500 && r.bytesRead <= 2000, `read ${r.bytesRead}`);
    assert.equal(r.details?.['architecture'], 'llama');
  });

  it('stops at the deadline with a note', async () => {
    let t = 0;
    const r = await readGguf(bufferSource(model(POC)), ctx({ now: () => (t += 1000), deadlineMs: 1500 }));
    assert.equal(r.complete, false);
    assert.equal(r.issues.at(-1)?.kind, 'not-fully-scanned');
  });

  it('never throws, overspends or hangs on random and mutated files', async function () {
    this.timeout(60_000);
    const valid = model(POC);
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((edits) => {
        const b = valid.slice();
        for (const [i, v] of edits) b[i] = v;
        return b;
      });
    const randomTail = fc.uint8Array({ maxLength: 200 }).map((b) => concat(utf8('GGUF'), Uint8Array.of(3, 0, 0, 0), b));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, randomTail, fc.uint8Array({ maxLength: 64 })), fc.integer({ min: 16, max: 1 << 20 }), async (bytes, maxBytes) => {
        const r = await readGguf(bufferSource(bytes), ctx({ maxBytes }));
        assert.ok(r.bytesRead <= maxBytes);
        assert.equal(r.format, 'gguf');
      }),
      { numRuns: 300 },
    );
  });
});

function findBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
