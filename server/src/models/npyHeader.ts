// Parses the header of a NumPy `.npy` file (format versions 1-3): the magic, the header length,
// and the Python dict literal `{'descr': ..., 'fortran_order': ..., 'shape': (...)}` — with a
// small literal parser (strings, numbers, booleans, tuples, lists, dicts; nesting capped), never
// an evaluator. Says whether the dtype holds Python objects (then the data is a pickle).

export interface NpyHeader {
  version: string;
  /** Offset where the array data (or the pickle, for object arrays) starts. */
  dataOffset: number;
  descr: Literal;
  shape: number[] | undefined;
  fortranOrder: boolean;
  hasObject: boolean;
  /** Bytes per element when computable. */
  itemsize?: number;
}

export type Literal = string | number | boolean | null | Literal[] | { [k: string]: Literal };

const MAX_DEPTH = 32;

export class NpyError extends Error {}

/** `prefix` holds the file's first bytes (at least the whole header). */
export function parseNpyHeader(prefix: Uint8Array): NpyHeader {
  if (prefix.length < 10 || prefix[0] !== 0x93 || String.fromCharCode(...prefix.subarray(1, 6)) !== 'NUMPY') throw new NpyError('not a .npy file');
  const major = prefix[6]!;
  const minor = prefix[7]!;
  if (major < 1 || major > 3) throw new NpyError(`unsupported .npy format version ${major}.${minor}`);
  const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (prefix.length < 8 + lenSize) throw new NpyError('the .npy header is truncated');
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenSize;
  if (start + hlen > prefix.length) throw new NpyError(`the .npy header declares ${hlen} bytes, more than available`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(prefix.subarray(start, start + hlen));
  const dict = parseLiteral(text);
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new NpyError('the .npy header is not a dict');
  const descr = dict['descr'];
  if (descr === undefined) throw new NpyError("the .npy header has no 'descr'");
  const shapeLit = dict['shape'];
  const shape = Array.isArray(shapeLit) && shapeLit.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) ? (shapeLit as number[]) : undefined;
  const header: NpyHeader = {
    version: `${major}.${minor}`,
    dataOffset: start + hlen,
    descr,
    shape,
    fortranOrder: dict['fortran_order'] === true,
    hasObject: hasObject(descr, 0),
  };
  const size = itemsize(descr, 0);
  if (size !== undefined) header.itemsize = size;
  return header;
}

/** Bytes of array data the header declares, when computable. */
export function declaredDataBytes(h: NpyHeader): number | undefined {
  if (!h.shape || h.itemsize === undefined) return undefined;
  const n = h.shape.reduce((a, b) => a * b, 1) * h.itemsize;
  return Number.isSafeInteger(n) ? n : undefined;
}

function typeCode(s: string): { kind: string; size?: number } | undefined {
  const m = /^[<>|=]?([a-zA-Z?])(\d*)/.exec(s);
  if (!m) return undefined;
  return m[2] ? { kind: m[1]!, size: Number(m[2]) } : { kind: m[1]! };
}

function hasObject(d: Literal, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  if (typeof d === 'string') return typeCode(d)?.kind === 'O';
  if (!Array.isArray(d)) return true; // an unexpected shape: assume the worst
  // A structured dtype: [(name, dtype[, shape]), ...].
  return d.some((field) => !Array.isArray(field) || field.length < 2 || hasObject(field[1]!, depth + 1));
}

function itemsize(d: Literal, depth: number): number | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof d === 'string') {
    const t = typeCode(d);
    if (!t) return undefined;
    if (t.kind === 'O') return 8;
    if (t.kind === '?') return 1;
    if (t.size === undefined) return undefined;
    return t.kind === 'U' ? t.size * 4 : t.size;
  }
  if (!Array.isArray(d)) return undefined;
  let total = 0;
  for (const field of d) {
    if (!Array.isArray(field) || field.length < 2) return undefined;
    const one = itemsize(field[1]!, depth + 1);
    if (one === undefined) return undefined;
    const sub = field[2];
    const count = Array.isArray(sub) ? sub.reduce<number>((a, b) => a * (typeof b === 'number' ? b : NaN), 1) : typeof sub === 'number' ? sub : 1;
    if (!Number.isSafeInteger(count)) return undefined;
    total += one * count;
  }
  return total;
}

/** A Python literal: the subset np.save writes, iteratively tokenised, nesting capped. */
export function parseLiteral(text: string): Literal {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (why: string): never => {
    throw new NpyError(`the .npy header is not a plain literal (${why} at ${i})`);
  };
  const value = (depth: number): Literal => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (c === '(' || c === '[') return seq(c === '(' ? ')' : ']', depth);
    if (c === '{') return dict(depth);
    const m = /^(True|False|None|[+-]?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    return m[0] === 'True' ? true : m[0] === 'False' ? false : m[0] === 'None' ? null : Number(m[0].replace('L', ''));
  };
  const str = (): string => {
    const q = text[i++];
    let out = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\' && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
      } else out += text[i++];
    }
    if (text[i] !== q) fail('unterminated string');
    i++;
    return out;
  };
  const seq = (close: string, depth: number): Literal[] => {
    i++;
    const items: Literal[] = [];
    for (;;) {
      ws();
      if (text[i] === close) {
        i++;
        return items;
      }
      items.push(value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
  };
  const dict = (depth: number): { [k: string]: Literal } => {
    i++;
    // No prototype: a key named __proto__ is just a key.
    const out = Object.create(null) as { [k: string]: Literal };
    for (;;) {
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const k = value(depth + 1);
      if (typeof k !== 'string') fail('a non-string key');
      ws();
      if (text[i++] !== ':') fail("expected ':'");
      out[k as string] = value(depth + 1);
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail("expected ',' or '}'");
    }
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('trailing text');
  return v;
}
