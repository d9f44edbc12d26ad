// What the supply-chain view keeps of one document: its packages and model references with their
// findings, ranges already in line/character form and messages trimmed, and nothing of the registry
// answers (release lists, advisory records) that an engine analysis carries. Built from an analysis
// (open documents, the refresh, the watch) or from a parse alone (manifests nobody analysed yet).
// Also the verdicts shown for model files (static scan) and Hub models (the Hub's scan).
import type { Dependency, Finding, ModelFileScan, ModelInfo, OffsetRange } from '../domain';
import { redactSecrets } from '../domain/redact';
import type { DocumentKind } from '../engine/documents';
import type { CodeModelRef } from '../engine/code';
import type { DocumentAnalysis } from '../engine/engine';
import { isLockKind } from '../engine/environments';
import type { LineIndex } from '../engine/lineIndex';
import type { CompactRange, ModelScanVerdict, SupplyChainSeverity } from '../protocol';

const MAX_MESSAGE = 300;
/** Findings kept per package or model reference (the rest are in the Problems panel). */
const MAX_FINDINGS = 20;

export interface FindingFact {
  rule: string;
  severity: SupplyChainSeverity;
  message: string;
  advisories?: string[];
  range: CompactRange;
  cell?: number;
}

export interface PackageFact {
  ecosystem: 'PyPI' | 'npm';
  name: string;
  version?: string;
  versionFrom?: 'pinned' | 'locked' | 'newest-allowed';
  specifier?: string;
  /** Declared in a lockfile (not a manifest). */
  lock: boolean;
  source?: string;
  range: CompactRange;
  cell?: number;
  findings: FindingFact[];
}

export interface ModelRefFact {
  kind: 'hub' | 'local';
  /** Hub id, or the path as written. */
  name: string;
  revision?: string;
  pinnedToCommit?: boolean;
  /** For a local path: relative to the file's folder, or to the working directory. */
  base?: 'file' | 'cwd';
  range: CompactRange;
  cell?: number;
  findings: FindingFact[];
}

export interface DocFacts {
  uri: string;
  path: string;
  kind: DocumentKind;
  /** False for a parse without look-ups (no versions resolved, no findings). */
  analysed: boolean;
  packages: PackageFact[];
  models: ModelRefFact[];
}

export function compact(lines: LineIndex, r: OffsetRange): CompactRange {
  const a = lines.positionAt(r.start);
  const b = lines.positionAt(r.end);
  return [a.line, a.character, b.line, b.character];
}

function findingFact(f: Finding, lines: LineIndex): FindingFact {
  const message = redactSecrets(f.message);
  return {
    rule: f.rule,
    severity: f.severity,
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    ...(f.advisories?.length ? { advisories: f.advisories.slice(0, 10).map((a) => a.id) } : {}),
    range: compact(lines, f.range),
    ...(f.cell !== undefined ? { cell: f.cell } : {}),
  };
}

function packageFact(dep: Dependency, lines: LineIndex, lock: boolean, evaluated?: { version: string; how: PackageFact['versionFrom'] }): PackageFact {
  const version = evaluated?.version ?? dep.pinned;
  const from = evaluated?.how ?? (dep.pinned ? (lock ? 'locked' : 'pinned') : undefined);
  const source = dep.source && dep.source.kind !== 'registry' ? dep.source.kind : dep.url ? 'url' : undefined;
  return {
    ecosystem: dep.ecosystem,
    name: dep.name,
    ...(version ? { version } : {}),
    ...(from && version ? { versionFrom: from } : {}),
    ...(dep.specifier ? { specifier: dep.specifier } : {}),
    lock,
    ...(source ? { source } : {}),
    range: compact(lines, dep.nameRange),
    ...(dep.cell !== undefined ? { cell: dep.cell } : {}),
    findings: [],
  };
}

/** The facts of a document nobody analysed: what its parse declares. */
export function factsFromDeclared(doc: { uri: string; path: string; kind: DocumentKind }, deps: readonly Dependency[], lines: LineIndex): DocFacts {
  const lock = isLockKind(doc.kind);
  return { uri: doc.uri, path: doc.path, kind: doc.kind, analysed: false, packages: deps.map((d) => packageFact(d, lines, lock)), models: [] };
}

/** The facts of an analysed document. `linesOf(cell)` is the line index of the text (of the cell,
 * for a notebook) that the analysis's offsets refer to. */
