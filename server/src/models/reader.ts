// The shape every model-format reader shares: a reader takes a ByteSource and a ScanContext
// (budget, nesting depth, a way to scan embedded files) and returns a ModelFileScan. The
// registry in index.ts maps each sniffed ModelFormat to one Reader.
import type { ModelFileScan, ModelFormat, ModelIssue } from '../domain/models';
import type { ByteSource } from './byteSource';

/** Why a budget stopped a scan. */
export type BudgetLimit = 'bytes' | 'time' | 'operations';

/**
 * One budget per top-level file, shared by every reader and nested scan of that file, so a zip
 * of zips cannot multiply the cost. Readers `charge` the bytes they read or inflate and `tick`
 * their work units (pickle opcodes, zip entries, JSON tokens); both are cheap counters, and the
 * clock is only read every few thousand ticks.
 */
export class ScanBudget {
  private bytes = 0;
  private ops = 0;
  private nextClockCheck = 0;
  private stopped: BudgetLimit | undefined;

  constructor(
    readonly maxBytes: number,
    readonly maxOps: number,
    private readonly deadline: number,
    private readonly now: () => number,
  ) {}

  /** When the time budget ends, on the budget's own clock. */
  get deadlineAt(): number {
    return this.deadline;
  }

  /** The budget's clock (injected, so tests need not wait). */
  get clock(): () => number {
    return this.now;
  }

  /** Bytes charged so far (reads and inflated output). */
  get bytesCharged(): number {
    return this.bytes;
  }

  charge(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes) this.stopped ??= 'bytes';
  }

  /** Count `n` units of work; returns false once any limit is reached. */
  tick(n = 1): boolean {
    this.ops += n;
    if (this.ops > this.maxOps) this.stopped ??= 'operations';
    if (this.ops >= this.nextClockCheck) {
      this.nextClockCheck = this.ops + 4096;
      if (this.now() > this.deadline) this.stopped ??= 'time';
    }
    return this.stopped === undefined;
  }

  /** The limit reached, if any (checks the clock). */
  exhausted(): BudgetLimit | undefined {
    if (this.stopped === undefined && this.now() > this.deadline) this.stopped = 'time';
    return this.stopped;
  }

  /** The limit that stopped work, without consulting the clock. */
  get limit(): BudgetLimit | undefined {
    return this.stopped;
  }

  /** Bytes still allowed before the byte limit. */
  bytesLeft(): number {
    return Math.max(0, this.maxBytes - this.bytes);
  }
}

export interface ScanContext {
  /** Display name of the file being scanned (for messages). */
  readonly name: string;
  /** Shared by the whole top-level file, nested members included. */
  readonly budget: ScanBudget;
  /** 0 for the file itself, +1 per level of embedding (zip in zip, pickle in pickle). */
  readonly depth: number;
  /**
   * Scan an embedded file (a zip member, a nested payload) through the reader registry one level
   * deeper. Its imports and issues come back with `where` prefixed by `where`; the caller merges.
   */
  scanNested(src: ByteSource, where: string): Promise<ModelFileScan>;
}

export type Reader = (src: ByteSource, ctx: ScanContext) => Promise<ModelFileScan>;

export function emptyScan(format: ModelFormat, size: number): ModelFileScan {
  return { format, size, bytesRead: 0, complete: true, imports: [], issues: [] };
}

export function budgetIssue(limit: BudgetLimit, budget: ScanBudget, where?: string): ModelIssue {
  const why =
    limit === 'bytes'
      ? `the read budget of ${formatBytes(budget.maxBytes)} was used up`
      : limit === 'time'
        ? 'the time budget ran out'
        : `the budget of ${budget.maxOps.toLocaleString('en-US')} operations was used up`;
  return withWhere({ kind: 'not-fully-scanned', severity: 'warning', message: `Not fully scanned: ${why}; what was not read may hide code.` }, where);
}

export function withWhere(issue: ModelIssue, where: string | undefined): ModelIssue {
  return where ? { ...issue, where } : issue;
}

/** `a!/b`: a path inside an embedded file, Java-jar style. */
export function joinWhere(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  return `${outer}!/${inner}`;
}

/** Merge a nested scan into `into`, prefixing locations with `where`. */
export function mergeNested(into: ModelFileScan, nested: ModelFileScan, where: string): void {
  for (const imp of nested.imports) into.imports.push({ ...imp, where: joinWhere(where, imp.where) ?? where });
  for (const issue of nested.issues) into.issues.push({ ...issue, where: joinWhere(where, issue.where) ?? where });
  if (!nested.complete) into.complete = false;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
