// Reads pnpm-lock.yaml: the `packages` map of v5/v6 (`/name/1.2.3`, `/name@1.2.3(peer@1)`) and v9
// (`name@1.2.3`, dependency edges under `snapshots`), each package with its exact version.

import { isMap, isScalar, parseDocument, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { exactPin } from '../versions/semver';
import type { NpmLockEntry } from './packageLock';

/** Name and version of a pnpm package key; undefined for git/tarball/path keys. */
export function parsePnpmKey(key: string): { name: string; version: string; nameStart: number } | undefined {
  const lead = key.startsWith('/') ? 1 : 0;
  // Peer suffixes: `(react@18.2.0)` in v6+, `_react@18.2.0` after the version in v5.
  const s = key.slice(lead).replace(/\(.*$/, '');
  const v5 = /^((?:@[^/@]+\/)?[^/@]+)\/(\d[^/]*)$/.exec(s);
  let name: string;
  let version: string;
  if (v5) {
    name = v5[1]!;
    version = v5[2]!.replace(/_.*$/, '');
  } else {
    const at = s.lastIndexOf('@');
    if (at <= 0) return undefined;
    name = s.slice(0, at);
    version = s.slice(at + 1);
    // Non-default registries are written `registry.example.com/name@1.0.0` in v6.
    if (/^[^@][^/]*\.[^/]*\//.test(name)) return undefined;
  }
  const pinned = exactPin(version);
  if (!pinned || !/^(?:@[^/@\s]+\/)?[^/@\s]+$/.test(name)) return undefined;
  return { name, version: pinned, nameStart: lead };
}

/** Offset of the scalar's first value character when its source text equals its value. */
function valueStart(text: string, s: Scalar): number | undefined {
  if (!s.range || typeof s.value !== 'string') return undefined;
  const [a, b] = s.range;
  if (s.type === 'PLAIN' && text.slice(a, b) === s.value) return a;
  if ((s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') && text.slice(a + 1, b - 1) === s.value) return a + 1;
  return undefined;
}

function pairs(node: unknown): Pair[] {
  return isMap(node) ? (node as YAMLMap).items : [];
}

function keyText(p: Pair): string | undefined {
  return isScalar(p.key) && (typeof p.key.value === 'string' || typeof p.key.value === 'number') ? String(p.key.value) : undefined;
}

function depNames(body: unknown): string[] {
  const out: string[] = [];
  for (const k of ['dependencies', 'optionalDependencies']) {
    for (const p of pairs(isMap(body) ? body.get(k, true) : undefined)) {
      const name = keyText(p);
      const value = isScalar(p.value) ? String(p.value.value) : '';
      // An alias edge is written `alias: real@1.2.3` (v9) or `/real@1.2.3` (v6).
      const real = parsePnpmKey(value);
      if (name) out.push(real && !/^\d/.test(value) ? real.name : name);
    }
  }
  return out;
}

interface Read {
  deps: Dependency[];
  entries: NpmLockEntry[];
}

function read(text: string, result: ManifestParseResult): Read {
  const out: Read = { deps: [], entries: [] };
  const doc = parseDocument(text, { uniqueKeys: false });
  for (const e of doc.errors) {
    const start = Math.min(e.pos[0], text.length);
    result.problems.push({ message: `Invalid YAML: ${e.message.split('\n')[0]}`, range: { start, end: Math.max(start, Math.min(e.pos[1], text.length)) }, severity: 'error' });
  }
  if (!isMap(doc.contents)) {
    if (doc.contents !== null && doc.errors.length === 0) result.problems.push({ message: 'Expected a mapping with `packages:`', range: { start: 0, end: 0 }, severity: 'error' });
    return out;
  }
  const snapshots = doc.contents.get('snapshots', true);
  const edges = new Map<string, string[]>();
  for (const p of pairs(snapshots)) {
    const k = keyText(p);
    const parsed = k ? parsePnpmKey(k) : undefined;
    if (!parsed) continue;
    const id = `${parsed.name}@${parsed.version}`;
    edges.set(id, [...(edges.get(id) ?? []), ...depNames(p.value)]);
  }
  for (const p of pairs(doc.contents.get('packages', true))) {
    const k = keyText(p);
    const parsed = k ? parsePnpmKey(k) : undefined;
    if (!parsed || !isScalar(p.key)) continue;
    const start = valueStart(text, p.key);
    const keyRange = p.key.range ? { start: p.key.range[0], end: p.key.range[1] } : { start: 0, end: 0 };
    const nameRange: OffsetRange = start !== undefined ? { start: start + parsed.nameStart, end: start + parsed.nameStart + parsed.name.length } : keyRange;
    const body = p.value;
    const dev = isMap(body) && body.get('dev') === true;
    const optional = isMap(body) && body.get('optional') === true;
    const end = isMap(body) && body.range ? body.range[1] : keyRange.end;
    out.deps.push({
      ecosystem: 'npm',
      name: parsed.name,
      rawName: parsed.name,
      specifier: parsed.version,
      pinned: parsed.version,
      extras: [],
      format: 'pnpm-lock.yaml',
      group: dev ? 'dev' : optional ? 'optional' : 'dependencies',
      range: { start: keyRange.start, end: Math.max(keyRange.end, end) },
      nameRange,
      editStyle: 'none',
    });
    const id = `${parsed.name}@${parsed.version}`;
    out.entries.push({ name: parsed.name, version: parsed.version, deps: [...depNames(body), ...(edges.get(id) ?? [])] });
  }
  return out;
}

export function parsePnpmLock(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'pnpm-lock.yaml', dependencies: [], includes: [], indexUrls: [], problems: [] };
  result.dependencies = read(text, result).deps;
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function pnpmLockEntries(text: string): NpmLockEntry[] {
  return read(text, { format: 'pnpm-lock.yaml', dependencies: [], includes: [], indexUrls: [], problems: [] }).entries;
}
