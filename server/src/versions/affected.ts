// Decides whether an OSV record affects one package version, following the OSV schema's
// evaluation algorithm (sorted events; introduced / fixed / last_affected / limit) plus the
// explicit `versions` list. Records are compiled once per package so repeated look-ups (the
// offline index, safe-version search over a release list) only compare versions.
import type { Ecosystem } from '../domain';
import type { OsvAffected, OsvRecord } from '../domain';
import { canonicalVersion } from './pep440';
import { normalizePackageName, versionsFor } from './index';
import type { VersionKey } from './scheme';

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

interface RangeEvent {
  kind: EventKind;
  /** undefined for `introduced: "0"`: before every version. */
  version?: string;
  key?: VersionKey;
}

/** One record's facts about one package, ready for fast matching. */
export interface PackageMatcher {
  ecosystem: Ecosystem;
  /** Listed versions, keyed canonically (PEP 440) or by text. */
  listed: Set<string>;
  /** Listed versions as written, for messages. */
  listedText: string[];
  /** Each range's events, sorted. */
  ranges: RangeEvent[][];
  fixed: string[];
}

/** A key equal versions share (`1.0` and `1.0.0` in PEP 440). */
export function versionKey(ecosystem: Ecosystem, version: string): string {
  if (ecosystem === 'PyPI') return canonicalVersion(version) ?? version.trim();
  return versionsFor(ecosystem).publicVersion(version);
}

/** The record's `affected` entries for this package (ecosystem exact, name normalised). */
export function affectedEntries(record: OsvRecord, ecosystem: Ecosystem, name: string): OsvAffected[] {
  const wanted = normalizePackageName(ecosystem, name);
  if (!Array.isArray(record?.affected)) return [];
  return record.affected.filter(
    (a) =>
      a?.package?.ecosystem === ecosystem &&
      typeof a.package.name === 'string' &&
      normalizePackageName(ecosystem, a.package.name) === wanted,
  );
}

function rangeUsable(type: string): boolean {
  // GIT ranges speak in commits; only version-ordered ranges can be evaluated here.
  return type === 'ECOSYSTEM' || type === 'SEMVER';
}

function compileEvents(ecosystem: Ecosystem, events: unknown): RangeEvent[] {
  const scheme = versionsFor(ecosystem);
  const out: RangeEvent[] = [];
  if (!Array.isArray(events)) return out;
  for (const e of events as Record<string, unknown>[]) {
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const v = e?.[kind];
      if (typeof v !== 'string') continue;
      const key = scheme.key(v);
      if (kind === 'introduced' && v === '0') out.push({ kind });
      // An unparseable bound cannot be ordered; dropping it errs towards reporting.
      else if (key) out.push({ kind, version: v, key });
    }
  }
  return out.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) return a.key === b.key ? 0 : a.key === undefined ? -1 : 1;
    return scheme.compareKeys(a.key, b.key);
  });
}

export function compileMatcher(record: OsvRecord, ecosystem: Ecosystem, name: string): PackageMatcher | undefined {
  const entries = affectedEntries(record, ecosystem, name);
  if (entries.length === 0) return undefined;
  const scheme = versionsFor(ecosystem);
  const listed = new Set<string>();
  const listedText: string[] = [];
  const ranges: RangeEvent[][] = [];
  const fixed = new Map<string, string>();
  for (const a of entries) {
    for (const v of Array.isArray(a.versions) ? a.versions : []) {
      if (typeof v !== 'string') continue;
      const k = versionKey(ecosystem, v);
      if (!listed.has(k)) listedText.push(v);
      listed.add(k);
    }
    for (const r of Array.isArray(a.ranges) ? a.ranges : []) {
      if (!r || !rangeUsable(r.type)) continue;
      const events = compileEvents(ecosystem, r.events);
      if (events.length > 0) ranges.push(events);
      for (const e of events) if (e.kind === 'fixed' && e.version) fixed.set(versionKey(ecosystem, e.version), e.version);
    }
  }
  return { ecosystem, listed, listedText, ranges, fixed: scheme.sortVersions([...fixed.values()]) };
}

