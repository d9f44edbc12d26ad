// The offline advisory source: OSV exports (`all.zip`, folders of JSON records, single records)
// loaded into an in-memory index keyed by ecosystem and normalised package name, answering the
// same queries as the online OSV client without any network.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Ecosystem } from '../domain';
import { compileMatcher, probeAffects, probeVersion, type PackageMatcher } from '../versions/affected';
import { normalizePackageName } from '../versions/index';
import { candidateVersionsOffline } from '../versions/safeVersion';
import type { AdvisoryAnswer, AdvisoryProvider, Freshness, OsvRecord, PackageQuery } from '../domain';

const ECOSYSTEMS: readonly Ecosystem[] = ['PyPI', 'npm'];
/** Per-file messages beyond this are summarised, so a corrupt export cannot flood the UI. */
const MAX_ERROR_LINES = 20;

function isRecord(value: unknown): value is OsvRecord {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const r = value as Partial<OsvRecord>;
  return typeof r.id === 'string' && r.id !== '' && (r.affected === undefined || Array.isArray(r.affected));
}

class Loader {
  readonly records = new Map<string, OsvRecord>();
  readonly errors: string[] = [];
  private malformed = 0;
  oldestMtime = Infinity;

  problem(message: string): void {
    this.malformed++;
    if (this.errors.length < MAX_ERROR_LINES) this.errors.push(message);
  }

  addText(text: string, where: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.problem(`${where}: invalid JSON (${(e as Error).message})`);
      return;
    }
    // OSV's API shape ({"vulns": [...]}) and plain arrays are accepted too.
    const list = Array.isArray(value) ? value : isRecord(value) ? [value] : (value as { vulns?: unknown })?.vulns;
    if (!Array.isArray(list)) {
      this.problem(`${where}: not an OSV record (no "id")`);
      return;
    }
    for (const item of list) {
      if (!isRecord(item)) {
        this.problem(`${where}: not an OSV record (no "id")`);
        continue;
      }
      const prev = this.records.get(item.id);
      // The same id in two sources: keep the newer revision.
      if (!prev || String(item.modified ?? '') > String(prev.modified ?? '')) this.records.set(item.id, item);
    }
  }

  addZip(data: Uint8Array, where: string): void {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(data, { filter: (f) => f.name.toLowerCase().endsWith('.json') });
    } catch (e) {
      this.problem(`${where}: not a readable zip (${(e as Error).message})`);
      return;
    }
    const decoder = new TextDecoder();
    for (const [name, bytes] of Object.entries(files)) this.addText(decoder.decode(bytes), `${where}!${name}`);
  }

  async addPath(path: string, top: boolean): Promise<void> {
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      this.errors.push(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
      for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const lower = ent.name.toLowerCase();
        if (ent.isDirectory() || lower.endsWith('.json') || lower.endsWith('.zip')) await this.addPath(join(path, ent.name), false);
      }
      return;
    }
    const lower = path.toLowerCase();
    if (!top && !lower.endsWith('.json') && !lower.endsWith('.zip')) return;
    this.oldestMtime = Math.min(this.oldestMtime, info.mtimeMs);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (e) {
      this.errors.push(`${path}: cannot read (${(e as Error).message})`);
      return;
    }
    // Zip by magic number, so a renamed export still loads.
    if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) this.addZip(data, path);
    else this.addText(data.toString('utf8'), path);
  }

  summary(): string[] {
    const hidden = this.malformed - Math.min(this.malformed, MAX_ERROR_LINES);
    return hidden > 0 ? [...this.errors, `… and ${hidden} more malformed advisory records`] : this.errors;
  }
}

interface Entry {
  record: OsvRecord;
  /** Compiled on first versioned look-up; null when the record has nothing to match. */
  matcher?: PackageMatcher | null;
}

export class OfflineAdvisoryIndex implements AdvisoryProvider {
  private readonly byPackage = new Map<string, Entry[]>();
  readonly freshness: Freshness;
  /** Loaded, non-withdrawn records. */
  readonly size: number;

  constructor(records: Iterable<OsvRecord>, fetchedAt = Date.now()) {
    let size = 0;
    for (const r of records) {
      if (!isRecord(r) || r.withdrawn) continue;
      size++;
      const keys = new Set<string>();
      for (const a of r.affected ?? []) {
        const eco = a?.package?.ecosystem as Ecosystem;
        if (!ECOSYSTEMS.includes(eco) || typeof a.package?.name !== 'string') continue;
        keys.add(`${eco}:${normalizePackageName(eco, a.package.name)}`);
      }
      for (const k of keys) {
        const list = this.byPackage.get(k);
        if (list) list.push({ record: r });
        else this.byPackage.set(k, [{ record: r }]);
      }
    }
    this.size = size;
    this.freshness = { origin: 'offline-db', stale: false, fetchedAt };
  }

  /** Loads every path (OSV export zip, folder of records, single record); problems are
   * reported in `errors` and never stop the rest from loading. */
  static async load(paths: string[]): Promise<{ index: OfflineAdvisoryIndex; errors: string[] }> {
    const loader = new Loader();
    for (const p of paths) await loader.addPath(p, true);
    const fetchedAt = Number.isFinite(loader.oldestMtime) ? Math.floor(loader.oldestMtime) : Date.now();
    return { index: new OfflineAdvisoryIndex(loader.records.values(), fetchedAt), errors: loader.summary() };
  }

  private entries(ecosystem: Ecosystem, name: string): Entry[] {
    return this.byPackage.get(`${ecosystem}:${normalizePackageName(ecosystem, name)}`) ?? [];
  }

  /** Every record that mentions the package. */
  recordsFor(ecosystem: Ecosystem, name: string): OsvRecord[] {
    return this.entries(ecosystem, name).map((e) => e.record);
  }

  lookup(q: PackageQuery): OsvRecord[] {
    const entries = this.entries(q.ecosystem, q.name);
    if (q.version === undefined || q.version === '') return entries.map((e) => e.record);
    const probe = probeVersion(q.ecosystem, q.version);
    const out: OsvRecord[] = [];
    for (const e of entries) {
      if (e.matcher === undefined) e.matcher = compileMatcher(e.record, q.ecosystem, q.name) ?? null;
      if (e.matcher && probeAffects(e.matcher, probe)) out.push(e.record);
    }
    return out;
  }

  async query(queries: PackageQuery[], signal?: AbortSignal): Promise<AdvisoryAnswer> {
    signal?.throwIfAborted();
    return { results: queries.map((q) => this.lookup(q)), freshness: this.freshness, errors: [] };
  }

  /** Versions the advisory data mentions for the package, ascending. */
  knownVersions(ecosystem: Ecosystem, name: string): string[] {
    return candidateVersionsOffline(this.recordsFor(ecosystem, name), name, ecosystem).map((r) => r.version);
  }
}
