// Builds model files byte by byte for the format-reader tests (safetensors, GGUF, protobuf/ONNX),
// plus scan contexts and byte sources that claim sizes no test could write to disk. Malicious
// files are made here from bytes; nothing is downloaded or executed.
import type { ByteSource } from '../../../server/src/models/byteSource';
import type { ScanContext } from '../../../server/src/models/formatReader';

export function ctx(over: { maxBytes?: number; deadlineMs?: number; now?: () => number } = {}): ScanContext {
  const now = over.now ?? (() => Date.now());
  return { budget: { maxBytes: over.maxBytes ?? 64 * 1024 * 1024, deadline: now() + (over.deadlineMs ?? 10_000) }, now, name: 'test-model' };
}

/**
 * A source that says it is `size` bytes long: `head` at the start, `extra` segments at their
 * offsets, zeros elsewhere (counted reads) — a 10 GB model without 10 GB on disk.
 */
export function claimedSource(head: Uint8Array, size: number, extra: [number, Uint8Array][] = []): ByteSource {
  let read = 0;
  return {
    size,
    get bytesRead() {
      return read;
    },
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, size));
      const n = Math.max(0, Math.min(length, size - start));
      const out = new Uint8Array(n);
      for (const [at, bytes] of [[0, head] as [number, Uint8Array], ...extra]) {
        const from = Math.max(start, at);
        const to = Math.min(start + n, at + bytes.length);
        if (from < to) out.set(bytes.subarray(from - at, to - at), from - start);
      }
      read += n;
      return out;
    },
  };
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

/** `concat` for long part lists (a spread of 100k arguments overflows the stack). */
export function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);

// ---- safetensors ----

const ST_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I64: 8, U8: 1, BOOL: 1, F64: 8, I32: 4 };

export interface StTensor {
  name: string;
  dtype: string;
  shape: number[];
}

/** A valid safetensors file: tensors packed in order, zero-filled data. */
export function safetensorsFile(tensors: StTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let at = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, x) => a * x, 1) * ST_BYTES[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + n] };
    at += n;
  }
  return safetensorsRaw(JSON.stringify(header), at);
}

/** A safetensors file from a literal header and a data region of `dataBytes` zeros. */
export function safetensorsRaw(headerJson: string, dataBytes: number): Uint8Array {
  let h = utf8(headerJson);
  const pad = (8 - (h.length % 8)) % 8;
  h = concat(h, utf8(' '.repeat(pad)));
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(h.length), true);
  return concat(len, h, new Uint8Array(dataBytes));
}

// ---- GGUF ----

export type GgufValue =
  | { t: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'u64' | 'i64' | 'f64'; v: number }
  | { t: 'str'; v: string }
  | { t: 'arr'; of: GgufValue['t']; v: GgufValue[] };

const GT: Record<GgufValue['t'], number> = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9, u64: 10, i64: 11, f64: 12 };

export const gstr = (v: string): GgufValue => ({ t: 'str', v });
export const gu32 = (v: number): GgufValue => ({ t: 'u32', v });

class Out {
  private chunks: Uint8Array[] = [];
  constructor(
    private readonly le: boolean,
    private readonly wide: boolean,
  ) {}
  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, this.le);
    this.chunks.push(b);
    return this;
  }
  u64(n: number | bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), this.le);
    this.chunks.push(b);
    return this;
  }
  count(n: number | bigint): this {
    return this.wide ? this.u64(n) : this.u32(Number(n));
  }
  raw(b: Uint8Array): this {
    this.chunks.push(b);
    return this;
  }
  str(s: string): this {
    const b = utf8(s);
    return this.count(b.length).raw(b);
  }
  scalar(t: GgufValue['t'], v: number): this {
    const w: Record<string, number> = { u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, i64: 8, f64: 8 };
    const b = new Uint8Array(w[t]!);
    const d = new DataView(b.buffer);
    if (t === 'u8' || t === 'bool') d.setUint8(0, v);
    else if (t === 'i8') d.setInt8(0, v);
    else if (t === 'u16') d.setUint16(0, v, this.le);
    else if (t === 'i16') d.setInt16(0, v, this.le);
    else if (t === 'u32') d.setUint32(0, v, this.le);
    else if (t === 'i32') d.setInt32(0, v, this.le);
    else if (t === 'f32') d.setFloat32(0, v, this.le);
    else if (t === 'u64') d.setBigUint64(0, BigInt(v), this.le);
    else if (t === 'i64') d.setBigInt64(0, BigInt(v), this.le);
    else d.setFloat64(0, v, this.le);
    return this.raw(b);
  }
  value(x: GgufValue): this {
    if (x.t === 'str') return this.str(x.v);
    if (x.t === 'arr') {
      this.u32(GT[x.of]).count(x.v.length);
      for (const e of x.v) this.value(e);
      return this;
    }
    return this.scalar(x.t, x.v);
  }
  bytes(): Uint8Array {
    return concatAll(this.chunks);
  }
}

