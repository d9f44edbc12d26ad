// Model files as the engine sees them: scanned statically once per (path, size, modified time),
// never outside the roots, a few at a time. The CLI scans the model files its walk finds; the
// server scans the workspace's in the background; both join the results with the loading calls
// whose literal paths resolve to a scanned file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelFileScan } from '../domain';
import { scanModelPath, type ScanOptions } from '../models';
import { Confinement, isWithin } from './confine';

export interface ModelFiles {
  /** The scan of the model file at an absolute path; undefined when there is no such file, it is
   * outside the roots, or its content is no model format. */
  scan(absPath: string): Promise<ModelFileScan | undefined>;
  /** A scan already done (for hovers: no I/O). */
  peek(absPath: string): ModelFileScan | undefined;
}

interface Entry {
  key: string;
  scan: Promise<ModelFileScan | undefined>;
  done?: ModelFileScan;
}

/** Files larger than this are still scanned (the scan reads only their small parts). */
const MAX_CACHED = 5000;

export class ModelFileCache implements ModelFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly confinement: Confinement;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    roots: readonly string[],
    private readonly opts: ScanOptions & { concurrency?: number } = {},
  ) {
    this.confinement = new Confinement({ roots: [...roots], label: 'the workspace' });
  }

  peek(absPath: string): ModelFileScan | undefined {
    return this.entries.get(path.resolve(absPath))?.done;
  }

  async scan(absPath: string): Promise<ModelFileScan | undefined> {
    const abs = path.resolve(absPath);
    if (!(await this.confinement.check(abs)).ok) return undefined;
    let st: import('node:fs').Stats;
    try {
      st = await fs.stat(abs);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = this.entries.get(abs);
    if (hit && hit.key === key) return hit.scan;
    const entry: Entry = { key, scan: this.limited(() => scanModelPath(abs, this.opts)).then((s) => (s.format === 'unknown' && s.issues.length === 0 ? undefined : s)) };
    void entry.scan.then((s) => (entry.done = s), () => undefined);
    this.entries.delete(abs);
    this.entries.set(abs, entry);
    if (this.entries.size > MAX_CACHED) this.entries.delete(this.entries.keys().next().value!);
    return entry.scan;
  }

  /** Forget a file (changed or deleted on disk). */
  forget(absPath: string): void {
    this.entries.delete(path.resolve(absPath));
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const max = this.opts.concurrency ?? 4;
    if (this.running >= max) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** Where a literal path in a loading call may point: relative to the file, to its project root,
 * and to the workspace root (Python resolves relative paths against the working directory, which
 * is usually one of these). Absolute paths stay as they are; everything stays inside `roots`. */
export function candidatePaths(literal: string, base: 'file' | 'cwd', fileDir: string, projectRoot: string | undefined, roots: readonly string[]): string[] {
  const p = literal.replace(/^file:\/\//, '');
  if (path.isAbsolute(p)) return [path.normalize(p)];
  const bases = base === 'file' ? [fileDir] : [fileDir, projectRoot, ...roots.filter((r) => isWithin(r, fileDir))];
  const out: string[] = [];
  for (const b of bases) {
    if (!b) continue;
    const abs = path.resolve(b, p);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}
