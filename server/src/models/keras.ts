// Keras 3 `.keras` files: a zip of `config.json` (the model, judged by the Keras config analyser
// for Lambda layers, arbitrary module/class pairs and custom objects), `metadata.json` (versions)
// and `model.weights.h5` (weights only, which Keras loads without building code: not read).
import type { ModelFileScan } from '../domain/models';
import type { ByteSource } from './byteSource';
import { analyzeKerasConfig } from './kerasConfig';
import { latin1 } from './pickleStrings';
import { emptyScan, formatBytes, mergeNested, type ScanContext } from './reader';
import { openMember, openZipForScan, type ZipEntry } from './zip';

/** Largest config.json read (real ones are kilobytes to a few megabytes). */
const MAX_CONFIG = 32 * 1024 * 1024;

export async function readKerasZip(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  const scan = emptyScan('keras', src.size);
  const entries = await openZipForScan(src, ctx.budget, scan, '.keras archive');
  if (!entries) return scan;
  const details: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.name === 'config.json') {
      const text = await memberText(src, entry, ctx, MAX_CONFIG, scan);
      if (text === undefined) continue;
      const analysis = analyzeKerasConfig(text, 'config.json');
      scan.issues.push(...analysis.issues);
      Object.assign(details, analysis.details);
    } else if (entry.name === 'metadata.json') {
      const text = await memberText(src, entry, ctx, 64 * 1024, scan);
      const version = text === undefined ? undefined : /"keras_version"\s*:\s*"([^"]{1,40})"/.exec(text)?.[1];
      if (version) details['keras version'] = version;
    } else if (entry.name.endsWith('.h5') || entry.name.endsWith('.npz')) {
      details[`${entry.name} (not read)`] = formatBytes(entry.size);
    } else if (entry.name.endsWith('.pkl') || entry.name.endsWith('.pickle')) {
      // Not part of the format: a pickle planted in the archive is scanned like any other.
      const member = await openMember(src, entry, ctx.budget);
      if ('issue' in member) {
        scan.issues.push(member.issue);
        scan.complete = false;
        continue;
      }
      mergeNested(scan, await ctx.scanNested(member.source, entry.name), entry.name);
    }
  }
  if (!entries.some((e) => e.name === 'config.json')) {
    scan.issues.push({ kind: 'malformed', severity: 'warning', message: 'A .keras archive without config.json.' });
  }
  if (Object.keys(details).length) scan.details = details;
  return scan;
}

async function memberText(src: ByteSource, entry: ZipEntry, ctx: ScanContext, max: number, scan: ModelFileScan): Promise<string | undefined> {
  if (entry.size > max) {
    scan.complete = false;
    scan.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: ${entry.name} is ${formatBytes(entry.size)}, over the ${formatBytes(max)} cap.`, where: entry.name });
    return undefined;
  }
  const member = await openMember(src, entry, ctx.budget, { maxBytes: max });
  if ('issue' in member) {
    scan.issues.push(member.issue);
    scan.complete = false;
    return undefined;
  }
  scan.issues.push(...member.issues);
  const bytes = await member.source.read(0, member.source.size);
  ctx.budget.charge(bytes.length);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return latin1(bytes);
  }
}
