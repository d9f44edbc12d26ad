// Reads and ages the on-disk cache that DiskCache writes (one JSON file per key), so protocol tests
// can prove what a run stored: nothing with a fault marker, and only values in the shapes the
// sources store. No test-framework imports here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAULT_MARKER } from './faultBodies';
import { isVulnRefs, vulnProblem } from '../../server/src/sources/osvShapes';
import { isStoredMetadata } from '../../server/src/sources/registryShapes';
import { isStoredModel, isStoredScan } from '../../server/src/sources/hubShapes';

export interface CacheFile {
  file: string;
  key: string;
  storedAt: number;
  value: unknown;
  raw: string;
}

function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.name.endsWith('.json')) yield p;
  }
}

export function readCache(dir: string): CacheFile[] {
  const out: CacheFile[] = [];
  for (const file of files(dir)) {
    const raw = fs.readFileSync(file, 'utf8');
    const parsed = JSON.parse(raw) as { key: string; storedAt: number; value: unknown };
    out.push({ file, key: parsed.key, storedAt: parsed.storedAt, value: parsed.value, raw });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Moves every entry's storedAt back by `ms`, as if it had been written that long ago. */
export function ageCache(dir: string, ms: number): void {
  for (const e of readCache(dir)) {
    const data = JSON.parse(e.raw) as { storedAt: number };
    data.storedAt -= ms;
    fs.writeFileSync(e.file, JSON.stringify(data));
  }
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** What is wrong with an entry, or undefined when it is a value the sources could have stored. */
export function cacheEntryProblem(e: CacheFile): string | undefined {
  if (e.raw.includes(FAULT_MARKER)) return `${e.key}: holds data from a faulty answer`;
  const v = e.value as { kind?: string; value?: unknown };
  const stored = (check: (x: unknown) => boolean): string | undefined => {
    if (v?.kind === 'notFound') return undefined;
    return v?.kind === 'ok' && check(v.value) ? undefined : `${e.key}: not a stored answer`;
  };
  if (e.key.startsWith('osv:q:')) return isVulnRefs(e.value) ? undefined : `${e.key}: not a list of advisory refs`;
  if (e.key.startsWith('osv:vuln:')) {
    const p = vulnProblem(e.value, e.key.slice('osv:vuln:'.length));
    return p ? `${e.key}: ${p}` : undefined;
  }
  if (e.key.startsWith('pypi:') || e.key.startsWith('npm:')) return stored(isStoredMetadata);
  if (e.key.startsWith('hf:model:')) return stored(isStoredModel);
  if (e.key.startsWith('hf:scan:')) return stored(isStoredScan);
  return `${e.key}: unexpected key`;
}
