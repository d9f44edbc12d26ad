// joblib dumps written with `compress=`: a zlib or gzip stream around the whole pickle (arrays
// included, so unlike a plain dump the data cannot be skipped). Inflated up to the read budget,
// then walked with joblib's semantics; bz2/lzma/lz4 dumps are reported as not scanned.
import type { ModelFileScan } from '../domain/models';
import { bufferSource, type ByteSource } from './byteSource';
import { inflateRange } from './inflate';
import { pickleScan, PICKLE_OPCODES, walkPickles } from './pickle';
import { formatBytes, type ScanContext } from './reader';

/** Largest decompressed stream walked (within the file's read budget). */
const MAX_INFLATED = 512 * 1024 * 1024;

export async function readJoblib(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const head = await src.read(0, 2);
  ctx.budget.charge(head.length);
  const kind = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : head[0] === 0x78 ? 'zlib' : undefined;
  if (!kind) {
    const scan = pickleScan(await walkPickles(src, ctx), src.size);
    scan.format = 'joblib';
    return scan;
  }
  const cap = Math.min(MAX_INFLATED, ctx.budget.bytesLeft());
  const r = await inflateRange(src, 0, src.size, kind, cap, ctx.budget);
  const inner = bufferSource(r.bytes);
  if (r.bytes.length === 0 || !PICKLE_OPCODES.has(r.bytes[0]!)) {
    return {
      format: 'joblib', size: src.size, bytesRead: 0, complete: !r.error, imports: [],
      issues: r.error ? [{ kind: 'malformed', severity: 'warning', message: `The ${kind} stream does not inflate: ${r.error}.` }] : [],
      details: { compression: kind, note: 'the decompressed content is not a pickle' },
    };
  }
  const walk = await walkPickles(inner, ctx);
  const scan = pickleScan(walk, src.size);
  scan.format = 'joblib';
  scan.details = { compression: kind, 'decompressed bytes walked': formatBytes(r.bytes.length), ...scan.details };
  if (r.capped) {
    // The walk ran into the cap, not into a real end: say so instead of "truncated".
    scan.issues = scan.issues.filter((i) => i.kind !== 'truncated');
    scan.complete = false;
    scan.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: only the first ${formatBytes(r.bytes.length)} of the ${kind}-compressed pickle were decompressed.` });
  } else if (r.truncated) {
    scan.issues.push({ kind: 'truncated', severity: 'warning', message: `The ${kind} stream is cut short.` });
  }
  return scan;
}
