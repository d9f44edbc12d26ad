// SHA-256 of a model file for the bill of materials. This is the one place the tool reads a whole
// model file: `aidr scan` and the editor only read headers and pickles (bounded, never the tensor
// data), while `aidr bom` must hash every byte to identify the weights. Streamed, so memory stays
// flat however large the checkpoint.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(absPath: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(absPath, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    size += b.length;
    hash.update(b);
  }
  return { sha256: hash.digest('hex'), size };
}
