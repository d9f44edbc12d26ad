// Validates a safetensors file from its header alone: a u64 length, a JSON object naming every
// tensor's dtype, shape and byte range. The format cannot carry code, so a valid header is safe;
// an invalid one (impossible offsets, holes, overlaps, unknown dtypes) is reported as malformed,
// the same checks the reference loader makes before it maps the data. Tensor bytes are never read.
import type { ByteSource } from './byteSource';
import { Malformed, OverBudget, type Reader, type ScanDraft, readExact, runReader } from './formatReader';

/** The reference implementation refuses headers over 100 MB. */
const MAX_HEADER = 100_000_000;

/** Bits per element of every dtype the reference implementation knows. */
const DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

export const readSafetensors: Reader = (src, ctx) => runReader('safetensors', src, ctx, (s, d) => scan(s, d, ctx.budget.maxBytes));

async function scan(src: ByteSource, draft: ScanDraft, maxBytes: number): Promise<void> {
  const lenBytes = await readExact(src, 0, 8, 'the header length');
  const n = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw new Malformed(`the header claims ${n} bytes (the limit is ${MAX_HEADER})`);
  const headerLen = Number(n);
  if (8 + headerLen > src.size) throw new Malformed(`the header claims ${headerLen} bytes but the file has ${src.size}`);
  if (headerLen + 8 > maxBytes) throw new OverBudget(`the ${headerLen}-byte header is larger than the byte budget`);
  const raw = await readExact(src, 8, headerLen, 'the end of the header');
  if (raw[0] !== 0x7b) throw new Malformed('the header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new Malformed('the header is not valid UTF-8 JSON');
  }
  if (!isObject(header)) throw new Malformed('the header is not a JSON object');
  const dataSize = src.size - 8 - headerLen;
  const { tensors, dtypes, params } = validateTensors(header, dataSize);
  draft.details['tensors'] = String(tensors);
  if (dtypes.size > 0) draft.details['dtypes'] = [...dtypes].sort().join(', ');
  draft.details['parameters'] = params.toString();
  draft.details['header bytes'] = String(headerLen);
  const meta = header['__metadata__'];
  if (meta !== undefined) {
    if (!isObject(meta)) throw new Malformed('"__metadata__" is not an object');
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') throw new Malformed(`"__metadata__.${k}" is not a string`);
    }
    if (typeof meta['format'] === 'string') draft.details['format'] = meta['format'].slice(0, 40);
  }
}

interface Span {
  name: string;
  begin: number;
  end: number;
}

function validateTensors(header: Record<string, unknown>, dataSize: number): { tensors: number; dtypes: Set<string>; params: bigint } {
  const spans: Span[] = [];
  const dtypes = new Set<string>();
  let params = 0n;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const q = JSON.stringify(name.slice(0, 80));
    if (!isObject(info)) throw new Malformed(`tensor ${q} is not an object`);
    const dtype = info['dtype'];
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BITS)) {
      throw new Malformed(`tensor ${q} has an unknown dtype ${JSON.stringify(String(dtype).slice(0, 20))}`);
    }
    const shape = info['shape'];
    if (!Array.isArray(shape) || !shape.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
      throw new Malformed(`tensor ${q} has a shape that is not a list of non-negative integers`);
    }
    const offs = info['data_offsets'];
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
      throw new Malformed(`tensor ${q} has data_offsets that are not two non-negative integers`);
    }
    const [begin, end] = offs as [number, number];
    if (end < begin) throw new Malformed(`tensor ${q} ends before it begins`);
    if (end > dataSize) throw new Malformed(`tensor ${q} ends at byte ${end} of a ${dataSize}-byte data region`);
    // BigInt: a crafted shape must not overflow into a matching byte count.
    const elements = (shape as number[]).reduce((a, x) => a * BigInt(x), 1n);
    const bits = elements * BigInt(DTYPE_BITS[dtype]!);
    if (bits % 8n !== 0n || bits / 8n !== BigInt(end - begin)) {
      throw new Malformed(`tensor ${q} has ${end - begin} bytes, but ${dtype}${JSON.stringify(shape)} needs ${bits / 8n}`);
    }
    dtypes.add(dtype);
    params += elements;
    spans.push({ name, begin, end });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const s of spans) {
    if (s.begin < at) throw new Malformed(`tensor ${JSON.stringify(s.name.slice(0, 80))} overlaps another tensor`);
    if (s.begin > at) throw new Malformed(`bytes ${at}..${s.begin} of the data region belong to no tensor`);
    at = s.end;
  }
  if (at !== dataSize) throw new Malformed(`the tensors cover ${at} of the ${dataSize} data bytes`);
  return { tensors: spans.length, dtypes, params };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