export interface GgufSpec {
  version?: number;
  bigEndian?: boolean;
  tensors?: number;
  kv: [string, GgufValue][];
  /** Declared kv count, when it should lie. */
  kvCount?: number;
}

export function ggufFile(spec: GgufSpec): Uint8Array {
  const version = spec.version ?? 3;
  const le = !spec.bigEndian;
  const o = new Out(le, version >= 2);
  o.raw(utf8('GGUF')).u32(version).count(spec.tensors ?? 0).count(spec.kvCount ?? spec.kv.length);
  for (const [k, v] of spec.kv) o.str(k).u32(GT[v.t]).value(v);
  return o.bytes();
}

// ---- protobuf ----

export function varint(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

export const pInt = (no: number, n: number | bigint): Uint8Array => concat(varint(no * 8), varint(n));
export const pLen = (no: number, payload: Uint8Array): Uint8Array => concat(varint(no * 8 + 2), varint(payload.length), payload);
export const pStr = (no: number, s: string): Uint8Array => pLen(no, utf8(s));
export const pMsg = (no: number, ...fields: Uint8Array[]): Uint8Array => pLen(no, concat(...fields));

// ---- ONNX ----

export interface OnnxTensor {
  name: string;
  /** External data location; omitted means raw_data inline. */
  location?: string;
  raw?: Uint8Array;
}

export interface OnnxNode {
  op: string;
  domain?: string;
  /** Subgraphs in attributes (If/Loop bodies). */
  graphs?: { attr: string; nodes: OnnxNode[]; initializers?: OnnxTensor[] }[];
}

export const onnxTensor = (t: OnnxTensor): Uint8Array =>
  concat(
    pInt(1, 4), // dims
    pInt(2, 1), // data_type FLOAT
    pStr(8, t.name),
    t.raw ? pLen(9, t.raw) : new Uint8Array(0),
    ...(t.location !== undefined
      ? [pMsg(13, pStr(1, 'location'), pStr(2, t.location)), pMsg(13, pStr(1, 'offset'), pStr(2, '0')), pInt(14, 1)]
      : []),
  );

export function onnxNode(n: OnnxNode, i: number): Uint8Array {
  return concat(
    pStr(1, `in${i}`),
    pStr(2, `out${i}`),
    pStr(3, `${n.op}_${i}`),
    pStr(4, n.op),
    ...(n.graphs ?? []).map((g) => pMsg(5, pStr(1, g.attr), pInt(20, 5), pMsg(6, onnxGraph(g.nodes, g.initializers ?? [])))),
    n.domain !== undefined ? pStr(7, n.domain) : new Uint8Array(0),
  );
}

export function onnxGraph(nodes: OnnxNode[], initializers: OnnxTensor[]): Uint8Array {
  return concat(...nodes.map((n, i) => pMsg(1, onnxNode(n, i))), pStr(2, 'main'), ...initializers.map((t) => pMsg(5, onnxTensor(t))));
}

export function onnxModel(spec: { nodes: OnnxNode[]; initializers?: OnnxTensor[]; opsets?: [string, number][]; functions?: string[] }): Uint8Array {
  return concat(
    pInt(1, 8),
    pStr(2, 'pytorch'),
    pStr(3, '2.3.0'),
    pMsg(7, onnxGraph(spec.nodes, spec.initializers ?? [])),
    ...(spec.opsets ?? [['', 17]]).map(([d, v]) => pMsg(8, ...(d ? [pStr(1, d)] : []), pInt(2, v))),
    ...(spec.functions ?? []).map((d) => pMsg(25, pStr(1, 'f'), pStr(10, d))),
  );
}
