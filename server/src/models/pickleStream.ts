// A forward reader over a ByteSource window for the pickle walker: chunked reads with a
// synchronous fast path (most opcodes need a byte or nine), skips that cost nothing (tensor
// bytes inside a pickle are never read), and every read charged to the scan budget.
import type { ByteSource } from './byteSource';
import type { ScanBudget } from './reader';

/** Reads start small (after a seek, little may be needed) and double while reading on. */
const FIRST_CHUNK = 4 * 1024;
const MAX_CHUNK = 256 * 1024;

/** A structural fault in the stream; the walker turns it into a `malformed` or `truncated` issue. */
export class PickleFault extends Error {
  constructor(
    readonly kind: 'malformed' | 'truncated',
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export class PickleStream {
  private buf: Uint8Array = new Uint8Array(0);
  /** Absolute offset of buf[0]. */
  private bufStart = 0;
  private chunk = FIRST_CHUNK;
  pos: number;

  constructor(
    private readonly src: ByteSource,
    start: number,
    /** Exclusive end of the window. */
    readonly end: number,
    private readonly budget: ScanBudget,
  ) {
    this.pos = start;
    this.bufStart = start;
  }

  /** Are `n` bytes at `pos` already buffered? */
  has(n: number): boolean {
    return this.pos >= this.bufStart && this.pos + n <= this.bufStart + this.buf.length;
  }

  /** Buffer `n` bytes at `pos` (fewer at the end of the window); returns how many are available. */
  async fill(n: number): Promise<number> {
    const want = Math.min(n, this.end - this.pos);
    if (want <= 0) return 0;
    if (this.has(want)) return want;
    const bufEnd = this.bufStart + this.buf.length;
    // Keep what is buffered from pos on, and append; otherwise start afresh at pos.
    const keepFrom = this.pos >= this.bufStart && this.pos < bufEnd ? this.pos : bufEnd;
    const kept = keepFrom < bufEnd ? this.buf.subarray(keepFrom - this.bufStart) : new Uint8Array(0);
    const readAt = keepFrom < bufEnd ? bufEnd : this.pos;
    // Sequential reading grows the chunk; a jump (a skipped array or string) starts small again.
    this.chunk = readAt === bufEnd ? Math.min(MAX_CHUNK, this.chunk * 2) : FIRST_CHUNK;
    const readLen = Math.min(this.end - readAt, Math.max(this.chunk, want - kept.length));
    const fresh = readLen > 0 ? await this.src.read(readAt, readLen) : new Uint8Array(0);
    this.budget.charge(fresh.length);
    if (kept.length === 0) {
      this.buf = fresh;
      this.bufStart = readAt;
    } else {
      const joined = new Uint8Array(kept.length + fresh.length);
      joined.set(kept, 0);
      joined.set(fresh, kept.length);
      this.buf = joined;
      this.bufStart = keepFrom;
    }
    return Math.min(want, this.bufStart + this.buf.length - this.pos);
  }

  /** Ensure `n` bytes are buffered or fail as truncated. */
  async need(n: number, what: string): Promise<void> {
    if (this.has(n)) return;
    if ((await this.fill(n)) < n) throw new PickleFault('truncated', `the stream ends inside ${what}`, this.pos);
  }

  u8(): number {
    return this.buf[this.pos++ - this.bufStart]!;
  }

  u16(): number {
    const i = this.pos - this.bufStart;
    this.pos += 2;
    return this.buf[i]! | (this.buf[i + 1]! << 8);
  }

  /** Unsigned 32-bit little endian. */
  u32(): number {
    const i = this.pos - this.bufStart;
    this.pos += 4;
    return (this.buf[i]! | (this.buf[i + 1]! << 8) | (this.buf[i + 2]! << 16)) + this.buf[i + 3]! * 0x1000000;
  }

  /** Signed 32-bit little endian. */
  i32(): number {
    const v = this.u32();
    return v >= 0x80000000 ? v - 0x100000000 : v;
  }

  /** Unsigned 64-bit little endian, as a number (exact up to 2^53; larger values stay larger). */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x100000000 + lo;
  }

  /** `n` buffered bytes (call `need` first); a view, valid until the next fill. */
  take(n: number): Uint8Array {
    const i = this.pos - this.bufStart;
    this.pos += n;
    return this.buf.subarray(i, i + n);
  }

  /** Read `n` bytes (n small enough to hold). */
  async bytes(n: number, what: string): Promise<Uint8Array> {
    await this.need(n, what);
    return this.take(n);
  }

  /** Move past `n` bytes without reading them. */
  skip(n: number, what: string): void {
    if (n > this.end - this.pos) throw new PickleFault('truncated', `${what} runs past the end of the stream`, this.pos);
    this.pos += n;
  }

  /**
   * A newline-terminated argument (protocol 0 style). Returns at most `keep` bytes of it (the
   * rest is scanned past, not kept) and whether it was cut.
   */
  async line(keep: number, what: string): Promise<{ bytes: Uint8Array; cut: boolean }> {
    const parts: Uint8Array[] = [];
    let kept = 0;
    let cut = false;
    for (;;) {
      if (!this.has(1) && (await this.fill(1)) === 0) throw new PickleFault('truncated', `the stream ends inside ${what}`, this.pos);
      const i = this.pos - this.bufStart;
      const nl = this.buf.indexOf(0x0a, i);
      const stop = nl === -1 ? this.buf.length : nl;
      const piece = this.buf.subarray(i, stop);
      if (kept < keep) {
        const room = Math.min(piece.length, keep - kept);
        parts.push(piece.slice(0, room));
        kept += room;
        if (room < piece.length) cut = true;
      } else if (piece.length > 0) cut = true;
      this.pos += stop - i;
      if (nl !== -1) {
        this.pos += 1;
        break;
      }
      if (!this.budget.tick(1)) break;
    }
    return { bytes: concat(parts, kept), cut };
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
