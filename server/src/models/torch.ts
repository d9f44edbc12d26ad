// PyTorch checkpoints. Zip format (torch.save >= 1.6, TorchScript, torch.package): every `.pkl`
// member is walked, not only `data.pkl` (a pickle hidden in another member is a known bypass);
// tensor storages (`<archive>/data/<key>`) are never read; other members are sniffed and scanned
// if they are model files themselves (nested zips included). Legacy format: five pickles in a
// row (magic number, protocol, sys info, the object, the storage keys), then raw storages.
import type { ModelFileScan } from '../domain/models';
import type { ByteSource } from './byteSource';
import { pickleDetails, walkPickles } from './pickle';
import { latin1 } from './pickleStrings';
import { budgetIssue, emptyScan, formatBytes, mergeNested, type ScanContext } from './reader';
import { openMember, openZipForScan, type ZipEntry } from './zip';

/** Other members sniffed for embedded model files, at most. */
const MAX_OTHER_MEMBERS = 256;
const META = ['version', '.data/version', '.format_version', 'byteorder', '.data/serialization_id', '.storage_alignment'];

export async function readTorchZip(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('pytorch-zip', src.size);
  const entries = await openZipForScan(src, ctx.budget, scan, 'zip archive');
  if (!entries) return scan;
  const root = entries[0]?.name.includes('/') ? entries[0].name.slice(0, entries[0].name.indexOf('/') + 1) : '';
  const rel = (name: string) => (root && name.startsWith(root) ? name.slice(root.length) : name);
  const torchScript = entries.some((e) => /^code\/.+\.py$/.test(rel(e.name)) || rel(e.name) === 'constants.pkl' || rel(e.name) === '.data/extern_modules');
  if (torchScript) scan.format = 'torchscript';
  const details: Record<string, string> = { archive: root ? root.slice(0, -1) : '(no folder)' };
  let storages = 0;
  let storageBytes = 0;
  let pickles = 0;
  let codeFiles = 0;
  let others = 0;

  for (const entry of entries) {
    const limit = ctx.budget.exhausted();
    if (limit) {
      scan.issues.push(budgetIssue(limit, ctx.budget));
      scan.complete = false;
      break;
    }
    const name = rel(entry.name);
    if (/^data\/[^/]+$/.test(name) || /^\.data\/[^/]+\.storage$/.test(name)) {
      storages++;
      storageBytes += entry.size;
    } else if (name.toLowerCase().endsWith('.pkl')) {
      pickles++;
      const protocol = await walkMember(src, entry, ctx, scan);
      if (protocol !== undefined) details['pickle protocol'] ??= protocol;
    } else if (META.includes(name)) {
      const text = await smallText(src, entry, ctx);
      if (text !== undefined) details[name.replace(/^\./, '').replace('.data/', '')] = text;
    } else if (name.startsWith('code/')) {
      codeFiles++;
    } else if (entry.size > 0 && !entry.name.endsWith('/') && others++ < MAX_OTHER_MEMBERS) {
      await scanOther(src, entry, ctx, scan);
    }
  }
  if (others > MAX_OTHER_MEMBERS) {
    scan.complete = false;
    scan.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: ${others} other members; only the first ${MAX_OTHER_MEMBERS} were looked at.` });
  }
  if (pickles === 0) scan.issues.push({ kind: 'malformed', severity: 'warning', message: 'A PyTorch archive without any .pkl member.' });
  details['pickles walked'] = String(pickles);
  details['tensor storages (not read)'] = `${storages} (${formatBytes(storageBytes)})`;
  if (codeFiles) details['TorchScript code files'] = String(codeFiles);
  if (torchScript) {
    scan.issues.push({ kind: 'pickle-format', severity: 'info', message: 'A TorchScript archive: torch.jit.load compiles and runs the TorchScript code in its code/ folder. Prefer safetensors for weights.' });
  }
  scan.details = details;
  return scan;
}

/** Walk one pickle member into `scan`; returns its pickle protocol. */
async function walkMember(src: ByteSource, entry: ZipEntry, ctx: ScanContext, scan: ModelFileScan): Promise<string | undefined> {
  const member = await openMember(src, entry, ctx.budget);
  if ('issue' in member) {
    scan.complete = false;
    scan.issues.push(member.issue);
    return undefined;
  }
  scan.issues.push(...member.issues);
  // torch.load unpickles with its own Unpickler: joblib's array semantics do not apply.
  const walk = await walkPickles(member.source, ctx, { where: entry.name, joblib: false });
  for (const imp of walk.imports) {
    // TorchScript classes resolve to the archive's own compiled code/, not to Python imports.
    if (scan.format === 'torchscript' && (imp.module === '__torch__' || imp.module.startsWith('__torch__.')) && imp.verdict === 'unknown') {
      imp.verdict = 'allowed';
      imp.reason = "a TorchScript class compiled from this archive's code/";
    }
    scan.imports.push(imp);
  }
  scan.issues.push(...walk.issues);
  if (!walk.complete) scan.complete = false;
  return walk.protocol === undefined ? undefined : String(walk.protocol);
}

async function scanOther(src: ByteSource, entry: ZipEntry, ctx: ScanContext, scan: ModelFileScan): Promise<void> {
  const member = await openMember(src, entry, ctx.budget);
  if ('issue' in member) {
    // Only report members that might matter; a huge unknown blob stays quiet unless it is a bomb.
    if (member.issue.kind !== 'not-fully-scanned' || /bomb|method/.test(member.issue.message)) {
      scan.issues.push(member.issue);
      scan.complete = false;
    }
    return;
  }
  const nested = await ctx.scanNested(member.source, entry.name);
  if (nested.format !== 'unknown' || !nested.complete || nested.issues.length > 0) {
    scan.issues.push(...member.issues);
    mergeNested(scan, nested, entry.name);
  }
}

async function smallText(src: ByteSource, entry: ZipEntry, ctx: ScanContext): Promise<string | undefined> {
  if (entry.size > 256) return undefined;
  const member = await openMember(src, entry, ctx.budget, { maxBytes: 256 });
  if ('issue' in member) return undefined;
  const b = await member.source.read(0, 256);
  ctx.budget.charge(b.length);
  return latin1(b).trim().slice(0, 64);
}

/** torch.save before 1.6: five pickles, then storages that are never read. */
export async function readTorchLegacy(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('pytorch-legacy', src.size);
  const walk = await walkPickles(src, ctx, { maxPickles: 5, joblib: false });
  scan.imports = walk.imports;
  scan.issues = walk.issues;
  scan.complete = walk.complete;
  scan.details = { ...pickleDetails(walk), 'pickles walked': `${walk.pickles} of 5` };
  if (walk.complete && walk.pickles === 5) scan.details['tensor storages (not read)'] = formatBytes(src.size - walk.end);
  else if (walk.complete && walk.pickles < 5) {
    scan.issues.push({ kind: 'truncated', severity: 'warning', message: `A legacy PyTorch file holds five pickles; this one ends after ${walk.pickles}.` });
  }
  return scan;
}
