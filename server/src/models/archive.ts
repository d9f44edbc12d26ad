// A zip of no known model layout (a `.zip` of checkpoints, a Keras-like archive without its
// reader): each member whose first bytes look like a model file is scanned through the registry,
// one level deeper; other members are not inflated.
import type { ModelFileScan } from '../domain/models';
import type { ByteSource } from './byteSource';
import { budgetIssue, emptyScan, mergeNested, type ScanContext } from './reader';
import { openMember, openZipForScan } from './zip';

const MAX_MEMBERS = 1000;

/** First bytes of the formats worth opening a member for (zip, npy, pickle, HDF5, GGUF, zlib/gzip). */
function looksLikeModel(b: Uint8Array): boolean {
  if (b.length < 2) return false;
  const s = String.fromCharCode(...b.subarray(0, 8));
  return (
    s.startsWith('PK\x03\x04') || s.startsWith('\x93NUMPY') || s.startsWith('\x89HDF') || s.startsWith('GGUF') ||
    (b[0] === 0x80 && b[1]! <= 5) || b[0] === 0x1f || b[0] === 0x78 || (b.length >= 9 && b[8] === 0x7b) || b[0] === 0x28 || b[0] === 0x63
  );
}

export async function readZipArchive(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('zip', src.size);
  const entries = await openZipForScan(src, ctx.budget, scan, 'zip archive');
  if (!entries) return scan;
  let looked = 0;
  for (const entry of entries) {
    if (entry.name.endsWith('/') || entry.size === 0) continue;
    const limit = ctx.budget.exhausted();
    if (limit) {
      scan.issues.push(budgetIssue(limit, ctx.budget));
      scan.complete = false;
      break;
    }
    if (++looked > MAX_MEMBERS) {
      scan.complete = false;
      scan.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: only the first ${MAX_MEMBERS} members were looked at.` });
      break;
    }
    const head = await openMember(src, entry, ctx.budget, { prefix: true, maxBytes: 16 });
    if ('issue' in head) {
      scan.issues.push(head.issue);
      scan.complete = false;
      continue;
    }
    const first = await head.source.read(0, 16);
    if (!looksLikeModel(first)) continue;
    const member = entry.method === 0 ? head : await openMember(src, entry, ctx.budget);
    if ('issue' in member) {
      scan.issues.push(member.issue);
      scan.complete = false;
      continue;
    }
    const nested = await ctx.scanNested(member.source, entry.name);
    if (nested.format === 'unknown' && nested.complete && nested.issues.length === 0) continue;
    scan.issues.push(...member.issues);
    mergeNested(scan, nested, entry.name);
  }
  return scan;
}
