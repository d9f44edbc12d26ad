// The shapes OSV answers must have before we believe them (querybatch results and advisory
// records), and the projection of a record onto the fields we use before it is cached. Wrong types
// in the fields that decide a finding (`vulns`, ranges, `versions`, severities) refuse the answer:
// a silently misread record would report a vulnerable pin as clean or invent a fix.
import type { OsvRecord } from '../domain';
import { MAX_DETAILS, MAX_TEXT, MAX_VULNS_PER_QUERY } from './limits';
import { anyObj, arr, obj, opt, str, validate, clip } from './shape';

const vulnRef = obj({ id: str, modified: opt(str) });

const batchResult = obj({ vulns: opt(arr(vulnRef, MAX_VULNS_PER_QUERY)), next_page_token: opt(str) });

const querybatch = obj({ results: arr(batchResult) });

/** Why a querybatch answer for `expected` queries is not one, or undefined. */
export function querybatchProblem(body: unknown, expected: number): string | undefined {
  const e = validate(querybatch, body);
  if (e) return e;
  const n = (body as { results: unknown[] }).results.length;
  return n === expected ? undefined : `results: ${n} results for ${expected} queries`;
}

const severity = arr(obj({ type: str, score: str }));

const event = obj({ introduced: opt(str), fixed: opt(str), last_affected: opt(str), limit: opt(str) });

const affected = obj({
  package: opt(obj({ ecosystem: str, name: str, purl: opt(str) })),
  ranges: opt(arr(obj({ type: str, repo: opt(str), events: arr(event) }))),
  versions: opt(arr(str)),
  severity: opt(severity),
  ecosystem_specific: opt(anyObj),
  database_specific: opt(anyObj),
});

const vuln = obj({
  id: str,
  modified: str,
  published: opt(str),
  withdrawn: opt(str),
  aliases: opt(arr(str)),
  related: opt(arr(str)),
  summary: opt(str),
  details: opt(str),
  severity: opt(severity),
  affected: opt(arr(affected)),
  references: opt(arr(obj({ type: str, url: str }))),
  database_specific: opt(anyObj),
});

/** Why an advisory record (asked for by `id`) is not one, or undefined. */
export function vulnProblem(body: unknown, id?: string): string | undefined {
  const e = validate(vuln, body);
  if (e) return e;
  const got = (body as { id: string }).id;
  return id === undefined || got === id ? undefined : `id: asked for ${id}, got ${got}`;
}

export function isVulnRefs(v: unknown): v is { id: string; modified: string }[] {
  return validate(arr(obj({ id: str, modified: str }), MAX_VULNS_PER_QUERY), v) === undefined;
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

/**
 * The record as we keep it: the fields OsvRecord names (nulls dropped), long texts clipped, and a
 * free-form `database_specific.severity` kept only when it is the string we read it as.
 */
export function storedRecord(r: OsvRecord): OsvRecord {
  const out = pick(r, ['id', 'modified', 'published', 'withdrawn', 'aliases', 'related', 'summary', 'details', 'severity', 'references']) as OsvRecord;
  out.summary = clip(out.summary, MAX_TEXT);
  out.details = clip(out.details, MAX_DETAILS);
  if (out.summary === undefined) delete out.summary;
  if (out.details === undefined) delete out.details;
  if (r.affected) {
    out.affected = r.affected.map((a) => {
      const kept = pick(a, ['package', 'ranges', 'versions', 'severity', 'ecosystem_specific', 'database_specific']);
      if (kept.ranges) kept.ranges = kept.ranges.map((x) => ({ ...x, events: x.events.map((ev) => pick(ev, ['introduced', 'fixed', 'last_affected', 'limit'])) }));
      return kept;
    });
  }
  const db = r.database_specific;
  if (db && typeof db === 'object') {
    const { severity: sev, ...rest } = db;
    out.database_specific = typeof sev === 'string' ? { ...rest, severity: sev } : rest;
  }
  return out;
}
