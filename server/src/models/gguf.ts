// Reads a GGUF file's header and metadata key/values (v1–v3, either byte order) and stops before
// the tensor infos and data. Only the few values worth showing are decoded; everything else is
// skipped by length (fixed-width arrays by seeking). Chat templates (`tokenizer.chat_template`
// and its named variants) are checked for Jinja2 expressions that reach Python internals
// (CVE-2024-34359: llama-cpp-python rendered them without a sandbox).
import type { ByteSource } from './byteSource';
import { analyzeChatTemplate, describeTemplateFindings } from './chatTemplate';
import { Malformed, type Reader, type ScanDraft, Truncated, noteCap, runReader } from './formatReader';
import { WindowReader, decodeUtf8 } from './windowReader';

const MAX_KV = 1_000_000;
const MAX_KEY = 65_535;
/** Templates past this are scanned over their first MAX_TEMPLATE bytes and noted. */
const MAX_TEMPLATE = 1024 * 1024;
const MAX_ARRAY_DEPTH = 8;
/** Strings we keep for details are cut here. */
const MAX_DETAIL = 200;

const enum T {
  U8 = 0,
  I8 = 1,
  U16 = 2,
  I16 = 3,
  U32 = 4,
  I32 = 5,
  F32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  U64 = 10,
  I64 = 11,
  F64 = 12,
}
const FIXED_WIDTH: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** llama.cpp's `llama_ftype` names, for `general.file_type`. */
const FILE_TYPES: Record<number, string> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S',
  12: 'Q3_K_M', 13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K',
  19: 'IQ2_XXS', 20: 'IQ2_XS', 21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL',
  26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S', 29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16',
  36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE', 39: 'NVFP4', 40: 'Q1_0',
};

/** Metadata keys shown in details, and the detail name each goes under. */
const DETAIL_KEYS: Record<string, string> = {
  'general.architecture': 'architecture',
  'general.name': 'name',
  'general.size_label': 'size',
  'general.license': 'license',
  'general.file_type': 'quantisation',
  'general.quantization_version': 'quantisation version',
};

export const readGguf: Reader = (src, ctx) => runReader('gguf', src, ctx, (s, d) => scan(s, d, ctx.now, ctx.budget.deadline));

interface Cursor {
  r: WindowReader;
  pos: number;
  le: boolean;
  /** v1 uses 32-bit counts and string lengths. */
  wide: boolean;
}

async function scan(src: ByteSource, draft: ScanDraft, now: () => number, deadline: number): Promise<void> {
  const r = new WindowReader(src, 64 * 1024);
  await r.ensure(0, 8, 'the header');
  if (r.u32(0, true) !== 0x46554747) throw new Malformed('it does not start with "GGUF"');
  let le = true;
  let version = r.u32(4, true);
  // A big-endian file has its version byte-swapped; the magic is the same bytes either way.
  if (version > 0xffff && r.u32(4, false) <= 0xffff) {
    le = false;
    version = r.u32(4, false);
  }
  if (version < 1 || version > 3) throw new Malformed(`unsupported GGUF version ${version}`);
  const c: Cursor = { r, pos: 8, le, wide: version >= 2 };
  const tensors = await count(c, 'the tensor count');
  const kvs = await count(c, 'the metadata count');
  if (kvs > MAX_KV) throw new Malformed(`it declares ${kvs} metadata entries`);
  draft.details['gguf version'] = String(version) + (le ? '' : ' (big-endian)');
  draft.details['tensors'] = String(tensors);
  draft.details['metadata keys'] = String(kvs);
  const templates: string[] = [];
  for (let i = 0; i < kvs; i++) {
    if ((i & 255) === 0 && now() > deadline) {
      noteCap(draft, `The GGUF metadata was read up to entry ${i} of ${kvs} before the time budget ran out.`);
      return;
    }
    const key = decodeUtf8(await string(c, MAX_KEY, 'a metadata key'));
    await c.r.ensure(c.pos, 4, 'a metadata type');
    const type = c.r.u32(c.pos, c.le);
    c.pos += 4;
    if (key === 'tokenizer.chat_template' || key.startsWith('tokenizer.chat_template.')) {
      if (type !== T.STRING) throw new Malformed(`"${key.slice(0, 80)}" is not a string`);
      await checkTemplate(c, key, draft);
      templates.push(key);
    } else if (key in DETAIL_KEYS) {
      const v = await scalar(c, type);
      if (v !== undefined) draft.details[DETAIL_KEYS[key]!] = key === 'general.file_type' ? fileType(v) : v.slice(0, MAX_DETAIL);
    } else {
      await skipValue(c, type, 0);
    }
  }
  if (templates.length > 0) draft.details['chat templates'] = templates.join(', ').slice(0, MAX_DETAIL);
}

async function count(c: Cursor, what: string): Promise<number> {
  await c.r.ensure(c.pos, c.wide ? 8 : 4, what);
  const v = c.wide ? c.r.u64(c.pos, c.le) : c.r.u32(c.pos, c.le);
  c.pos += c.wide ? 8 : 4;
  if (!Number.isFinite(v)) throw new Malformed(`${what} is out of range`);
  return v;
}

