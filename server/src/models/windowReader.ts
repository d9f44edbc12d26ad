// Small-chunk buffered reads over a ByteSource for formats walked field by field (GGUF
// metadata, protobuf): most fields come out of one cached window without a read call, and
// a skip past a large field (tensor bytes, token arrays of fixed width) is a seek, not a read.
import type { ByteSource } from './byteSource';
import { Truncated } from './formatReader';

export class WindowReader {
  private win: Uint8Array = new Uint8Array(0);
  private winStart = 0;
  private view: DataView = new DataView(this.win.buffer);

  constructor(
    readonly src: ByteSource,
    private readonly chunk = 16 * 1024,
  ) {}

  get size(): number {
    return this.src.size;
  }

  /** Makes `[pos, pos+n)` available in the window; throws `Truncated` past the end of the file. */
  async ensure(pos: number, n: number, what = 'a field'): Promise<void> {
    if (pos < 0 || pos + n > this.src.size) throw new Truncated(`the file ends inside ${what} at byte ${pos}`);
    if (pos >= this.winStart && pos + n <= this.winStart + this.win.length) return;
    // Read ahead a chunk, but not past what the budget allows: the field itself must fit.
    const budget = (this.src as { remaining?: number }).remaining ?? Number.POSITIVE_INFINITY;
    const want = Math.min(this.src.size - pos, Math.max(n, Math.min(this.chunk, budget)));
    const got = await this.src.read(pos, want);
    if (got.length < n) throw new Truncated(`the file ends inside ${what} at byte ${pos}`);
    this.win = got;
    this.winStart = pos;
    this.view = new DataView(got.buffer, got.byteOffset, got.byteLength);
  }

  /** Whether `[pos, pos+n)` is already in the window (so sync reads are safe). */
  has(pos: number, n: number): boolean {
    return pos >= this.winStart && pos + n <= this.winStart + this.win.length;
  }

  u8(pos: number): number {
    return this.win[pos - this.winStart]!;
  }
  u16(pos: number, le: boolean): number {
    return this.view.getUint16(pos - this.winStart, le);
  }
  u32(pos: number, le: boolean): number {
    return this.view.getUint32(pos - this.winStart, le);
  }
  /** A u64 as a number; values past 2^53 come back as Infinity so callers' range checks reject them. */
  u64(pos: number, le: boolean): number {
    const v = this.view.getBigUint64(pos - this.winStart, le);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  }
  i64(pos: number, le: boolean): bigint {
    return this.view.getBigInt64(pos - this.winStart, le);
  }
  f32(pos: number, le: boolean): number {
    return this.view.getFloat32(pos - this.winStart, le);
  }
  f64(pos: number, le: boolean): number {
    return this.view.getFloat64(pos - this.winStart, le);
  }

  /** `n` bytes at `pos` (from the window when it covers them, else one direct read). */
  async bytes(pos: number, n: number, what = 'a field'): Promise<Uint8Array> {
    if (this.has(pos, n)) return this.win.subarray(pos - this.winStart, pos - this.winStart + n);
    if (n <= this.chunk) {
      await this.ensure(pos, n, what);
      return this.win.subarray(pos - this.winStart, pos - this.winStart + n);
    }
    if (pos + n > this.src.size) throw new Truncated(`the file ends inside ${what} at byte ${pos}`);
    const got = await this.src.read(pos, n);
    if (got.length < n) throw new Truncated(`the file ends inside ${what} at byte ${pos}`);
    return got;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}
