// The shape every non-pickle format reader has, and the one wrapper that keeps a reader's promise:
// it never throws, never reads past its byte budget or deadline, and always says why it stopped.
// A reader's body throws `Malformed`, `Truncated` or `OverBudget`; `runReader` turns each into
// the matching issue with `complete: false`, and any other exception into `malformed`.
import type { ModelFileScan, ModelFormat, ModelIssue } from '../domain/models';
import type { ByteSource } from './byteSource';

export interface ScanContext {
  budget: { maxBytes: number; deadline: number };
  now: () => number;
  /** File name (or zip member) for messages. */
  name: string;
}

export type Reader = (src: ByteSource, ctx: ScanContext) => Promise<ModelFileScan>;

/** The file contradicts its own format (bad magic, impossible offsets, invalid JSON, ...). */
export class Malformed extends Error {}

/** The file ends before the structure it declares. */
export class Truncated extends Error {}

/** The byte budget or the deadline ran out before the reader reached the end of the metadata. */
export class OverBudget extends Error {}

/** Mutable result a reader body fills in; `runReader` finalises it. */
export interface ScanDraft {
  issues: ModelIssue[];
  details: Record<string, string>;
  /** Set false when the body stopped short on purpose (a cap) and already added its note. */
  complete: boolean;
}

/** A ByteSource that also says how many bytes its budget has left. */
export interface BudgetedSource extends ByteSource {
  readonly remaining: number;
}

/**
 * A ByteSource that refuses reads past the scan's byte budget or deadline (throws `OverBudget`),
 * so no reader can overspend whatever its input claims. Counts only bytes read through it.
 */
export function budgetedSource(src: ByteSource, ctx: ScanContext): BudgetedSource {
  const base = src.bytesRead;
  return {
    size: src.size,
    get bytesRead() {
      return src.bytesRead - base;
    },
    get remaining() {
      return Math.max(0, ctx.budget.maxBytes - (src.bytesRead - base));
    },
    async read(offset, length) {
      if (ctx.now() > ctx.budget.deadline) throw new OverBudget('the time budget ran out');
      const start = Math.max(0, Math.min(offset, src.size));
      const n = Math.max(0, Math.min(length, src.size - start));
      if (src.bytesRead - base + n > ctx.budget.maxBytes) {
        throw new OverBudget(`reading ${n} more bytes would pass the ${ctx.budget.maxBytes}-byte budget`);
      }
      return src.read(start, n);
    },
  };
}

/** Reads exactly `length` bytes at `offset`, or throws `Truncated`. */
export async function readExact(src: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (offset + length > src.size) throw new Truncated(`the file ends before ${what}`);
  const b = await src.read(offset, length);
  if (b.length < length) throw new Truncated(`the file ends before ${what}`);
  return b;
}

/** Runs a reader body and turns every way it can stop into a `ModelFileScan`; never throws. */
export async function runReader(
  format: ModelFormat,
  src: ByteSource,
  ctx: ScanContext,
  body: (src: BudgetedSource, draft: ScanDraft) => Promise<void>,
): Promise<ModelFileScan> {
  const bounded = budgetedSource(src, ctx);
  const draft: ScanDraft = { issues: [], details: {}, complete: true };
  try {
    await body(bounded, draft);
  } catch (e) {
    draft.complete = false;
    draft.issues.push(issueFor(e, format));
  }
  const scan: ModelFileScan = {
    format,
    size: src.size,
    bytesRead: bounded.bytesRead,
    complete: draft.complete,
    imports: [],
    issues: draft.issues,
  };
  if (Object.keys(draft.details).length > 0) scan.details = draft.details;
  return scan;
}

function issueFor(e: unknown, format: ModelFormat): ModelIssue {
  const why = e instanceof Error ? e.message : String(e);
  if (e instanceof OverBudget) {
    return { kind: 'not-fully-scanned', severity: 'warning', message: `Scan of this ${format} file stopped early: ${why}.` };
  }
  if (e instanceof Truncated) {
    return { kind: 'truncated', severity: 'warning', message: `This ${format} file is truncated: ${why}.` };
  }
  if (typeof (e as { syscall?: unknown } | null)?.syscall === 'string') {
    // An I/O failure (EIO, EACCES) says nothing about the format; say what happened.
    return { kind: 'malformed', severity: 'warning', message: `This ${format} file could not be read: ${why}.` };
  }
  // Malformed, and anything unexpected (a RangeError on hostile offsets, a JSON SyntaxError).
  return { kind: 'malformed', severity: 'warning', message: `This ${format} file is malformed: ${why}.` };
}

/** Adds a "stopped at a cap" note once and marks the scan incomplete. */
export function noteCap(draft: ScanDraft, message: string, where?: string): void {
  draft.complete = false;
  if (draft.issues.some((i) => i.kind === 'not-fully-scanned' && i.message === message)) return;
  draft.issues.push({ kind: 'not-fully-scanned', severity: 'warning', message, ...(where ? { where } : {}) });
}
