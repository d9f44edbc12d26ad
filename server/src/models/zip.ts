// A bounded zip reader over a ByteSource: end record (zip64 too), central directory, local
// headers; members are opened one at a time and only when asked (stored ones in place, deflated
// ones inflated up to a cap), so tensor data is never read. Caps on entry count, directory size,
// member size and compression ratio turn zip bombs and crafted headers into issues, not hangs.
import type { ModelFileScan, ModelIssue } from '../domain/models';
import { bufferSource, type ByteSource } from './byteSource';
import { inflateRange } from './inflate';
import type { ScanBudget } from './reader';
import { windowSource } from './window';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  /** Local header offset in the file (corrected for bytes prepended to the archive). */
  localOffset: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** Entries past the cap, not listed. */
  omitted: number;
  issues: ModelIssue[];
}

export class ZipError extends Error {}

export const ZIP_LIMITS = {
  maxEntries: 100_000,
  maxDirectoryBytes: 64 * 1024 * 1024,
  /** Largest member we inflate or walk in memory. */
  maxMemberBytes: 256 * 1024 * 1024,
  /** Declared or actual inflation ratio beyond which a member is treated as a bomb. */
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** Stored members up to this size are read together with their local header. */
const SMALL_MEMBER = 4096;

const cache = new WeakMap<ByteSource, Promise<ZipArchive>>();

/** The archive's directory; cached per source so sniffing and reading share one read. */
export function openZip(src: ByteSource, budget: ScanBudget): Promise<ZipArchive> {
  let p = cache.get(src);
  if (!p) {
    p = readDirectory(src, budget);
    cache.set(src, p);
  }
  return p;
}

async function readDirectory(src: ByteSource, budget: ScanBudget): Promise<ZipArchive> {
  // Like Python's zipfile: the end record without a comment is the last 22 bytes; only when it
  // is not there, search the last 64 KiB (a comment may follow it).
  let tailLen = Math.min(src.size, 22);
  let tailStart = src.size - tailLen;
  let tail = await src.read(tailStart, tailLen);
  budget.charge(tail.length);
  let dv = view(tail);
  let at = tail.length === 22 && dv.getUint32(0, true) === EOCD ? 0 : -1;
  if (at < 0) {
    tailLen = Math.min(src.size, 22 + MAX_COMMENT);
    tailStart = src.size - tailLen;
    tail = await src.read(tailStart, tailLen);
    budget.charge(tail.length);
    dv = view(tail);
    for (let i = tail.length - 22; i >= 0; i--) {
      if (dv.getUint32(i, true) === EOCD) {
        at = i;
        break;
      }
    }
  }
  if (at < 0) throw new ZipError('no end-of-central-directory record');
  const eocdPos = tailStart + at;
  let count = dv.getUint16(at + 10, true);
  let cdSize = dv.getUint32(at + 12, true);
  let cdOffset = dv.getUint32(at + 16, true);
  let zip64Bytes = 0;
  const locator = eocdPos >= 20 ? await src.read(eocdPos - 20, 20) : new Uint8Array(0);
  budget.charge(locator.length);
  const lv = view(locator);
  if (locator.length === 20 && lv.getUint32(0, true) === ZIP64_LOCATOR) {
    const rec = await readZip64End(src, budget, Number(lv.getBigUint64(8, true)), eocdPos - 20 - 56);
    if (rec) {
      ({ count, cdSize, cdOffset } = rec);
      zip64Bytes = 56 + 20;
    }
  }
  // Python's zipfile: bytes prepended to the archive shift every offset by `concat`.
  const concat = eocdPos - zip64Bytes - cdSize - cdOffset;
  if (concat < 0) throw new ZipError('the central directory lies past its end record');
  if (cdSize > ZIP_LIMITS.maxDirectoryBytes) throw new ZipError(`a central directory of ${cdSize} bytes (over the cap)`);
  const cd = await src.read(cdOffset + concat, cdSize);
  budget.charge(cd.length);
  if (cd.length < cdSize) throw new ZipError('the central directory is truncated');
  return parseDirectory(cd, count, concat, budget);
}

async function readZip64End(src: ByteSource, budget: ScanBudget, declared: number, expected: number): Promise<{ count: number; cdSize: number; cdOffset: number } | undefined> {
  for (const pos of [declared, expected]) {
    if (pos < 0 || pos + 56 > src.size) continue;
    const b = await src.read(pos, 56);
    budget.charge(b.length);
    const dv = view(b);
    if (b.length < 56 || dv.getUint32(0, true) !== ZIP64_EOCD) continue;
    return { count: safe(dv.getBigUint64(32, true)), cdSize: safe(dv.getBigUint64(40, true)), cdOffset: safe(dv.getBigUint64(48, true)) };
  }
  return undefined;
}

function parseDirectory(cd: Uint8Array, declaredCount: number, concat: number, budget: ScanBudget): ZipArchive {
  const dv = view(cd);
  const entries: ZipEntry[] = [];
  const issues: ModelIssue[] = [];
  let omitted = 0;
  let p = 0;
  while (p + 46 <= cd.length) {
    if (dv.getUint32(p, true) !== CENTRAL) break;
    if (!budget.tick(1)) break;
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cd.length) throw new ZipError('a central directory entry runs past the directory');
    if (entries.length >= ZIP_LIMITS.maxEntries) {
      omitted++;
      p = next;
      continue;
    }
    const flags = dv.getUint16(p + 8, true);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
    const entry: ZipEntry = {
      name: decodeName(nameBytes, flags),
      method: dv.getUint16(p + 10, true),
      flags,
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      localOffset: dv.getUint32(p + 42, true),
    };
    applyZip64Extra(entry, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    entry.localOffset += concat;
    entries.push(entry);
    p = next;
  }
  if (omitted > 0) issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: the archive lists ${entries.length + omitted} members; only the first ${entries.length} were looked at.` });
  else if (entries.length < Math.min(declaredCount, ZIP_LIMITS.maxEntries) && declaredCount !== 0xffff) {
    issues.push({ kind: 'malformed', severity: 'warning', message: `The zip end record declares ${declaredCount} members but its directory holds ${entries.length}.` });
  }
  return { entries, omitted, issues };
}

function applyZip64Extra(e: ZipEntry, extra: Uint8Array): void {
  const dv = view(extra);
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = dv.getUint16(q, true);
    const len = dv.getUint16(q + 2, true);
    if (id === 0x0001) {
      let r = q + 4;
      const end = Math.min(extra.length, r + len);
      const take = (): number | undefined => (r + 8 <= end ? safe(dv.getBigUint64((r += 8) - 8, true)) : undefined);
      if (e.size === 0xffffffff) e.size = take() ?? e.size;
      if (e.compressedSize === 0xffffffff) e.compressedSize = take() ?? e.compressedSize;
      if (e.localOffset === 0xffffffff) e.localOffset = take() ?? e.localOffset;
      return;
    }
    q += 4 + len;
  }
}

export type MemberResult = { source: ByteSource; issues: ModelIssue[] } | { issue: ModelIssue };

/**
 * A member's bytes as a source: stored members in place (no copy, any size), deflated members
 * inflated up to `maxBytes` (a `prefix` read stops there quietly; a full read reports the cap).
 */
export async function openMember(src: ByteSource, entry: ZipEntry, budget: ScanBudget, opts: { maxBytes?: number; prefix?: boolean } = {}): Promise<MemberResult> {
  const issues: ModelIssue[] = [];
  const w = { where: entry.name };
  // One read for the local header, its name and extra field (torch pads up to 64 bytes), and a
  // small stored member's data too: many members are a few bytes (version, byteorder, ...).
  const guess = 30 + new TextEncoder().encode(entry.name).length + 128;
  const small = entry.method === 0 && entry.compressedSize <= SMALL_MEMBER ? entry.compressedSize : 0;
  const head = await src.read(entry.localOffset, guess + small);
  budget.charge(head.length);
  if (head.length < 30 || view(head).getUint32(0, true) !== LOCAL) return { issue: { kind: 'malformed', severity: 'warning', message: 'The member has no local header where the directory points.', ...w } };
  const hv = view(head);
  const nameLen = hv.getUint16(26, true);
  const extraLen = hv.getUint16(28, true);
  let localName = head.subarray(30, 30 + nameLen);
  if (localName.length < nameLen) {
    localName = await src.read(entry.localOffset + 30, nameLen);
    budget.charge(localName.length);
  }
  const decoded = decodeName(localName, hv.getUint16(6, true));
  if (decoded !== entry.name) {
    issues.push({ kind: 'malformed', severity: 'warning', message: `The member's local header names '${decoded}', not '${entry.name}': loaders disagree on such archives.`, ...w });
  }
  if (entry.flags & 0x41) {
    // Some loaders (torch's miniz) ignore the flag: read the bytes as they are, and say so.
    issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: 'The member is flagged as encrypted; it was read as stored bytes, which may not be what a loader sees.', ...w });
  }
  const dataStart = entry.localOffset + 30 + nameLen + extraLen;
  if (dataStart + entry.compressedSize > src.size) return { issue: { kind: 'truncated', severity: 'warning', message: 'The member runs past the end of the file.', ...w } };
  const inHead = 30 + nameLen + extraLen;
  if (small > 0 && inHead + small <= head.length) return { source: bufferSource(head.slice(inHead, inHead + small)), issues };
  if (entry.method === 0) return { source: windowSource(src, dataStart, entry.compressedSize), issues };
  if (entry.method !== 8) {
    return { issue: { kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: the member uses compression method ${entry.method}, which is not read.`, ...w } };
  }
  const cap = Math.min(opts.maxBytes ?? ZIP_LIMITS.maxMemberBytes, ZIP_LIMITS.maxMemberBytes);
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (!opts.prefix && entry.size > 1024 * 1024 && ratio > ZIP_LIMITS.maxRatio) {
    return { issue: { kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: the member declares a ${Math.round(ratio)}:1 compression ratio (a zip bomb?); it was not inflated.`, ...w } };
  }
  if (!opts.prefix && entry.size > cap) {
    return { issue: { kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: the member inflates to ${entry.size} bytes, over the ${cap}-byte cap.`, ...w } };
  }
  // Inflate to at most the declared size (+1 to notice a lie), so a bomb cannot exceed what it declared.
  const limit = opts.prefix ? Math.min(cap, entry.size) : Math.min(cap, entry.size + 1);
  const r = await inflateRange(src, dataStart, entry.compressedSize, 'deflate', limit, budget);
  if (r.error) return { issue: { kind: 'malformed', severity: 'warning', message: `The member does not inflate: ${r.error}.`, ...w } };
  if (!opts.prefix && r.bytes.length > entry.size) {
    return { issue: { kind: 'malformed', severity: 'warning', message: `The member inflates past its declared ${entry.size} bytes (a zip bomb?); it was not scanned.`, ...w } };
  }
  if (r.truncated && !opts.prefix) issues.push({ kind: 'truncated', severity: 'warning', message: 'The member\'s compressed data is cut short.', ...w });
  return { source: bufferSource(r.bytes), issues };
}

function decodeName(bytes: Uint8Array, flags: number): string {
  // Bit 11: UTF-8. Otherwise code page 437, which agrees with ASCII for real model archives.
  return new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(bytes);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function safe(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * Opens the zip a format reader reads, recording its issues and first member names on `scan`; a
 * malformed archive marks the scan incomplete with an issue naming `what`, and gives undefined.
 */
export async function openZipForScan(src: ByteSource, budget: ScanBudget, scan: ModelFileScan, what: string): Promise<ZipEntry[] | undefined> {
  let zip: ZipArchive;
  try {
    zip = await openZip(src, budget);
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    scan.complete = false;
    scan.issues.push({ kind: 'malformed', severity: 'warning', message: `Malformed ${what}: ${e.message}.` });
    return undefined;
  }
  scan.issues.push(...zip.issues);
  scan.members = zip.entries.slice(0, 200).map((e) => e.name);
  return zip.entries;
}