export function factsFromAnalysis(a: DocumentAnalysis, path: string, linesOf: (cell: number | undefined) => LineIndex): DocFacts {
  const lock = isLockKind(a.kind);
  const packages: PackageFact[] = [];
  // Dependency findings sit on the dependency's name (transitive ones on the direct dependency's).
  const byName = new Map<string, PackageFact>();
  for (const f of a.dependencies) {
    const p = packageFact(f.dep, linesOf(f.dep.cell), lock, f.evaluated);
    packages.push(p);
    byName.set(`${f.dep.cell ?? 0}:${f.dep.nameRange.start}`, p);
  }
  const code: Finding[] = [];
  for (const f of a.findings) {
    const owner = f.package ? byName.get(`${f.cell ?? 0}:${f.range.start}`) : undefined;
    if (owner) {
      if (owner.findings.length < MAX_FINDINGS) owner.findings.push(findingFact(f, linesOf(f.cell)));
    } else if (!f.package) code.push(f);
  }
  const models: ModelRefFact[] = [];
  for (const r of a.code?.modelRefs ?? []) models.push(modelRefFact(r, linesOf(r.cell), code));
  return { uri: a.uri, path, kind: a.kind, analysed: true, packages, models };
}

function modelRefFact(r: CodeModelRef, lines: LineIndex, code: readonly Finding[]): ModelRefFact {
  // The call's findings (revision, trust_remote_code, unsafe loaders, the model file's scan).
  const span = r.callRange;
  const findings: FindingFact[] = [];
  for (const f of code) {
    if ((f.cell ?? 0) !== (r.cell ?? 0) || f.range.end < span.start || f.range.start > span.end) continue;
    if (findings.length < MAX_FINDINGS) findings.push(findingFact(f, lines));
  }
  const at = { range: compact(lines, r.range), ...(r.cell !== undefined ? { cell: r.cell } : {}), findings };
  if (r.kind === 'local') return { kind: 'local', name: r.path, base: r.base, ...at };
  return { kind: 'hub', name: r.id, ...(r.revision ? { revision: r.revision } : {}), pinnedToCommit: r.isCommitSha, ...at };
}

/** A model file's verdict from its static scan. */
export function staticVerdict(scan: ModelFileScan): { verdict: ModelScanVerdict; detail?: string } {
  const issues = scan.issues;
  const denied = issues.filter((i) => i.severity === 'error');
  if (denied.length) return { verdict: 'unsafe', detail: denied[0]!.message };
  const partial = issues.find((i) => i.kind === 'not-fully-scanned' || i.kind === 'malformed' || i.kind === 'truncated');
  const warnings = issues.filter((i) => i.severity === 'warning' && i !== partial);
  if (warnings.length) return { verdict: 'caution', detail: warnings[0]!.message };
  if (partial || !scan.complete) return { verdict: 'unknown', detail: partial?.message ?? 'not fully scanned' };
  const pickled = issues.some((i) => i.kind === 'pickle-format');
  return { verdict: 'safe', ...(pickled ? { detail: 'pickle-based format; every import is on the allow list' } : {}) };
}

export interface HubFacts {
  license?: string;
  formats?: string[];
  verdict: ModelScanVerdict;
  detail?: string;
}

/** What the Hub says of a model: licence, weight formats and its scan, reduced to one verdict.
 * A scan that is not done, or a file nobody scanned, is unknown, never safe. */
export function hubFacts(info: ModelInfo): HubFacts {
  const out: HubFacts = { verdict: 'unknown', ...(info.license ? { license: info.license } : {}), ...(info.weightFormats ? { formats: [...info.weightFormats] } : {}) };
  const scans = info.fileScans ?? [];
  const unsafe = scans.filter((f) => f.status === 'unsafe' || f.pickleImports?.some((i) => i.safety === 'dangerous'));
  const caution = scans.filter((f) => f.status === 'suspicious' || f.status === 'caution' || f.pickleImports?.some((i) => i.safety === 'suspicious'));
  const unscanned = scans.filter((f) => f.status === 'unscanned' || f.status === 'queued' || f.status === 'error' || f.status === 'unknown');
  const issues = info.security?.filesWithIssues ?? [];
  if (unsafe.length || issues.length) return { ...out, verdict: 'unsafe', detail: `flagged: ${[...unsafe.map((f) => f.path), ...issues].slice(0, 3).join(', ')}` };
  if (caution.length) return { ...out, verdict: 'caution', detail: `flagged: ${caution.slice(0, 3).map((f) => f.path).join(', ')}` };
  if (info.security && !info.security.scansDone) return { ...out, detail: 'the Hub has not finished scanning' };
  if (unscanned.length) return { ...out, detail: `${unscanned.length} file(s) not scanned by the Hub` };
  if (info.security || scans.length) return { ...out, verdict: 'safe' };
  return { ...out, detail: 'no scan reported by the Hub' };
}
