// Baselines: `aidr scan --write-baseline FILE` records the fingerprints of today's findings, and
// `aidr scan --baseline FILE` reports only findings not recorded there, so a project can adopt the
// scanner without fixing everything first and still fail CI on anything new. The file is JSON,
// versioned, sorted and free of line numbers and timestamps: re-writing it after unrelated edits
// gives the same bytes, and reviews see only real changes.
import { redactDeep } from './redactReport';
import type { JsonFinding, JsonReport } from './report';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  /** For people reading the file; matching uses the fingerprint only. */
  rule: string;
  file: string;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: 'ai-dependency-risk';
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** The baseline document for findings that carry fingerprints. */
export function baselineOf(findings: readonly JsonFinding[]): BaselineFile {
  const byFp = new Map<string, BaselineEntry>();
  for (const f of findings) if (f.fingerprint) byFp.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.rule, file: f.file });
  const entries = [...byFp.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
  return redactDeep({ version: BASELINE_VERSION, tool: 'ai-dependency-risk', findings: entries });
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function serializeBaseline(b: BaselineFile): string {
  return JSON.stringify(b, null, 2) + '\n';
}

const FP_RE = /^[0-9a-f]{16,64}$/;

/** The fingerprints a baseline file records. Anything else than our own format is refused with a
 * message that says what is wrong (a stale or hand-edited file must not silently hide findings). */
export function parseBaseline(text: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`not JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BaselineError('expected an object with "version" and "findings"');
  const o = doc as { version?: unknown; findings?: unknown };
  if (o.version !== BASELINE_VERSION) throw new BaselineError(`unsupported version ${JSON.stringify(o.version)} (expected ${BASELINE_VERSION}); write it again with --write-baseline`);
  if (!Array.isArray(o.findings)) throw new BaselineError('"findings" must be an array');
  const out = new Set<string>();
  o.findings.forEach((e: unknown, i) => {
    const fp = e && typeof e === 'object' ? (e as { fingerprint?: unknown }).fingerprint : undefined;
    if (typeof fp !== 'string' || !FP_RE.test(fp)) throw new BaselineError(`findings[${i}] has no valid "fingerprint"`);
    out.add(fp);
  });
  return out;
}

/** The report without the findings the baseline records, and how many those were. */
export function applyBaseline(report: JsonReport, known: ReadonlySet<string>): { report: JsonReport; suppressed: number } {
  const findings = report.findings.filter((f) => !f.fingerprint || !known.has(f.fingerprint));
  return { report: { ...report, findings }, suppressed: report.findings.length - findings.length };
}
