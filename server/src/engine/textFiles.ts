// Reads workspace files as text for analysis, the same way everywhere: regular files only, at most
// 5 MB, no NUL byte in the first 8 KB (a binary file), UTF-8 without its byte-order mark. The batch
// reader (the CLI) reads every file into one reused buffer with blocking calls, and may test the
// bytes before decoding them: a file the test turns down is never made into a string.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

export type TextRead = { text: string } | { error: string };

export const NOT_REGULAR = 'not a regular file';
export const BINARY = 'binary file (contains NUL bytes); not analysed';

export function tooLarge(size: number, maxBytes: number): string {
  return `file too large to analyse (${(size / 1024 / 1024).toFixed(1)} MB > ${maxBytes / 1024 / 1024} MB)`;
}

export function readError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return `cannot read file: ${err.code ?? err.message}`;
}

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** The text of a file's bytes (already checked for size and NULs). */
export function decodeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// Opening without blocking: a FIFO or a device named like a source file must not hang the run (it
// is turned down as not regular once open). Where the flag does not exist, a stat comes first.
const NONBLOCK: number | undefined = constants.O_NONBLOCK;

/** Reads one file after another into a single buffer that grows to the largest file read. */
export class BatchTextReader {
  private buf = Buffer.allocUnsafe(64 * 1024);

  constructor(private readonly maxBytes = MAX_TEXT_BYTES) {}

  /**
   * The file's text, or why it is not analysed. With `accept`, the bytes are shown to it first
   * (the buffer is reused: it must not keep them) and `{ skipped: true }` comes back when it says
   * no; size, type and binary refusals are reported before it is asked.
   */
  read(file: string, accept?: (bytes: Uint8Array) => boolean): TextRead | { skipped: true } {
    let fd: number | undefined;
    try {
      if (NONBLOCK === undefined && !statSync(file).isFile()) return { error: NOT_REGULAR };
      fd = openSync(file, constants.O_RDONLY | (NONBLOCK ?? 0));
      const st = fstatSync(fd);
      if (!st.isFile()) return { error: NOT_REGULAR };
      if (st.size > this.maxBytes) return { error: tooLarge(st.size, this.maxBytes) };
      // Read to the end (a file may have grown since its size was taken), within the cap.
      this.reserve(st.size + 1, 0);
      let n = 0;
      for (;;) {
        if (n === this.buf.length) {
          if (n > this.maxBytes) return { error: tooLarge(n, this.maxBytes) };
          this.reserve(n * 2, n);
        }
        const got = readSync(fd, this.buf, n, this.buf.length - n, null);
        if (got === 0) break;
        n += got;
      }
      if (n > this.maxBytes) return { error: tooLarge(n, this.maxBytes) };
      const bytes = this.buf.subarray(0, n);
      if (isBinary(bytes)) return { error: BINARY };
      if (accept && !accept(bytes)) return { skipped: true };
      return { text: decodeText(bytes) };
    } catch (e) {
      return { error: readError(e) };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Room for `size` bytes (at most the cap and one), keeping the first `keep`. */
  private reserve(size: number, keep: number): void {
    const want = Math.min(size, this.maxBytes + 1);
    if (want <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(want, Math.min(this.buf.length * 2, this.maxBytes + 1)));
    this.buf.copy(next, 0, 0, keep);
    this.buf = next;
  }
}
