// Test helpers that write model files byte by byte: a pickle opcode assembler (every opcode of
// protocols 0-5), a zip writer (stored/deflated members, zip64, prefixes, lying headers, torch's
// own layout with 64-byte aligned records) that can also describe a sparse multi-gigabyte zip
// for the benchmark, and a ScanContext for calling readers directly.
import { deflateSync } from 'fflate';
import type { ModelFileScan } from '../../../server/src/domain';
import { bufferSource, type ByteSource } from '../../../server/src/models/byteSource';
import { ScanBudget, type ScanContext } from '../../../server/src/models/reader';

export type Part = Uint8Array | string | readonly number[];

/** Concatenate parts; strings are latin-1 (one byte per char). */
export function bytes(...parts: Part[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? latin1Bytes(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
export const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
export const u64 = (n: number): number[] => [...u32(n % 0x100000000), ...u32(Math.floor(n / 0x100000000))];

/** One function per pickle opcode. */
export const P = {
  mark: '(', stop: '.', pop: '0', popMark: '1', dup: '2', none: 'N', reduce: 'R', build: 'b', append: 'a', appends: 'e',
  dict: 'd', emptyDict: '}', list: 'l', emptyList: ']', obj: 'o', setitem: 's', setitems: 'u', tuple: 't', emptyTuple: ')',
  binpersid: 'Q', newobj: [0x81], newobjEx: [0x92], tuple1: [0x85], tuple2: [0x86], tuple3: [0x87], newtrue: [0x88],
  newfalse: [0x89], emptySet: [0x8f], additems: [0x90], frozenset: [0x91], stackGlobal: [0x93], memoize: [0x94],
  nextBuffer: [0x97], readonlyBuffer: [0x98],
  proto: (n: number) => [0x80, n],
  frame: (n: number) => [0x95, ...u64(n)],
  global: (m: string, n: string) => bytes('c', utf8(m), '\n', utf8(n), '\n'),
  inst: (m: string, n: string) => bytes('i', utf8(m), '\n', utf8(n), '\n'),
  int: (n: number | string) => `I${n}\n`,
  long: (n: number | string) => `L${n}L\n`,
  float: (n: number) => `F${n}\n`,
  binint: (n: number) => ['J'.charCodeAt(0), ...u32(n)],
  binint1: (n: number) => [0x4b, n],
  binint2: (n: number) => [0x4d, ...u16(n)],
  long1: (n: number) => [0x8a, 1, n],
  binfloat: () => [0x47, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
  /** STRING with a Python 2 literal body (escapes as written). */
  string: (literal: string) => `S'${literal}'\n`,
  binstring: (s: string) => bytes('T', u32(s.length), s),
  shortBinstring: (s: string) => bytes('U', [s.length], s),
  unicode: (rawEscaped: string) => `V${rawEscaped}\n`,
  binunicode: (s: string) => bytes('X', u32(utf8(s).length), utf8(s)),
  shortBinunicode: (s: string) => bytes([0x8c, utf8(s).length], utf8(s)),
  binunicode8: (s: string) => bytes([0x8d], u64(utf8(s).length), utf8(s)),
  binbytes: (b: Uint8Array) => bytes('B', u32(b.length), b),
  shortBinbytes: (b: Uint8Array) => bytes('C', [b.length], b),
  binbytes8: (b: Uint8Array) => bytes([0x8e], u64(b.length), b),
  bytearray8: (b: Uint8Array) => bytes([0x96], u64(b.length), b),
  put: (i: number) => `p${i}\n`,
  binput: (i: number) => [0x71, i],
  longBinput: (i: number) => [0x72, ...u32(i)],
  get: (i: number) => `g${i}\n`,
  binget: (i: number) => [0x68, i],
  longBinget: (i: number) => [0x6a, ...u32(i)],
  ext1: (c: number) => [0x82, c],
  ext2: (c: number) => [0x83, ...u16(c)],
  ext4: (c: number) => [0x84, ...u32(c)],
  persid: (id: string) => `P${id}\n`,
};

/** The classic payload: `module.name('id')` through REDUCE, protocol 0 style. */
export function evilPickle(module = 'os', name = 'system', proto?: number): Uint8Array {
  return bytes(proto === undefined ? [] : P.proto(proto), P.global(module, name), P.mark, P.string('id'), P.tuple, P.reduce, P.stop);
}

/** The same through STACK_GLOBAL with short strings (protocol 4 style). */
export function evilStackGlobal(module = 'os', name = 'system'): Uint8Array {
  return bytes(P.proto(4), P.shortBinunicode(module), P.shortBinunicode(name), P.stackGlobal, P.shortBinunicode('id'), P.tuple1, P.reduce, P.stop);
}

export function ctx(opts: { maxBytes?: number; maxOps?: number; depth?: number } = {}): ScanContext {
  const budget = new ScanBudget(opts.maxBytes ?? 1e12, opts.maxOps ?? 1e12, Infinity, () => 0);
  return { name: 'test', budget, depth: opts.depth ?? 0, scanNested: async () => ({ format: 'unknown', size: 0, bytesRead: 0, complete: true, imports: [], issues: [] }) };
}

export const src = (b: Uint8Array): ByteSource => bufferSource(b);

export const importNames = (scan: Pick<ModelFileScan, 'imports'>, verdict?: string): string[] =>
  scan.imports.filter((i) => !verdict || i.verdict === verdict).map((i) => `${i.module}.${i.name}`);

// ---- zip ----------------------------------------------------------------------------------------

export interface ZipMember {
  name: string;
  data?: Uint8Array;
  /** Declared size of a member without data: a sparse hole (zeros), for the benchmark. */
  holeSize?: number;
  method?: 0 | 8;
  flags?: number;
  /** A different name in the local header than in the directory. */
  localName?: string;
  /** Override the declared uncompressed size (lying headers). */
  declaredSize?: number;
}

export interface ZipOptions {
  /** torch's PyTorchStreamWriter layout: 64-byte aligned data, data descriptors, zip64 end records. */
  torch?: boolean;
  /** Write zip64 end records even when not needed. */
  zip64?: boolean;
  /** Bytes before the archive (self-extracting style). */
  prefix?: Uint8Array;
}

export interface Layout {
  size: number;
  chunks: Array<{ offset: number; bytes: Uint8Array }>;
}

const BIG = 0xffffffff;

export function zipLayout(members: ZipMember[], opts: ZipOptions = {}): Layout {
  const chunks: Layout['chunks'] = [];
  let pos = 0;
  const write = (b: Uint8Array) => {
    chunks.push({ offset: pos, bytes: b });
    pos += b.length;
  };
  if (opts.prefix) write(opts.prefix);
  const central: Uint8Array[] = [];
  for (const m of members) {
    const name = utf8(m.name);
    const localName = utf8(m.localName ?? m.name);
    const method = m.method ?? 0;
    const raw = m.data ?? new Uint8Array(0);
    const payload = method === 8 ? deflateSync(raw) : raw;
    const size = m.holeSize ?? raw.length;
    const csize = m.holeSize ?? payload.length;
    const crc = m.data ? crc32(raw) : 0;
    const flags = m.flags ?? (opts.torch ? 0x0808 : 0);
    const offset = pos;
    // Directory offsets count from the archive's start: prepended bytes are not part of it.
    const rel = offset - (opts.prefix?.length ?? 0);
    const big = size >= BIG || csize >= BIG || rel >= BIG;
    let extra: number[] = [];
    if (opts.torch) {
      const start = offset + 30 + localName.length + 4;
      const pad = start % 64 ? 64 - (start % 64) : 0;
      extra = [0x46, 0x42, ...u16(pad), ...new Array<number>(pad).fill(0x5a)];
    }
    const descriptor = opts.torch;
    write(bytes(u32(0x04034b50), u16(descriptor ? 0 : 20), u16(flags), u16(method), u16(0), u16(0),
      u32(descriptor ? 0 : crc), u32(descriptor ? 0 : Math.min(csize, BIG)), u32(descriptor ? 0 : Math.min(m.declaredSize ?? size, BIG)),
      u16(localName.length), u16(extra.length), localName, extra));
    if (m.holeSize !== undefined) pos += m.holeSize;
    else write(payload);
    if (descriptor) write(bytes(u32(0x08074b50), u32(crc), big ? u64(csize) : u32(csize), big ? u64(size) : u32(size)));
    const z64 = big ? bytes(u16(1), u16(24), u64(m.declaredSize ?? size), u64(csize), u64(rel)) : new Uint8Array(0);
    central.push(bytes(u32(0x02014b50), u16(descriptor ? 0 : 20), u16(descriptor ? 0 : 20), u16(flags), u16(method), u16(0), u16(0), u32(crc),
      u32(big ? BIG : csize), u32(big ? BIG : (m.declaredSize ?? size)), u16(name.length), u16(z64.length), u16(0), u16(0), u16(0), u32(0),
      u32(big ? BIG : rel), name, z64));
  }
  const cdStart = pos;
  for (const c of central) write(c);
  const cdSize = pos - cdStart;
  const needs64 = opts.torch || opts.zip64 || cdStart >= BIG || members.length >= 0xffff;
  const archiveStart = opts.prefix?.length ?? 0;
  if (needs64) {
    const z64Start = pos;
    write(bytes(u32(0x06064b50), u64(44), u16(0x1e03), u16(45), u32(0), u32(0), u64(members.length), u64(members.length), u64(cdSize), u64(cdStart - archiveStart)));
    write(bytes(u32(0x07064b50), u32(0), u64(z64Start), u32(1)));
  }
  write(bytes(u32(0x06054b50), u16(0), u16(0), u16(Math.min(members.length, 0xffff)), u16(Math.min(members.length, 0xffff)),
    u32(Math.min(cdSize, BIG)), u32(cdStart - archiveStart >= BIG ? BIG : cdStart - archiveStart), u16(0)));
  return { size: pos, chunks };
}

/** The zip as bytes (holes become zeros; keep them small). */
export function buildZip(members: ZipMember[], opts: ZipOptions = {}): Uint8Array {
  const layout = zipLayout(members, opts);
  const out = new Uint8Array(layout.size);
  for (const c of layout.chunks) out.set(c.bytes, c.offset);
  return out;
}

/** A torch.save zip around a data.pkl, with storages `data/<i>`. */
export function torchZip(dataPkl: Uint8Array, storages: Uint8Array[] = [], extra: ZipMember[] = [], archive = 'archive'): Uint8Array {
  return buildZip(
    [
      { name: `${archive}/data.pkl`, data: dataPkl },
      { name: `${archive}/.format_version`, data: bytes('1') },
      { name: `${archive}/.storage_alignment`, data: bytes('64') },
      { name: `${archive}/byteorder`, data: bytes('little') },
      ...storages.map((s, i) => ({ name: `${archive}/data/${i}`, data: s })),
      ...extra,
      { name: `${archive}/version`, data: bytes('3\n') },
      { name: `${archive}/.data/serialization_id`, data: bytes('0636457737946401051300000027264370494161') },
    ],
    { torch: true },
  );
}

/** A ByteSource over a layout without materialising its holes; optionally logs every read. */
export function layoutSource(layout: Layout, reads?: Array<[number, number]>): ByteSource {
  let read = 0;
  return {
    size: layout.size,
    get bytesRead() {
      return read;
    },
    async read(offset: number, length: number) {
      reads?.push([offset, length]);
      const out = new Uint8Array(Math.max(0, Math.min(length, layout.size - offset)));
      for (const c of layout.chunks) {
        const from = Math.max(c.offset, offset);
        const to = Math.min(c.offset + c.bytes.length, offset + out.length);
        if (from < to) out.set(c.bytes.subarray(from - c.offset, to - c.offset), from - offset);
      }
      read += out.length;
      return out;
    },
  };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- joblib -------------------------------------------------------------------------------------

export interface WrapperOptions {
  shape: number[];
  /** numpy reduce string: 'f8', 'u1', 'O8'. */
  descr: string;
  /** joblib >= 1.2 writes numpy_array_alignment_bytes (then a padding byte precedes the data). */
  aligned?: boolean;
}

/** The opcodes joblib writes for a NumpyArrayWrapper (protocol 2+ NEWOBJ, state dict, BUILD). */
export function wrapperOpcodes(o: WrapperOptions): Uint8Array {
  const dims = o.shape.map((d) => P.binint(d));
  return bytes(
    P.global('joblib.numpy_pickle', 'NumpyArrayWrapper'), P.emptyTuple, P.newobj, P.emptyDict, P.mark,
    P.shortBinunicode('subclass'), P.global('numpy', 'ndarray'),
    P.shortBinunicode('shape'), P.mark, ...dims, P.tuple,
    P.shortBinunicode('order'), P.shortBinunicode('C'),
    P.shortBinunicode('dtype'), P.global('numpy', 'dtype'), P.shortBinunicode(o.descr), P.newfalse, P.newtrue, P.tuple3, P.reduce,
    P.mark, P.binint1(3), P.shortBinunicode('<'), P.none, P.none, P.none, P.binint(-1 >>> 0), P.binint(-1 >>> 0), P.binint1(o.descr.startsWith('O') ? 63 : 0), P.tuple, P.build,
    P.shortBinunicode('allow_mmap'), P.newtrue,
    o.aligned === false ? [] : bytes(P.shortBinunicode('numpy_array_alignment_bytes'), P.binint1(16)),
    P.setitems, P.build,
  );
}

/** joblib's bytes after the wrapper: one padding-length byte and 0xff padding to 16, then data. */
export function arrayBytes(posAfterWrapper: number, data: Uint8Array, aligned = true): Uint8Array {
  if (!aligned) return data;
  const pad = 16 - ((posAfterWrapper + 1) % 16);
  return bytes([pad], new Uint8Array(pad).fill(0xff), data);
}

// ---- torch --------------------------------------------------------------------------------------

/**
 * A data.pkl the way torch.save writes a state_dict (protocol 2, memo puts like CPython's pickler,
 * one persistent-id storage per tensor): what the benchmark's large checkpoints carry.
 */
export function torchStateDictPickle(tensors: Array<{ name: string; numel: number }>): Uint8Array {
  let memo = 0;
  const put = () => (memo < 256 ? P.binput(memo++) : P.longBinput(memo++));
  const get = (i: number) => (i < 256 ? P.binget(i) : P.longBinget(i));
  const parts: Part[] = [P.proto(2), P.global('collections', 'OrderedDict')];
  const od = memo;
  parts.push(put(), P.emptyTuple, P.reduce, put(), P.mark);
  let rebuild = -1;
  let storageStr = -1;
  let storageCls = -1;
  let cpu = -1;
  tensors.forEach((t, key) => {
    parts.push(P.binunicode(t.name), put());
    if (rebuild < 0) parts.push(P.global('torch._utils', '_rebuild_tensor_v2'), put()), (rebuild = memo - 1);
    else parts.push(get(rebuild));
    parts.push(P.mark, P.mark);
    if (storageStr < 0) parts.push(P.binunicode('storage'), put()), (storageStr = memo - 1);
    else parts.push(get(storageStr));
    if (storageCls < 0) parts.push(P.global('torch', 'FloatStorage'), put()), (storageCls = memo - 1);
    else parts.push(get(storageCls));
    parts.push(P.binunicode(String(key)), put());
    if (cpu < 0) parts.push(P.binunicode('cpu'), put()), (cpu = memo - 1);
    else parts.push(get(cpu));
    parts.push(P.binint(t.numel), P.tuple, put(), P.binpersid, P.binint1(0), P.binint(t.numel), P.tuple1, put(), P.binint1(1), P.tuple1, put(), P.newfalse, get(od), P.emptyTuple, P.reduce, put(), P.tuple, put(), P.reduce, put());
  });
  parts.push(P.setitems, P.emptyDict, put(), P.binunicode('_metadata'), put(), get(od), P.emptyTuple, P.reduce, put(), P.setitem, P.build, P.stop);
  return bytes(...parts);
}

/**
 * A benign protocol-5 stream that uses every opcode of protocols 0-5 at least once (checked
 * against CPython's pickletools when written): the walker must get through it to STOP.
 */
export function allOpcodesPickle(): Uint8Array {
  const body = bytes(
    P.mark, P.none, P.newtrue, P.newfalse, P.int('01'), P.int('00'), P.int(42), P.long(12345678901234), P.float(1.5), P.binfloat(),
    P.binint(-5 >>> 0), P.binint1(7), P.binint2(300), P.long1(3), [0x8b, 2, 0, 0, 0, 1, 2],
    P.string('s'), P.binstring('b'), P.shortBinstring('c'), P.unicode('u'), P.binunicode('x'), P.shortBinunicode('y'), P.binunicode8('z'),
    P.binbytes(bytes('B')), P.shortBinbytes(bytes('C')), P.binbytes8(bytes('D')), P.bytearray8(bytes('E')),
    P.emptyList, P.binint1(1), P.append, P.mark, P.binint1(2), P.binint1(3), P.appends,
    P.mark, P.binint1(4), P.list, P.emptyTuple, P.mark, P.none, P.tuple, P.binint1(1), P.tuple1, P.none, P.none, P.tuple2, P.none, P.none, P.none, P.tuple3,
    P.emptyDict, P.shortBinunicode('k'), P.none, P.setitem, P.mark, P.shortBinunicode('k2'), P.none, P.setitems, P.mark, P.shortBinunicode('k3'), P.none, P.dict,
    P.emptySet, P.mark, P.binint1(1), P.additems, P.mark, P.binint1(2), P.frozenset,
    P.put(10), P.get(10), P.binput(11), P.binget(11), P.longBinput(12), P.longBinget(12), P.memoize, P.dup, P.pop, P.mark, P.none, P.popMark,
    P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce, P.emptyDict, P.build,
    P.shortBinunicode('collections'), P.shortBinunicode('Counter'), P.stackGlobal, P.emptyTuple, P.newobj,
    P.shortBinunicode('collections'), P.shortBinunicode('deque'), P.stackGlobal, P.emptyTuple, P.emptyDict, P.newobjEx,
    P.mark, P.global('builtins', 'set'), P.obj, P.mark, P.inst('builtins', 'frozenset'),
    P.persid('pid'), P.none, P.binpersid, P.ext1(1), P.ext2(2), P.ext4(3),
    P.nextBuffer, P.readonlyBuffer,
    P.tuple, P.stop,
  );
  return bytes(P.proto(5), P.frame(body.length), body);
}
