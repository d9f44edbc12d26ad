// The model-file scanner's entry point: sniff the format from content, dispatch to the reader
// registered for it, and finish the result (import verdicts as issues, a "pickle-based format"
// note, a not-fully-scanned note whenever the scan stopped early). Never throws: a reader's
// exception becomes a `malformed` issue. One byte, operation and time budget per file.
import type { ModelFileScan, ModelFormat, ModelIssue, PickleImport } from '../domain/models';
import { type ByteSource, fileSource } from './byteSource';
import { readZipArchive } from './archive';
import { readJoblib } from './compressed';
import type { Reader as FormatReader } from './formatReader';
import { readGguf } from './gguf';
import { readHdf5 } from './hdf5';
import { readKerasZip } from './keras';
import { readNpy, readNpz } from './numpy';
import { readOnnx } from './onnx';
import { readPickleFile } from './pickle';
import { budgetIssue, emptyScan, joinWhere, type Reader, ScanBudget, type ScanContext } from './reader';
import { readSafetensors } from './safetensors';
import { sniffFormat } from './sniff';
import { readTorchLegacy, readTorchZip } from './torch';

export type { Reader, ScanContext } from './reader';
export { isModelFileName } from './sniff';
export { classifyImport } from './verdicts';

export interface ScanOptions {
  /** Bytes the scan may read or inflate (default 256 MiB; a checkpoint's pickle is far smaller). */
  maxBytes?: number;
  /** Wall-clock budget per file (default 5 s). */
  timeBudgetMs?: number;
  /** Work units (pickle opcodes, zip entries) per file (default 50 million). */
  maxOps?: number;
  now?: () => number;
}

/** One reader per format; formats without one are reported as not scanned. */
export const READERS: Partial<Record<ModelFormat, Reader>> = {
  pickle: readPickleFile,
  joblib: readJoblib,
  'pytorch-zip': readTorchZip,
  torchscript: readTorchZip,
  'pytorch-legacy': readTorchLegacy,
  numpy: readNpy,
  'numpy-npz': readNpz,
  zip: readZipArchive,
  keras: readKerasZip,
  safetensors: adapt(readSafetensors),
  gguf: adapt(readGguf),
  onnx: adapt(readOnnx),
  hdf5: adapt(readHdf5),
};

/**
 * The metadata-format readers (formatReader.ts) take a budget of bytes and a deadline: give them
 * what is left of this file's budget, and charge what they read back to it.
 */
function adapt(reader: FormatReader): Reader {
  return async (src, ctx) => {
    const b = ctx.budget;
    const scan = await reader(src, { name: ctx.name, now: b.clock, budget: { maxBytes: b.bytesLeft(), deadline: b.deadlineAt } });
    b.charge(scan.bytesRead);
    return scan;
  };
}

/** Formats whose loading unpickles (so "prefer safetensors" applies even when clean). */
const PICKLE_FORMATS: ReadonlySet<ModelFormat> = new Set(['pickle', 'joblib', 'pytorch-zip', 'pytorch-legacy', 'torchscript']);
const MAX_DEPTH = 4;
const MAX_IMPORTS = 5000;
const MAX_IMPORT_ISSUES = 20;

export async function scanModelFile(src: ByteSource, name: string, opts: ScanOptions = {}): Promise<ModelFileScan> {
  const now = opts.now ?? Date.now;
  const budget = new ScanBudget(opts.maxBytes ?? 256 * 1024 * 1024, opts.maxOps ?? 50_000_000, now() + (opts.timeBudgetMs ?? 5000), now);
  const scan = await scanAt(src, context(name, budget, 0));
  return finish(scan, src, budget);
}

/** Scan a file on disk (opened, read in parts, closed). */
export async function scanModelPath(absPath: string, opts: ScanOptions = {}): Promise<ModelFileScan> {
  let src: Awaited<ReturnType<typeof fileSource>>;
  try {
    src = await fileSource(absPath);
  } catch (e) {
    return { ...emptyScan('unknown', 0), complete: false, issues: [{ kind: 'malformed', severity: 'warning', message: `The file could not be opened: ${message(e)}.` }] };
  }
  try {
    return await scanModelFile(src, absPath, opts);
  } finally {
    await src.close().catch(() => undefined);
  }
}

