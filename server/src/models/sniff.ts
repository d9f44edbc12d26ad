// Which model format a file is, from its bytes (magic numbers and structure), never from its
// name: a pickle renamed `.safetensors` is still a pickle. Also the file-name filter the tree
// walker uses to pick candidate model files in the first place.
import type { ModelFormat } from '../domain/models';
import type { ByteSource } from './byteSource';
import { PICKLE_OPCODES, walkPickles } from './pickle';
import { ScanBudget, type ScanContext } from './reader';
import { openZip, type ZipArchive } from './zip';

export interface Sniffed {
  format: ModelFormat;
  /** For zip-based formats, the directory already read. */
  zip?: ZipArchive;
  /** Why a zip-looking file could not be opened. */
  zipError?: string;
  /** A container we recognise but do not open (tar, 7z, bz2/xz/lzma/lz4/zstd streams). */
  unsupported?: string;
}

/** Containers recognised by magic, reported as not scanned rather than passed over in silence. */
const UNSUPPORTED: Array<[readonly number[], string]> = [
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7z archive'],
  [[0x42, 0x5a, 0x68], 'a bz2 stream (joblib compress="bz2"?)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz stream (joblib compress="xz"?)'],
  [[0x5d, 0x00, 0x00], 'an lzma stream (joblib compress="lzma"?)'],
  [[0x04, 0x22, 0x4d, 0x18], 'an lz4 frame (joblib compress="lz4"?)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd frame'],
];

const MODEL_EXTENSIONS = new Set([
  'pt', 'pth', 'bin', 'ckpt', 'pkl', 'pickle', 'joblib', 'dill', 'npy', 'npz', 'h5', 'hdf5', 'keras', 'safetensors', 'gguf',
  'ggml', 'onnx', 'pb', 'msgpack', 'model', 'mar', 'pt2', 'ptl', 'tflite', 'sav', 'jl', 'cloudpickle',
]);

