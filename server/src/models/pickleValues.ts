// The walker's light symbolic values. We never build Python objects: strings (for STACK_GLOBAL
// operands), small ints and tuples (for joblib array shapes), globals, numpy dtypes and joblib
// array wrappers are tracked; everything else is "other". Containers track a few items only, so
// memory stays bounded by the stack and memo caps whatever the stream says.

export interface DtypeInfo {
  /** numpy's reduce string: 'f8', 'U10', 'O8', 'V12'. */
  descr: string;
  /** Bytes per element, when known. */
  itemsize?: number;
  hasObject: boolean;
}

export type Value =
  | { readonly t: 'str'; readonly v: string; readonly cut?: boolean }
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  /** Bytes in the stream itself (BINBYTES...), by position: nested payloads are scanned in place. */
  | { readonly t: 'bytes'; readonly offset: number; readonly length: number }
  | { readonly t: 'global'; readonly module: string; readonly name: string; readonly path: string }
  | { readonly t: 'tuple'; readonly items?: readonly Value[] }
  | { readonly t: 'dict'; entries?: Map<string, Value> }
  | ObjValue
  | { readonly t: 'other' };

/** An object built by REDUCE/NEWOBJ/OBJ/INST. Mutable: BUILD updates it, and the memo shares it. */
export interface ObjValue {
  readonly t: 'obj';
  readonly cls?: Value;
  dtype?: DtypeInfo;
  /** joblib NumpyArrayWrapper attributes, set by BUILD. */
  wrapper?: Map<string, Value>;
}

export const OTHER: Value = { t: 'other' };
export const NONE: Value = { t: 'none' };
export const TRUE: Value = { t: 'bool', v: true };
export const FALSE: Value = { t: 'bool', v: false };

/** Items a tuple or dict keeps; a joblib shape has at most 64 dimensions (numpy's limit). */
export const MAX_TRACKED_ITEMS = 64;
/** Longest string kept for STACK_GLOBAL operands and dtype strings; longer ones are skipped. */
export const MAX_KEPT_STRING = 4096;

export function tupleOf(items: readonly Value[]): Value {
  return items.length <= MAX_TRACKED_ITEMS ? { t: 'tuple', items: [...items] } : { t: 'tuple' };
}

export function dictOf(pairs: readonly Value[]): Value {
  const d: Value = { t: 'dict', entries: new Map() };
  setItems(d, pairs);
  return d;
}

/** SETITEM(S) on a tracked dict; string keys only, a few of them. */
export function setItems(target: Value | undefined, pairs: readonly Value[]): void {
  if (target?.t !== 'dict' || !target.entries) return;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const k = pairs[i]!;
    if (k.t !== 'str' || target.entries.size >= MAX_TRACKED_ITEMS) {
      target.entries = undefined;
      return;
    }
    target.entries.set(k.v, pairs[i + 1]!);
  }
}

export const JOBLIB_WRAPPERS: ReadonlySet<string> = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);

/** numpy.dtype('f8', False, True) -> a dtype value; its BUILD state may refine it. */
export function dtypeFromArgs(args: Value): DtypeInfo | undefined {
  if (args.t !== 'tuple' || !args.items || args.items[0]?.t !== 'str') return undefined;
  const descr = args.items[0].v;
  const m = /^[<>|=]?([a-zA-Z?])(\d*)/.exec(descr);
  if (!m) return { descr, hasObject: false };
  const kind = m[1]!;
  const n = m[2] ? Number(m[2]) : undefined;
  const itemsize = n === undefined ? (kind === 'O' ? 8 : kind === '?' ? 1 : undefined) : kind === 'U' ? n * 4 : n;
  return { descr, itemsize, hasObject: kind === 'O' };
}

/** BUILD state of a dtype: (version, endian, subarray, names, fields, elsize, alignment, flags[, metadata]). */
export function applyDtypeState(d: DtypeInfo, state: Value): void {
  if (state.t !== 'tuple' || !state.items) return;
  const elsize = state.items[5];
  const flags = state.items[7];
  if (elsize?.t === 'int' && elsize.v >= 0) d.itemsize = elsize.v;
  // NPY_ITEM_HASOBJECT (0x01): structured dtypes with an object field.
  if (flags?.t === 'int' && (flags.v & 1) === 1) d.hasObject = true;
}

/** BUILD state of a joblib wrapper: a dict, or (dict, slotstate). */
export function applyWrapperState(w: Map<string, Value>, state: Value): boolean {
  const dicts = state.t === 'tuple' && state.items?.length === 2 ? state.items : [state];
  for (const d of dicts) {
    if (d.t === 'none') continue;
    if (d.t !== 'dict' || !d.entries) return false;
    for (const [k, v] of d.entries) w.set(k, v);
  }
  return true;
}

export interface ArrayLayout {
  /** A padding-length byte (then that many bytes) precedes the data: joblib >= 1.2. */
  padded: boolean;
  /** The data is itself a pickle (object arrays), else raw bytes of `bytes` length. */
  pickled: boolean;
  bytes: number;
}

/** How many bytes joblib wrote after a NumpyArrayWrapper, or why that cannot be known. */
export function wrapperLayout(w: Map<string, Value>): ArrayLayout | string {
  const dtype = w.get('dtype');
  const shape = w.get('shape');
  if (dtype?.t !== 'obj' || !dtype.dtype) return 'its dtype is not a plain numpy.dtype';
  const align = w.get('numpy_array_alignment_bytes');
  const padded = align !== undefined && align.t !== 'none';
  if (dtype.dtype.hasObject) return { padded: false, pickled: true, bytes: 0 };
  if (shape?.t !== 'tuple' || !shape.items) return 'its shape is not a tuple of integers';
  let count = 1;
  for (const dim of shape.items) {
    if (dim.t !== 'int' || dim.v < 0) return 'its shape is not a tuple of integers';
    count *= dim.v;
  }
  const size = dtype.dtype.itemsize;
  if (size === undefined) return `the size of dtype '${dtype.dtype.descr}' is not known`;
  const bytes = count * size;
  if (!Number.isSafeInteger(bytes)) return 'its declared size is too large';
  return { padded, pickled: false, bytes };
}