function context(name: string, budget: ScanBudget, depth: number): ScanContext {
  return {
    name,
    budget,
    depth,
    scanNested: async (child, where) => {
      if (depth + 1 > MAX_DEPTH) {
        return { ...emptyScan('unknown', child.size), complete: false, issues: [{ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: files nested more than ${MAX_DEPTH} levels deep are not opened.` }] };
      }
      return scanAt(child, context(joinWhere(name, where) ?? name, budget, depth + 1));
    },
  };
}

async function scanAt(src: ByteSource, ctx: ScanContext): Promise<ModelFileScan> {
  let format: ModelFormat = 'unknown';
  try {
    const sniffed = await sniffFormat(src, ctx);
    format = sniffed.format;
    if (sniffed.zipError) {
      return { ...emptyScan(format, src.size), complete: false, issues: [{ kind: 'malformed', severity: 'warning', message: `Malformed zip archive: ${sniffed.zipError}.` }] };
    }
    if (sniffed.unsupported) {
      return { ...emptyScan(format, src.size), complete: false, issues: [{ kind: 'not-fully-scanned', severity: 'warning', message: `Not scanned: ${sniffed.unsupported}, whose contents this scanner does not open; a loader may unpickle them.` }] };
    }
    if (format === 'unknown') return emptyScan(format, src.size);
    const reader = READERS[format];
    if (!reader) {
      return { ...emptyScan(format, src.size), complete: false, issues: [{ kind: 'not-fully-scanned', severity: 'warning', message: `Not scanned: no reader for the ${format} format yet.` }] };
    }
    return await reader(src, ctx);
  } catch (e) {
    return { ...emptyScan(format, src.size), complete: false, issues: [{ kind: 'malformed', severity: 'warning', message: `The scanner could not read this file: ${message(e)}.` }] };
  }
}

function finish(scan: ModelFileScan, src: ByteSource, budget: ScanBudget): ModelFileScan {
  const out: ModelFileScan = { ...scan, size: src.size, bytesRead: src.bytesRead, imports: rankImports(scan.imports), issues: [...scan.issues] };
  const limit = budget.limit;
  if (limit && !out.issues.some((i) => i.kind === 'not-fully-scanned')) {
    out.complete = false;
    out.issues.push(budgetIssue(limit, budget));
  }
  out.issues.push(...importIssues(out.imports));
  const denied = out.imports.some((i) => i.verdict !== 'allowed');
  const pickleBased = PICKLE_FORMATS.has(out.format) || out.imports.length > 0;
  if (pickleBased && !denied && !out.issues.some((i) => i.kind === 'pickle-format')) {
    out.issues.push({ kind: 'pickle-format', severity: 'info', message: 'Pickle-based format: loading it can run code, though every import found is on the allow list. Prefer safetensors.' });
  }
  if (!out.complete && !out.issues.some((i) => i.kind === 'not-fully-scanned' || i.kind === 'malformed' || i.kind === 'truncated')) {
    out.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message: 'Not fully scanned: part of the file was not read; what was not read may hide code.' });
  }
  out.issues = dedupeIssues(out.issues).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return out;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;
const VERDICT_RANK = { denied: 0, unknown: 1, allowed: 2 } as const;

function rankImports(imports: PickleImport[]): PickleImport[] {
  const sorted = [...imports].sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict]);
  return sorted.slice(0, MAX_IMPORTS);
}

/** One issue per distinct denied or unknown import (capped), naming what it can do. */
function importIssues(imports: PickleImport[]): ModelIssue[] {
  const out: ModelIssue[] = [];
  for (const verdict of ['denied', 'unknown'] as const) {
    const byName = new Map<string, PickleImport>();
    for (const imp of imports) if (imp.verdict === verdict && !byName.has(`${imp.module}.${imp.name}`)) byName.set(`${imp.module}.${imp.name}`, imp);
    let n = 0;
    for (const [full, imp] of byName) {
      if (++n > MAX_IMPORT_ISSUES) {
        out.push({ kind: verdict === 'denied' ? 'denied-import' : 'unknown-import', severity: verdict === 'denied' ? 'error' : 'warning', message: `...and ${byName.size - MAX_IMPORT_ISSUES} more ${verdict} imports.` });
        break;
      }
      const issue: ModelIssue =
        verdict === 'denied'
          ? { kind: 'denied-import', severity: 'error', message: `Imports ${full}${imp.reason ? ` (${imp.reason})` : ''}: loading this file runs it.` }
          : { kind: 'unknown-import', severity: 'warning', message: `Imports ${full}, which is not on the allow list: loading this file imports and may run it.` };
      if (imp.where) issue.where = imp.where;
      out.push(issue);
    }
  }
  return out;
}

function dedupeIssues(issues: ModelIssue[]): ModelIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.kind}\0${i.message}\0${i.where ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
