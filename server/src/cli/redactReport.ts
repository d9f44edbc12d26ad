// Credentials never reach a report: every string of what the CLI prints or writes (findings,
// errors, inventory entries, SARIF) goes through redactSecrets, except fix edits' `newText`,
// which must stay exact to be applicable; a fix whose edit text would need redacting is dropped.
import { redactSecrets } from '../domain/redact';
import type { JsonReport } from './report';

/** Fields whose text is applied to files and must not change. */
const VERBATIM = new Set(['newText']);
/** Our reports are a few levels deep; anything deeper is not ours to walk. */
const MAX_DEPTH = 32;

export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = VERBATIM.has(k) ? v : redactDeep(v, depth + 1);
  return out as T;
}

/** The report with secrets hidden; fixes that would write a secret are left out. */
export function redactReport(report: JsonReport): JsonReport {
  const r = redactDeep(report);
  for (const f of r.findings) {
    if (!f.fixes) continue;
    f.fixes = f.fixes.filter((x) => x.edits.every((e) => redactSecrets(e.newText) === e.newText));
    if (f.fixes.length === 0) delete f.fixes;
  }
  return r;
}
