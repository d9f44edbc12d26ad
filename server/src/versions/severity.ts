// Severity of an OSV advisory for one package: the GHSA-style label when the database gives
// one, else the highest CVSS base score among the record's and the package's vectors.
import type * as CvssLib from 'ae-cvss-calculator';
import type { Ecosystem } from '../domain';
import { affectedEntries } from './affected';
import type { OsvRecord } from '../domain';

export type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'LOW' | 'UNKNOWN';

const LABELS: Record<string, AdvisorySeverity> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MODERATE: 'MODERATE',
  MEDIUM: 'MODERATE',
  LOW: 'LOW',
};

const scoreMemo = new Map<string, number | undefined>();

// Loaded on first use: the calculator initialises a large table at import, which every CLI start
// would pay for even when no advisory needs a score.
let cvssLib: typeof CvssLib | undefined;
const lib = (): typeof CvssLib => (cvssLib ??= require('ae-cvss-calculator') as typeof CvssLib);

function computeScore(vector: string): number | undefined {
  const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = lib();
  const v = vector.trim();
  let calc: { calculateScores(): { base?: number } };
  if (v.startsWith('CVSS:4.0/')) calc = new Cvss4P0(v);
  else if (v.startsWith('CVSS:3.1/')) calc = new Cvss3P1(v);
  else if (v.startsWith('CVSS:3.0/')) calc = new Cvss3P0(v);
  else if (/^\(?AV:[LAN]\/AC:/.test(v)) calc = new Cvss2(v.replace(/^\(|\)$/g, ''));
  else return undefined;
  const base = calc.calculateScores().base;
  return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
}

/** The CVSS base score of a v2, v3.0, v3.1 or v4.0 vector; undefined when it cannot be scored. */
export function cvssScore(vector: string): number | undefined {
  if (typeof vector !== 'string') return undefined;
  if (scoreMemo.has(vector)) return scoreMemo.get(vector);
  let score: number | undefined;
  try {
    score = computeScore(vector);
  } catch {
    // The calculator throws on malformed vectors; an unscorable vector just has no score.
    score = undefined;
  }
  // Vectors come from advisory data; keep the memo bounded all the same.
  if (scoreMemo.size >= 10_000) scoreMemo.clear();
  scoreMemo.set(vector, score);
  return score;
}

export function severityFromScore(score: number): AdvisorySeverity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MODERATE';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

export function advisorySeverity(record: OsvRecord, ecosystem: Ecosystem, name: string): AdvisorySeverity {
  const label = record?.database_specific?.severity;
  if (typeof label === 'string' && LABELS[label.trim().toUpperCase()]) return LABELS[label.trim().toUpperCase()]!;
  const vectors = [
    ...(Array.isArray(record?.severity) ? record.severity : []),
    ...affectedEntries(record, ecosystem, name).flatMap((a) => (Array.isArray(a.severity) ? a.severity : [])),
  ];
  let best: number | undefined;
  for (const s of vectors) {
    if (!s || typeof s.score !== 'string' || !/^CVSS_V[234]$/.test(s.type)) continue;
    const score = cvssScore(s.score);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  return best === undefined ? 'UNKNOWN' : severityFromScore(best);
}
