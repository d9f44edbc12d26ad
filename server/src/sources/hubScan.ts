// The Hub's own per-file scan: paths-info with `expand` answers, per file, an overall security
// status, the status of each scanner (pickle import scan, ProtectAI, JFrog, antivirus) and the
// imports its pickle scanner found, each `innocuous`, `suspicious` or `dangerous`. Only files we
// asked about are kept; a missing or unknown status is "unknown", never "safe".
import type { HubFileScan, HubPickleImport } from '../domain';
import { INVALID_ANSWER, type Parsed } from './cachedLookup';
import { pathsInfoProblem, scannerEntries } from './hubShapes';
import { MAX_IMPORTS_PER_FILE } from './limits';
import { clip } from './shape';

const STATUSES = new Set<HubFileScan['status']>(['safe', 'caution', 'suspicious', 'unsafe', 'unscanned', 'queued', 'error']);
const FLAGGED = new Set(['caution', 'suspicious', 'unsafe']);
const SAFETY = new Set<HubPickleImport['safety']>(['innocuous', 'suspicious', 'dangerous']);

function statusOf(v: unknown): HubFileScan['status'] {
  const s = typeof v === 'string' ? (v.toLowerCase() as HubFileScan['status']) : undefined;
  return s && STATUSES.has(s) ? s : 'unknown';
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function importsOf(scan: Record<string, unknown> | undefined): { imports?: HubPickleImport[]; truncated?: boolean } {
  const list = scan?.pickleImports;
  if (!Array.isArray(list)) return {};
  const imports: HubPickleImport[] = [];
  for (const raw of list.slice(0, MAX_IMPORTS_PER_FILE)) {
    const i = raw as { module: string; name: string; safety: string };
    const safety = i.safety.toLowerCase() as HubPickleImport['safety'];
    imports.push({ module: clip(i.module, 200) ?? '', name: clip(i.name, 200) ?? '', safety: SAFETY.has(safety) ? safety : 'unknown' });
  }
  return list.length > MAX_IMPORTS_PER_FILE ? { imports, truncated: true } : { imports };
}

/** Per-file scans for `asked` paths, from a paths-info answer. */
export function parsePathsInfo(id: string, asked: string[], doc: unknown): Parsed<HubFileScan[]> {
  const problem = pathsInfoProblem(doc, asked.length * 2 + 10);
  if (problem) return { kind: 'error', code: INVALID_ANSWER, message: `Hugging Face: invalid file scan answer for model "${id}" (${problem})` };
  const wanted = new Set(asked);
  const byPath = new Map<string, HubFileScan>();
  for (const raw of doc as Record<string, unknown>[]) {
    const path = raw.path as string;
    if (!wanted.has(path) || byPath.has(path)) continue;
    const status = obj(raw.securityFileStatus);
    const scan: HubFileScan = { path, status: statusOf(status?.status) };
    if (status) {
      const flagged = scannerEntries(status)
        .filter(([, s]) => typeof s.status === 'string' && FLAGGED.has(s.status.toLowerCase()))
        .map(([name]) => name);
      if (flagged.length) scan.flaggedBy = flagged;
      const { imports, truncated } = importsOf(obj(status.pickleImportScan));
      if (imports) scan.pickleImports = imports;
      if (truncated) scan.pickleImportsTruncated = true;
    }
    const commit = obj(raw.lastCommit);
    if (typeof commit?.id === 'string') scan.lastCommit = { sha: commit.id, ...(typeof commit.date === 'string' ? { date: commit.date } : {}) };
    byPath.set(path, scan);
  }
  // A file the Hub did not describe is a file nobody scanned for us.
  return { kind: 'ok', value: asked.map((p) => byPath.get(p) ?? { path: p, status: 'unknown' }) };
}
