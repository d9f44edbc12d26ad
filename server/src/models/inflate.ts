// Bounded decompression (raw deflate for zip members, zlib and gzip for compressed joblib files):
// input is fed in small slices so a bomb cannot balloon memory between checks, and output stops
// at a byte cap (the caller decides whether that cap is "enough", e.g. a header, or a failure).
import { Gunzip, Inflate, Unzlib } from 'fflate';
import type { ByteSource } from './byteSource';
import type { ScanBudget } from './reader';

export type Compression = 'deflate' | 'zlib' | 'gzip';

export interface Inflated {
  bytes: Uint8Array;
  /** Output reached `maxOut` and inflating stopped there. */
  capped: boolean;
  /** The compressed input ended before the stream was complete. */
  truncated: boolean;
  /** Compressed bytes consumed. */
  consumed: number;
  error?: string;
}

/** Input slice: deflate expands at most ~1032:1, so 8 KiB in is at most ~8.3 MB out per step. */
const SLICE = 8 * 1024;
/** Reads start small (a header is often all that is wanted) and grow. */
const FIRST_READ = 16 * 1024;
const MAX_READ = 256 * 1024;

class Capped extends Error {}

export async function inflateRange(
  src: ByteSource,
  start: number,
  length: number,
  kind: Compression,
  maxOut: number,
  budget: ScanBudget,
): Promise<Inflated> {
  const parts: Uint8Array[] = [];
  let out = 0;
  let finished = false;
  const onData = (chunk: Uint8Array, final: boolean): void => {
    if (final) finished = true;
    const room = maxOut - out;
    if (chunk.length > room) {
      if (room > 0) parts.push(chunk.slice(0, room));
      out += room;
      budget.charge(room);
      throw new Capped();
    }
    parts.push(chunk);
    out += chunk.length;
    budget.charge(chunk.length);
  };
  const stream = kind === 'deflate' ? new Inflate(onData) : kind === 'zlib' ? new Unzlib(onData) : new Gunzip(onData);
  let consumed = 0;
  let capped = false;
  let error: string | undefined;
  try {
    let readSize = FIRST_READ;
    while (consumed < length && !finished) {
      const block = await src.read(start + consumed, Math.min(readSize, length - consumed));
      readSize = Math.min(MAX_READ, readSize * 2);
      budget.charge(block.length);
      if (block.length === 0) break;
      for (let i = 0; i < block.length && !finished; i += SLICE) {
        const last = consumed + Math.min(block.length, i + SLICE) >= length;
        stream.push(block.subarray(i, i + SLICE), last);
        if (!budget.tick(1)) throw new Capped();
      }
      consumed += block.length;
    }
  } catch (e) {
    if (e instanceof Capped) capped = true;
    else error = e instanceof Error ? e.message : String(e);
  }
  const bytes = join(parts, out);
  // fflate reports a stream cut short as "unexpected EOF" once the final input is pushed.
  const truncated = error !== undefined ? /EOF/i.test(error) : !finished && !capped;
  const result: Inflated = { bytes, capped, truncated, consumed };
  if (error !== undefined && !truncated) result.error = error;
  return result;
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const outBytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    outBytes.set(p, at);
    at += p.length;
  }
  return outBytes;
}