function inRange(events: RangeEvent[], version: VersionKey, ecosystem: Ecosystem): boolean {
  const cmp = versionsFor(ecosystem).compareKeys;
  let affected = false;
  for (const e of events) {
    if (e.kind === 'introduced') {
      if (e.key === undefined || cmp(version, e.key) >= 0) affected = true;
    } else if (e.key === undefined) {
      continue;
    } else if (e.kind === 'limit') {
      if (cmp(version, e.key) >= 0) return false;
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.key) >= 0) affected = false;
    } else if (cmp(version, e.key) > 0) {
      affected = false;
    }
  }
  return affected;
}

/** A version prepared once for testing against many records. */
export interface VersionProbe {
  ecosystem: Ecosystem;
  keys: string[];
  /** Parsed public version; undefined when invalid (then only listed versions can match). */
  key?: VersionKey;
}

export function probeVersion(ecosystem: Ecosystem, version: string): VersionProbe {
  const scheme = versionsFor(ecosystem);
  const pub = scheme.publicVersion(version);
  const keys = [versionKey(ecosystem, version)];
  if (pub !== version) keys.push(versionKey(ecosystem, pub));
  const key = scheme.key(pub);
  return { ecosystem, keys, ...(key ? { key } : {}) };
}

/** Listed version match, or inside a range. PyPI local builds (`2.0.0+cu118`) count as their
 * public version: they are the same upstream code. */
export function probeAffects(m: PackageMatcher, probe: VersionProbe, opts: { rangesOnly?: boolean } = {}): boolean {
  if (!opts.rangesOnly) for (const k of probe.keys) if (m.listed.has(k)) return true;
  if (probe.key === undefined) return false;
  for (const events of m.ranges) if (inRange(events, probe.key, m.ecosystem)) return true;
  return false;
}

export function matcherAffects(m: PackageMatcher, version: string, opts: { rangesOnly?: boolean } = {}): boolean {
  return probeAffects(m, probeVersion(m.ecosystem, version), opts);
}

// Callers test one record against many releases; compile each (record, package) once.
const compiled = new WeakMap<OsvRecord, Map<string, PackageMatcher | null>>();

export function cachedMatcher(record: OsvRecord, ecosystem: Ecosystem, name: string): PackageMatcher | undefined {
  let perRecord = compiled.get(record);
  if (!perRecord) compiled.set(record, (perRecord = new Map()));
  const key = `${ecosystem}:${normalizePackageName(ecosystem, name)}`;
  let m = perRecord.get(key);
  if (m === undefined) perRecord.set(key, (m = compileMatcher(record, ecosystem, name) ?? null));
  return m ?? undefined;
}

export function isAffected(record: OsvRecord, ecosystem: Ecosystem, name: string, version: string): boolean {
  if (!record || typeof record !== 'object' || record.withdrawn) return false;
  const m = cachedMatcher(record, ecosystem, name);
  return m !== undefined && matcherAffects(m, version);
}

/** Versions that fix the record for this package (from `fixed` events), ascending. */
export function fixedVersions(record: OsvRecord, ecosystem: Ecosystem, name: string): string[] {
  return [...(cachedMatcher(record, ecosystem, name)?.fixed ?? [])];
}

/** Human summary for hovers: `>=0, <1.13.1; >=2.0, <=2.1` or `versions 1.0, 1.1`. */
export function affectedRangesSummary(record: OsvRecord, ecosystem: Ecosystem, name: string): string {
  const m = cachedMatcher(record, ecosystem, name);
  if (!m) return '';
  const parts: string[] = [];
  for (const events of m.ranges) {
    let open: string | undefined;
    for (const e of events) {
      if (e.kind === 'introduced') open ??= `>=${e.version ?? '0'}`;
      else if (e.kind !== 'limit' && open !== undefined) {
        parts.push(`${open}, ${e.kind === 'fixed' ? '<' : '<='}${e.version}`);
        open = undefined;
      }
    }
    if (open !== undefined) parts.push(open);
  }
  if (parts.length > 0) return parts.join('; ');
  const listed = m.listedText;
  if (listed.length === 0) return '';
  const shown = versionsFor(ecosystem).sortVersions(listed).slice(0, 8).join(', ');
  return `versions ${shown}${listed.length > 8 ? `, … (${listed.length} in all)` : ''}`;
}
