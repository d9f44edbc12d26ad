// Random access to a model file's bytes without reading it whole: the scanner reads headers,
// pickles and metadata, and seeks past tensor data, so a 10 GB checkpoint costs the size of its
// small parts. Every read is counted, so a scan can report (and a test can assert) its cost.
import { promises as fs } from 'node:fs';

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes read so far through this source. */
  readonly bytesRead: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A source over bytes already in memory (tests, zip members, embedded pickles). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  let read = 0;
  return {
    size: bytes.length,
    get bytesRead() {
      return read;
    },
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, bytes.length));
      const end = Math.max(start, Math.min(bytes.length, start + Math.max(0, length)));
      read += end - start;
      return bytes.subarray(start, end);
    },
  };
}

/** A source over a file on disk; close it when done. */
export async function fileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const fh = await fs.open(path, 'r');
  const { size } = await fh.stat();
  let read = 0;
  return {
    size,
    get bytesRead() {
      return read;
    },
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, size));
      const n = Math.max(0, Math.min(length, size - start));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      read += got;
      return got === n ? buf : buf.subarray(0, got);
    },
    close: () => fh.close(),
  };
}
