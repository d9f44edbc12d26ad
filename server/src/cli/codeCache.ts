// The file format of the CLI's V8 code cache (the compiled bytecode of its main bundle, kept next to
// it so a start does not compile 1 MB of JavaScript again). V8 checks only its own version, flags
// and the source's length before trusting cached bytecode, and release builds do not checksum the
// payload: a cache left from another build of the same length, or a damaged file, could run the
// wrong code. So the file carries the length and CRC-32 of the exact bundle bytes it was made from
// and of its payload; anything that does not match is ignored (and replaced after the run).
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('AIDRV8C1', 'latin1');
/** magic, then four unsigned 32-bit words: source length, source CRC, payload length, payload CRC;
 * padded to 32 bytes, so the payload starts aligned (CRC-32 runs several times faster on it). */
const HEADER = 32;

/** The cache file for `payload` (from `vm.Script#createCachedData`) made from `source`. */
export function packCodeCache(source: Uint8Array, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER + payload.length);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(source.length, 8);
  out.writeUInt32LE(crc32(source), 12);
  out.writeUInt32LE(payload.length, 16);
  out.writeUInt32LE(crc32(payload), 20);
  out.set(payload, HEADER);
  return out;
}

/** The payload of a cache file, when it was made from exactly `source` and is intact. */
export function unpackCodeCache(file: Uint8Array, source: Uint8Array): Buffer | undefined {
  if (file.length < HEADER) return undefined;
  const buf = Buffer.from(file.buffer, file.byteOffset, file.length);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (buf.readUInt32LE(8) !== source.length || buf.readUInt32LE(16) !== buf.length - HEADER) return undefined;
  const payload = buf.subarray(HEADER);
  if (buf.readUInt32LE(20) !== crc32(payload) || buf.readUInt32LE(12) !== crc32(source)) return undefined;
  return payload;
}

/**
 * Where the cache of a bundle goes when the bundle's own folder cannot take it (an installation
 * owned by another user): the user's cache folder (as the CLI's other caches), one file per bundle.
 */
export function userCacheFile(bundle: Uint8Array, env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'ai-dependency-risk', 'code-cache', `cli-main-${bundle.length}-${crc32(bundle).toString(16)}.v8cache`);
}
