// A ByteSource over a slice of another one (a stored zip member, a payload inside a pickle), so
// nested content is read in place: no copy, and every read still counted by the outer source.
import type { ByteSource } from './byteSource';

export function windowSource(outer: ByteSource, start: number, length: number): ByteSource {
  const size = Math.max(0, Math.min(length, outer.size - start));
  let read = 0;
  return {
    size,
    get bytesRead() {
      return read;
    },
    async read(offset, n) {
      const from = Math.max(0, Math.min(offset, size));
      const len = Math.max(0, Math.min(n, size - from));
      const bytes = len > 0 ? await outer.read(start + from, len) : new Uint8Array(0);
      read += bytes.length;
      return bytes;
    },
  };
}
