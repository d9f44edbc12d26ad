// A small key/value cache that survives restarts: an in-memory map in front of one JSON file per
// key (sha256 of the key) under a folder. Expired entries are still handed back, flagged, so a
// caller can fall back to stale data when the network fails. It never throws: a missing or
// read-only folder simply turns persistence off. Writes are queued and done in small synchronous
// batches on later turns of the event loop: a cold scan stores a few thousand entries, and the
// promise-based file API cost ~0.3 ms of main-thread CPU per file (mkdir, open, write, close,
// rename) where the synchronous calls cost a fraction of that; a batch is small enough that the
// server keeps answering between them.
import { createHash } from 'node:crypto';
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
/** Files written per turn of the event loop (~0.05-0.1 ms each). */
const WRITE_BATCH = 64;
let tmpCounter = 0;

export class DiskCache {
  readonly ttlMs: number;
  private dir: string | undefined;
  private readonly now: () => number;
  private readonly maxMemory: number;
  private readonly maxEntryBytes: number;
  private readonly memory = new Map<string, { value: unknown; storedAt: number }>();
  private readonly queue: [string, StoredFile][] = [];
  private draining: Promise<void> | undefined;
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
    this.queue.push([key, { v: 1, key, storedAt, value }]);
    this.drainSoon();
  }

  /** Wait for background writes (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drainSoon(): void {
    if (this.draining) return;
    this.draining = new Promise<void>((resolve) => {
      const step = (): void => {
        for (const [key, data] of this.queue.splice(0, WRITE_BATCH)) this.writeFile(key, data);
        if (!this.dir) this.queue.length = 0;
        if (this.queue.length > 0) {
          setImmediate(step);
          return;
        }
        this.draining = undefined;
        resolve();
      };
      setImmediate(step);
    });
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

  private writeFile(key: string, data: StoredFile): void {
    const dir = this.dir;
    if (!dir) return;
    const file = this.fileFor(key, dir);
    const tmp = `${file}.${process.pid}.${(tmpCounter++).toString(36)}.tmp`;
    const parent = path.dirname(file);
    try {
      if (!this.madeDirs.has(parent)) {
        fs.mkdirSync(parent, { recursive: true });
        this.madeDirs.add(parent);
      }
      const text = JSON.stringify(data);
      if (text.length > this.maxEntryBytes) return;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file); // atomic: readers see the old or the new file, never half
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing to remove
      }
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') this.madeDirs.delete(parent); // the folder was removed under us
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOSPC') this.dir = undefined;
    }
  }
}
