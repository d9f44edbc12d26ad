// NumPy files: `.npy` (header, then raw data, or a pickle when the dtype holds Python objects,
// which np.load(allow_pickle=True) unpickles) and `.npz` (a zip of `.npy` members). Raw data is
// never read; only the headers, and the pickles of object arrays, are.
import type { ModelFileScan, ModelIssue } from '../domain/models';
import type { ByteSource } from './byteSource';
import { declaredDataBytes, NpyError, type NpyHeader, parseNpyHeader } from './npyHeader';
import { pickleDetails, walkPickles } from './pickle';
import { budgetIssue, emptyScan, formatBytes, joinWhere, type ScanContext } from './reader';
import { openMember, openZipForScan, type ZipEntry } from './zip';

/** numpy refuses headers over 10,000 bytes by default; 1 MiB leaves room for odd writers. */
const MAX_HEADER = 1024 * 1024;

async function readHeader(src: ByteSource, ctx: ScanContext): Promise<NpyHeader> {
  const first = await src.read(0, Math.min(src.size, 4096));
  ctx.budget.charge(first.length);
  if (first.length >= 12) {
    const dv = new DataView(first.buffer, first.byteOffset, first.byteLength);
    const need = first[6] === 1 ? 10 + dv.getUint16(8, true) : 12 + dv.getUint32(8, true);
    if (need > first.length && need <= MAX_HEADER) {
      const all = await src.read(0, need);
      ctx.budget.charge(all.length);
      return parseNpyHeader(all);
    }
    if (need > MAX_HEADER) throw new NpyError(`a .npy header of ${need} bytes (over the ${MAX_HEADER}-byte cap)`);
  }
  return parseNpyHeader(first);
}

export async function readNpy(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('numpy', src.size);
  let header: NpyHeader;
  try {
    header = await readHeader(src, ctx);
  } catch (e) {
    if (!(e instanceof NpyError)) throw e;
    scan.complete = false;
    scan.issues.push({ kind: 'malformed', severity: 'warning', message: `Malformed .npy file: ${e.message}.` });
    return scan;
  }
  scan.details = {
    'npy version': header.version,
    dtype: typeof header.descr === 'string' ? header.descr : 'structured',
    shape: header.shape ? `(${header.shape.join(', ')}${header.shape.length === 1 ? ',' : ''})` : 'unknown',
  };
  if (header.hasObject) {
    // np.save pickles the whole object array right after the header.
    const walk = await walkPickles(src, ctx, { start: header.dataOffset });
    scan.imports = walk.imports;
    scan.issues.push(...walk.issues);
    scan.complete = walk.complete;
    Object.assign(scan.details, { 'object array': 'yes (pickled; np.load needs allow_pickle=True)' }, pickleDetails(walk));
    return scan;
  }
  const data = declaredDataBytes(header);
  if (data !== undefined && header.dataOffset + data > src.size) {
    scan.issues.push({ kind: 'truncated', severity: 'warning', message: `The .npy header declares ${formatBytes(data)} of data, but the file is ${formatBytes(src.size)}.` });
  }
  return scan;
}

/** `.npz`: every `.npy` member's header is read (inflating only its first bytes when deflated). */
export async function readNpz(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('numpy-npz', src.size);
  const entries = await openZipForScan(src, ctx.budget, scan, '.npz archive');
  if (!entries) return scan;
  let objectArrays = 0;
  for (const entry of entries) {
    const limit = ctx.budget.exhausted();
    if (limit) {
      scan.issues.push(budgetIssue(limit, ctx.budget));
      scan.complete = false;
      break;
    }
    const member = await scanNpzMember(src, entry, ctx);
    if (member.hasObject) objectArrays++;
    for (const imp of member.scan.imports) scan.imports.push({ ...imp, where: joinWhere(entry.name, imp.where) ?? entry.name });
    for (const issue of member.scan.issues) scan.issues.push({ ...issue, where: joinWhere(entry.name, issue.where) ?? entry.name });
    if (!member.scan.complete) scan.complete = false;
  }
  scan.details = { arrays: String(entries.length), ...(objectArrays ? { 'object arrays': String(objectArrays) } : {}) };
  return scan;
}

async function scanNpzMember(src: ByteSource, entry: ZipEntry, ctx: ScanContext): Promise<{ scan: ModelFileScan; hasObject: boolean }> {
  // First only the header: a deflated numeric array is never inflated past it.
  const head = await openMember(src, entry, ctx.budget, { prefix: true, maxBytes: 64 * 1024 });
  if ('issue' in head) return { scan: { ...emptyScan('numpy', entry.size), complete: false, issues: [strip(head.issue)] }, hasObject: false };
  let header: NpyHeader;
  try {
    header = await readHeader(head.source, ctx);
  } catch (e) {
    if (!(e instanceof NpyError)) throw e;
    return { scan: { ...emptyScan('numpy', entry.size), complete: false, issues: [...head.issues.map(strip), { kind: 'malformed', severity: 'warning', message: `Malformed .npy member: ${e.message}.` }] }, hasObject: false };
  }
  if (!header.hasObject) return { scan: { ...emptyScan('numpy', entry.size), issues: head.issues.map(strip) }, hasObject: false };
  const full = entry.method === 0 ? head : await openMember(src, entry, ctx.budget);
  if ('issue' in full) return { scan: { ...emptyScan('numpy', entry.size), complete: false, issues: [strip(full.issue)] }, hasObject: true };
  const scan = await readNpy(full.source, ctx);
  scan.issues.unshift(...full.issues.map(strip));
  return { scan, hasObject: true };
}

/** Member issues carry the member as `where`; the caller re-adds it. */
function strip(issue: ModelIssue): ModelIssue {
  const { where: _where, ...rest } = issue;
  return rest;
}
