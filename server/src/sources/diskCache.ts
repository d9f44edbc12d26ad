// A small key/value cache that survives restarts: an in-memory map in front of one JSON file per
// key (sha256 of the key) under a folder. Expired entries are still handed back, flagged, so a
// caller can fall back to stale data when the network fails. It never throws: a missing or
// read-only folder simply turns persistence off.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CacheEntry<T> {
  value: T;
  /** ms since epoch. */
  storedAt: number;
  expired: boolean;
}

export interface DiskCacheOptions {
  /** Folder for the files; undefined keeps the cache in memory only. */
  dir?: string;
  ttlMs: number;
  now?: () => number;
  /** Bound on the in-memory layer (least recently used entries are dropped). */
  maxMemoryEntries?: number;
  /** Entries whose JSON is larger than this are not written to disk (a last guard: sources
   * already refuse oversized answers). */
  maxEntryBytes?: number;
}

interface StoredFile {
  v: 1;
  key: string;
  storedAt: number;
  value: unknown;
}

/** How long a miss on disk is believed (another process sharing the folder may write the file). */
const ABSENT_MS = 30_000;

export class DiskCache {
  readonly ttlMs: number;
  private dir: string | undefined;
  private readonly now: () => number;
  private readonly maxMemory: number;
  private readonly maxEntryBytes: number;
  private readonly memory = new Map<string, { value: unknown; storedAt: number }>();
  private readonly pending = new Set<Promise<void>>();
  private readonly madeDirs = new Set<string>();
  /** Keys lately found missing on disk, with when: without a network (the offline setting) every
   * uncached package is asked for again on every keystroke, and each miss cost a file system call
   * and a thrown error (~25 ms a keystroke for a 300-line requirements file). */
  private readonly absent = new Map<string, number>();

  constructor(opts: DiskCacheOptions) {
    this.ttlMs = opts.ttlMs;
    this.now = opts.now ?? Date.now;
    this.maxMemory = opts.maxMemoryEntries ?? 10_000;
    this.maxEntryBytes = opts.maxEntryBytes ?? 16 * 1024 * 1024;
    this.dir = opts.dir;
  }

  /** True while entries are written to disk (false after the folder proved unusable). */
  get persistent(): boolean {
    return this.dir !== undefined;
  }

  /** The entry, expired or not, or undefined on a miss. `ttlMs` overrides the default TTL. */
  get<T>(key: string, ttlMs: number = this.ttlMs): CacheEntry<T> | undefined {
    let hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key); // re-insert to keep LRU order
      this.memory.set(key, hit);
    } else {
      const missedAt = this.absent.get(key);
      if (missedAt !== undefined && this.now() - missedAt < ABSENT_MS) return undefined;
      hit = this.readFile(key);
      if (!hit) {
        if (this.dir) {
          if (this.absent.size >= this.maxMemory) this.absent.clear();
          this.absent.set(key, this.now());
        }
        return undefined;
      }
      this.absent.delete(key);
      this.remember(key, hit);
    }
    return { value: hit.value as T, storedAt: hit.storedAt, expired: this.now() - hit.storedAt > ttlMs };
  }

  set(key: string, value: unknown): void {
    const storedAt = this.now();
    this.absent.delete(key);
    this.remember(key, { value, storedAt });
    if (!this.dir) return;
    const p = this.writeFile(key, { v: 1, key, storedAt, value });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Wait for background writes (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Drop the in-memory layer (the disk copy stays), as a restart would. */
  clearMemory(): void {
    this.memory.clear();
    this.absent.clear();
  }

  private remember(key: string, e: { value: unknown; storedAt: number }): void {
    this.memory.delete(key);
    this.memory.set(key, e);
    if (this.memory.size > this.maxMemory) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
  }

  private fileFor(key: string, dir: string): string {
    const h = createHash('sha256').update(key).digest('hex');
    return path.join(dir, h.slice(0, 2), `${h}.json`);
  }

  private readFile(key: string): { value: unknown; storedAt: number } | undefined {
    if (!this.dir) return undefined;
    try {
      const parsed = JSON.parse(fs.readFileSync(this.fileFor(key, this.dir), 'utf8')) as Partial<StoredFile>;
      // A hash collision or a truncated/foreign file is a miss, never an answer for the wrong key.
      if (parsed?.v !== 1 || parsed.key !== key || typeof parsed.storedAt !== 'number' || !('value' in parsed)) return undefined;
      return { value: parsed.value, storedAt: parsed.storedAt };
    } catch {
      return undefined;
    }
  }

  private async writeFile(key: string, data: StoredFile): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    const file = this.fileFor(key, dir);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const parent = path.dirname(file);
    try {
      if (!this.madeDirs.has(parent)) {
        await fs.promises.mkdir(parent, { recursive: true });
        this.madeDirs.add(parent);
      }
      const text = JSON.stringify(data);
      if (text.length > this.maxEntryBytes) return;
      await fs.promises.writeFile(tmp, text);
      await fs.promises.rename(tmp, file); // atomic: readers see the old or the new file, never half
    } catch (e) {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') this.madeDirs.delete(parent); // the folder was removed under us
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOSPC') this.dir = undefined;
    }
  }
}