/** Reads a length-prefixed string, refusing lengths past `max`. */
async function string(c: Cursor, max: number, what: string): Promise<Uint8Array> {
  const n = await count(c, `the length of ${what}`);
  if (n > max) throw new Malformed(`${what} is ${n} bytes long (the limit is ${max})`);
  const b = await c.r.bytes(c.pos, n, what);
  c.pos += n;
  return b;
}

async function checkTemplate(c: Cursor, key: string, draft: ScanDraft): Promise<void> {
  const n = await count(c, `the length of "${key}"`);
  if (c.pos + n > c.r.size) throw new Truncated(`"${key.slice(0, 80)}" runs past the end of the file`);
  const text = decodeUtf8(await c.r.bytes(c.pos, Math.min(n, MAX_TEMPLATE), key));
  c.pos += n;
  if (n > MAX_TEMPLATE) noteCap(draft, `Only the first ${MAX_TEMPLATE} bytes of the ${n}-byte "${key}" were checked.`, key);
  const findings = analyzeChatTemplate(text);
  if (findings.length === 0) return;
  draft.issues.push({
    kind: 'chat-template',
    severity: 'error',
    where: key,
    message:
      `The GGUF chat template "${key}" reaches Python internals (${describeTemplateFindings(findings)}): ` +
      'rendering it with an unsandboxed Jinja2 environment runs code (CVE-2024-34359, llama-cpp-python < 0.2.72).',
  });
}

/** A scalar or string value as text, for details; arrays are skipped (undefined). */
async function scalar(c: Cursor, type: number): Promise<string | undefined> {
  if (type === T.STRING) {
    const n = await count(c, 'the length of a string');
    if (c.pos + n > c.r.size) throw new Truncated('a string runs past the end of the file');
    const s = decodeUtf8(await c.r.bytes(c.pos, Math.min(n, MAX_DETAIL), 'a string'));
    c.pos += n;
    return s;
  }
  const w = FIXED_WIDTH[type];
  if (w === undefined) {
    await skipValue(c, type, 0);
    return undefined;
  }
  await c.r.ensure(c.pos, w, 'a value');
  const p = c.pos;
  c.pos += w;
  const r = c.r;
  switch (type) {
    case T.U8:
      return String(r.u8(p));
    case T.I8:
      return String((r.u8(p) << 24) >> 24);
    case T.U16:
      return String(r.u16(p, c.le));
    case T.I16:
      return String((r.u16(p, c.le) << 16) >> 16);
    case T.U32:
      return String(r.u32(p, c.le));
    case T.I32:
      return String(r.u32(p, c.le) | 0);
    case T.F32:
      return String(r.f32(p, c.le));
    case T.BOOL:
      return r.u8(p) ? 'true' : 'false';
    case T.U64:
      return String(BigInt.asUintN(64, r.i64(p, c.le)));
    case T.I64:
      return String(r.i64(p, c.le));
    default:
      return String(r.f64(p, c.le));
  }
}

/** Skips one value of `type` without decoding it; fixed-width arrays cost a seek. */
async function skipValue(c: Cursor, type: number, depth: number): Promise<void> {
  const w = FIXED_WIDTH[type];
  if (w !== undefined) {
    c.pos += w;
    return;
  }
  if (type === T.STRING) {
    const n = await count(c, 'the length of a string');
    c.pos += n;
    if (c.pos > c.r.size) throw new Truncated('a string runs past the end of the file');
    return;
  }
  if (type !== T.ARRAY) throw new Malformed(`unknown metadata value type ${type}`);
  if (depth >= MAX_ARRAY_DEPTH) throw new Malformed(`arrays are nested more than ${MAX_ARRAY_DEPTH} deep`);
  await c.r.ensure(c.pos, 4, 'an array type');
  const inner = c.r.u32(c.pos, c.le);
  c.pos += 4;
  const n = await count(c, 'an array length');
  const iw = FIXED_WIDTH[inner];
  if (iw !== undefined) {
    c.pos += n * iw;
    if (c.pos > c.r.size) throw new Truncated('an array runs past the end of the file');
    return;
  }
  if (inner !== T.STRING && inner !== T.ARRAY) throw new Malformed(`unknown array element type ${inner}`);
  // Each element has at least a length prefix, so a count the file cannot hold is malformed
  // before we loop over it.
  if (c.pos + n * (c.wide ? 8 : 4) > c.r.size) throw new Truncated(`an array declares ${n} elements past the end of the file`);
  for (let i = 0; i < n; i++) {
    if (inner === T.STRING) {
      // Inlined string skip: the common case (token lists) is hundreds of thousands of these.
      const lw = c.wide ? 8 : 4;
      if (!c.r.has(c.pos, lw)) await c.r.ensure(c.pos, lw, 'a string length');
      const len = c.wide ? c.r.u64(c.pos, c.le) : c.r.u32(c.pos, c.le);
      c.pos += lw + len;
      if (c.pos > c.r.size) throw new Truncated('a string runs past the end of the file');
    } else {
      await skipValue(c, inner, depth + 1);
    }
  }
}

function fileType(v: string): string {
  const name = FILE_TYPES[Number(v)];
  return name ?? `type ${v}`;
}