/** Candidate model files by name (the scan itself decides the format from content). */
export function isModelFileName(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return false;
  const ext = base.slice(dot + 1);
  if (MODEL_EXTENSIONS.has(ext)) return true;
  // joblib's compressed dumps: model.joblib.gz, clf.pkl.z, ...
  const inner = base.slice(0, dot);
  return ['gz', 'z', 'bz2', 'xz', 'lzma', 'zst'].includes(ext) && MODEL_EXTENSIONS.has(inner.slice(inner.lastIndexOf('.') + 1));
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const NUMPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** torch's legacy magic number 0x1950a86a20f9469cfc6c as a pickled LONG1: \x8a\x0a + 10 bytes LE. */
const TORCH_LEGACY = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

export async function sniffFormat(src: ByteSource, ctx: ScanContext): Promise<Sniffed> {
  if (src.size === 0) return { format: 'unknown' };
  const head = await src.read(0, Math.min(src.size, 64));
  ctx.budget.charge(head.length);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(src, ctx);
  if (startsWith(head, NUMPY_MAGIC)) return { format: 'numpy' };
  if (startsWith(head, [0x47, 0x47, 0x55, 0x46])) return { format: 'gguf' };
  if (await isHdf5(src, head, ctx)) return { format: 'hdf5' };
  if (isSafetensors(head, src.size)) return { format: 'safetensors' };
  if (head[0] === 0x80 && head.length > 1 && head[1]! <= 5) {
    // The magic number is the first pickle's only value: right after PROTO (and a FRAME header
    // when torch.save was given pickle_protocol >= 4).
    const legacy = startsWith(head, TORCH_LEGACY, 2) || (head[2] === 0x95 && startsWith(head, TORCH_LEGACY, 11));
    return { format: legacy ? 'pytorch-legacy' : 'pickle' };
  }
  // joblib's compressed dumps: a zlib (0x78 + checksum) or gzip stream wrapping a pickle.
  if ((head[0] === 0x78 && head.length > 1 && ((head[0] << 8) | head[1]!) % 31 === 0) || startsWith(head, [0x1f, 0x8b, 0x08])) return { format: 'joblib' };
  if (isOnnx(head)) return { format: 'onnx' };
  for (const [magic, what] of UNSUPPORTED) if (startsWith(head, magic)) return { format: 'unknown', unsupported: what };
  if (src.size >= 512) {
    // POSIX tar ('ustar' at 257): torch's pre-0.4 format, or a bundle of model files.
    const ustar = await src.read(257, 5);
    ctx.budget.charge(ustar.length);
    if (startsWith(ustar, [0x75, 0x73, 0x74, 0x61, 0x72])) return { format: 'unknown', unsupported: "a tar archive (PyTorch's oldest format, or a bundle)" };
  }
  if (PICKLE_OPCODES.has(head[0]!) && (await looksLikeProtocol0(src, ctx))) return { format: 'pickle' };
  return { format: 'unknown' };
}

async function sniffZip(src: ByteSource, ctx: ScanContext): Promise<Sniffed> {
  let zip: ZipArchive;
  try {
    zip = await openZip(src, ctx.budget);
  } catch (e) {
    return { format: 'zip', zipError: e instanceof Error ? e.message : String(e) };
  }
  const names = zip.entries.map((e) => e.name);
  const has = (re: RegExp) => names.some((n) => re.test(n));
  let format: ModelFormat = 'zip';
  if (names.includes('config.json') && names.includes('metadata.json')) format = 'keras';
  else if (has(/(^|\/)code\/.+\.py$/) || has(/(^|\/)constants\.pkl$/) || has(/^\.data\/extern_modules$/) || has(/(^|\/)\.data\/extern_modules$/)) format = 'torchscript';
  else if (has(/(^|\/)data\.pkl$/)) format = 'pytorch-zip';
  else if (names.length > 0 && names.every((n) => n.endsWith('.npy'))) format = 'numpy-npz';
  return { format, zip };
}

function startsWith(b: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (b.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[at + i] !== magic[i]) return false;
  return true;
}

/** HDF5 puts its superblock at 0, 512, 1024, 2048, ... (a user block may precede it). */
async function isHdf5(src: ByteSource, head: Uint8Array, ctx: ScanContext): Promise<boolean> {
  if (startsWith(head, HDF5_MAGIC)) return true;
  for (let at = 512; at + 8 <= src.size && at <= 1 << 30; at *= 2) {
    const b = await src.read(at, 8);
    ctx.budget.charge(b.length);
    if (startsWith(b, HDF5_MAGIC)) return true;
  }
  return false;
}

/** safetensors: u64 LE header length, then a JSON object that fits in the file. */
function isSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  return n >= 2 && n <= 100 * 1024 * 1024 && 8 + n <= size && head[8] === 0x7b;
}

/**
 * ONNX ModelProto: starts with field 1 (ir_version, varint 1..20), then a few known top-level
 * fields (producer_name 2, producer_version 3, domain 4, model_version 5, doc_string 6, graph 7,
 * opset_import 8, metadata_props 14) with valid wire types.
 */
function isOnnx(head: Uint8Array): boolean {
  if (head[0] !== 0x08 || head.length < 4) return false;
  const ir = head[1]!;
  if (ir < 1 || ir > 20) return false;
  const next = head[2]!;
  return [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72].includes(next);
}

/**
 * A pickle without a PROTO opcode (protocols 0 and 1): walk a little of it. It counts when it
 * reaches STOP or imports something before failing (a loader runs those imports).
 */
async function looksLikeProtocol0(src: ByteSource, ctx: ScanContext): Promise<boolean> {
  // Enough work for any real pickle to show itself; running out of it without a fault counts.
  const trial: ScanContext = { ...ctx, budget: new ScanBudget(64 * 1024, 4096, Infinity, () => 0) };
  const walk = await walkPickles(src, trial, { maxPickles: 1 });
  ctx.budget.charge(trial.budget.bytesCharged);
  return walk.pickles > 0 || walk.imports.length > 0 || trial.budget.exhausted() !== undefined;
}
