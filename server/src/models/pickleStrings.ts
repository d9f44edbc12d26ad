// Decoders for pickle's string arguments, matching what CPython's unpickler produces, because a
// module name can be spelled with escapes (`S'o\x73'` is "os") and must be seen as Python sees it.
import { PickleFault } from './pickleStream';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Latin-1 bytes to a string (each byte one code point), in slices to keep call arguments small. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** UTF-8, strict (CPython raises on invalid bytes, so the stream would not load). */
export function utf8Strict(bytes: Uint8Array, offset: number): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new PickleFault('malformed', 'a string argument is not valid UTF-8', offset);
  }
}

/**
 * The STRING opcode: a quoted Python 2 string literal body, decoded with `codecs.escape_decode`.
 * The bytes then become `str` through the unpickler's encoding (ASCII by default); latin-1 here
 * keeps the decoding total, which can only make a name look stranger, never cleaner.
 */
export function pythonStringLiteral(line: Uint8Array, offset: number): string {
  const n = line.length;
  const q = line[0];
  if (n < 2 || (q !== 0x27 && q !== 0x22) || line[n - 1] !== q) {
    throw new PickleFault('malformed', 'the STRING opcode argument must be quoted', offset);
  }
  const body = line.subarray(1, n - 1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== 0x5c || i + 1 >= body.length) {
      out.push(c);
      continue;
    }
    const e = body[++i]!;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple);
    } else if (e >= 0x30 && e <= 0x37) {
      let v = e - 0x30;
      for (let k = 0; k < 2 && i + 1 < body.length && body[i + 1]! >= 0x30 && body[i + 1]! <= 0x37; k++) v = v * 8 + (body[++i]! - 0x30);
      out.push(v & 0xff);
    } else if (e === 0x78) {
      const h = hexValue(body, i + 1, 2);
      if (h === undefined) throw new PickleFault('malformed', 'an invalid \\x escape in a STRING argument', offset);
      out.push(h);
      i += 2;
    } else if (e === 0x0a) {
      // A backslash-newline is a line continuation: both vanish.
    } else {
      out.push(0x5c, e);
    }
  }
  return latin1(Uint8Array.from(out));
}

/** The UNICODE opcode: `raw-unicode-escape`, where only \uXXXX and \UXXXXXXXX are escapes. */
export function rawUnicodeEscape(line: Uint8Array, offset: number): string {
  let out = '';
  let runStart = 0;
  // Backslashes in a row so far: an escape needs an odd count (a pair is a literal backslash).
  let slashes = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === 0x5c) {
      slashes++;
      continue;
    }
    if ((c === 0x75 || c === 0x55) && slashes % 2 === 1) {
      const digits = c === 0x75 ? 4 : 8;
      const v = hexValue(line, i + 1, digits);
      if (v === undefined || v > 0x10ffff) throw new PickleFault('malformed', 'a truncated \\u escape in a UNICODE argument', offset);
      out += latin1(line.subarray(runStart, i - 1)) + String.fromCodePoint(v);
      i += digits;
      runStart = i + 1;
    }
    slashes = 0;
  }
  return out + latin1(line.subarray(runStart));
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x5c: 0x5c, 0x27: 0x27, 0x22: 0x22, 0x61: 0x07, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x76: 0x0b,
};

function hexValue(bytes: Uint8Array, at: number, digits: number): number | undefined {
  if (at + digits > bytes.length) return undefined;
  let v = 0;
  for (let k = 0; k < digits; k++) {
    const c = bytes[at + k]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 87 : c >= 0x41 && c <= 0x46 ? c - 55 : -1;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

/** A decimal integer argument (INT, LONG, GET, PUT): Python's int() of the line. */
export function parseDecimal(line: Uint8Array, offset: number, what: string): number | undefined {
  let s = latin1(line).trim();
  if (s.endsWith('L')) s = s.slice(0, -1);
  if (!/^[+-]?\d+$/.test(s.replace(/_/g, ''))) throw new PickleFault('malformed', `${what} is not an integer`, offset);
  const v = Number(s.replace(/_/g, ''));
  return Number.isSafeInteger(v) ? v : undefined;
}
