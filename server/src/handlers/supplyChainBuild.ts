// Builds the supply-chain tree from document facts: each package and model reference goes to the
// project (environment) its file belongs to; a package declared in a manifest and locked in the
// lockfile is one row (direct), lockfile entries no manifest declares are transitive; Hub models are
// one row per id and revision, model files one row each, joined with the loading calls whose
// literal path resolves to them. Rows sort worst first, so a cap never hides a finding behind a
// clean row; the filter and the cap are applied last, and counted.
import path from 'node:path';
import type { ManifestKind } from '../engine/documents';
import { isManifestKind } from '../engine/documents';
import { isLockKind, type Environment } from '../engine/environments';
import type {
  CompactRange,
  ModelScanVerdict,
  SupplyChainFinding,
  SupplyChainModel,
  SupplyChainPackage,
  SupplyChainParams,
  SupplyChainProject,
  SupplyChainResult,
  SupplyChainSeverity,
} from '../protocol';
import { toUri } from './convert';
import type { DocFacts, FindingFact, HubFacts, ModelRefFact } from './supplyChainFacts';

export const DEFAULT_MAX_ROWS = 200;
export const MAX_ROWS = 2000;
const ZERO: CompactRange = [0, 0, 0, 0];
/** The policy rules that judge a Hub model (the model's own licence included). */
const POLICY_MODEL_RULES = new Set(['model-not-approved', 'license-policy']);
/** Findings listed per row; the Problems panel has them all. */
const MAX_ROW_FINDINGS = 20;

const ORDER: Record<SupplyChainSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
const VERDICT_SEVERITY: Partial<Record<ModelScanVerdict, SupplyChainSeverity>> = { unsafe: 'error', caution: 'warning' };

export interface EnvironmentLookup {
  environmentOf(file: string): Environment | undefined;
  environmentOfManifest(file: string, kind: ManifestKind): Environment;
  workspaceRootOf(file: string): string | undefined;
}

export interface ModelFileFacts {
  path: string;
  format: string;
  verdict: ModelScanVerdict;
  detail?: string;
  findings: FindingFact[];
}

export interface BuildInput {
  docs: readonly DocFacts[];
  environments: EnvironmentLookup;
  modelFiles: readonly ModelFileFacts[];
  /** Hub facts of a model id (and revision), when known. */
  hub(id: string, revision?: string): HubFacts | undefined;
  /** The scanned model file a local reference resolves to (absolute path), if any. */
  resolveLocal(ref: ModelRefFact, doc: DocFacts, env: Environment | undefined): string | undefined;
  /** Whether a policy with model rules (allow, deny, revision, formats, licences) governs a file. */
  modelPolicy?(file: string): boolean;
  complete: boolean;
  offline: boolean;
  errors: string[];
  now: number;
}

interface ProjectAcc {
  root: string;
  env?: Environment;
  packages: Map<string, SupplyChainPackage>;
  models: Map<string, SupplyChainModel>;
}

export function worstOf(severities: Iterable<SupplyChainSeverity | undefined>): SupplyChainSeverity | undefined {
  let w: SupplyChainSeverity | undefined;
  for (const s of severities) if (s && (!w || ORDER[s] < ORDER[w])) w = s;
  return w;
}

export function buildSupplyChain(input: BuildInput, params: SupplyChainParams = {}): SupplyChainResult {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const fileOf = (uri: string): number => {
    let i = fileIndex.get(uri);
    if (i === undefined) {
      i = files.length;
      files.push(uri);
      fileIndex.set(uri, i);
    }
    return i;
  };
  const projects = new Map<string, ProjectAcc>();
  const projectFor = (file: string, env: Environment | undefined): ProjectAcc => {
    // Files outside every project are listed under their workspace folder.
    const root = env?.root ?? input.environments.workspaceRootOf(file) ?? path.dirname(file);
    let p = projects.get(root);
    if (!p) projects.set(root, (p = { root, packages: new Map(), models: new Map() }));
    if (env && !p.env) p.env = env;
    return p;
  };
  const finding = (f: FindingFact, file: number): SupplyChainFinding => ({
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    ...(f.advisories ? { advisories: f.advisories } : {}),
    at: { file, range: f.range, ...(f.cell !== undefined ? { cell: f.cell } : {}) },
  });
  /** Adds findings once each: by rule and message, and also by file when `perFile` (a model
   * file's row lists each loading call's finding beside the file's own, even when they read alike). */
  const addFindings = (into: SupplyChainFinding[], add: readonly FindingFact[], file: number, perFile = false) => {
    for (const f of add) {
      if (into.length >= MAX_ROW_FINDINGS) return;
      if (into.some((x) => x.rule === f.rule && x.message === f.message && (!perFile || x.at.file === file))) continue;
      into.push(finding(f, file));
    }
  };

  // Which names each lockfile's users declare: those lock entries are direct, the rest transitive.
  const envOfDoc = (d: DocFacts): Environment | undefined =>
    isManifestKind(d.kind) ? input.environments.environmentOfManifest(d.path, d.kind) : input.environments.environmentOf(d.path);
  const declaredByLockUsers = new Map<string, Set<string>>();
  for (const d of input.docs) {
    if (isLockKind(d.kind)) continue;
    const env = envOfDoc(d);
    if (!env) continue;
    for (const p of d.packages) {
      for (const lock of env.locks[p.ecosystem]) {
        let s = declaredByLockUsers.get(lock);
        if (!s) declaredByLockUsers.set(lock, (s = new Set()));
        s.add(`${p.ecosystem}:${p.name}`);
      }
    }
  }

  // Packages: manifests first, so a locked package's row points at its declaration.
  const ordered = [...input.docs].sort((a, b) => Number(isLockKind(a.kind)) - Number(isLockKind(b.kind)) || a.path.localeCompare(b.path));
  for (const d of ordered) {
    if (!d.packages.length) continue;
    const env = envOfDoc(d);
    const project = projectFor(d.path, env);
    const file = fileOf(d.uri);
    const lockUsers = isLockKind(d.kind) ? declaredByLockUsers.get(path.resolve(d.path)) ?? declaredByLockUsers.get(d.path) : undefined;
    for (const p of d.packages) {
      // A fixed version (pinned, locked) names the row; a range stays a range, whatever its
      // newest allowed version was when (and if) it was looked up.
      const fixed = p.version !== undefined && p.versionFrom !== 'newest-allowed';
      const key = `${p.ecosystem}:${p.name}@${fixed ? p.version : `|${p.specifier ?? ''}`}`;
      const direct = !p.lock || !!lockUsers?.has(`${p.ecosystem}:${p.name}`);
      const row = project.packages.get(key);
      if (row) {
        if (row.at.file !== file && !row.alsoIn?.includes(file)) (row.alsoIn ??= []).push(file);
        row.direct ||= direct;
        if (!row.specifier && p.specifier && !p.lock) row.specifier = p.specifier;
        if (!row.version && p.version) {
          row.version = p.version;
          if (p.versionFrom) row.versionFrom = p.versionFrom;
        }
        addFindings(row.findings, p.findings, file);
        continue;
      }
      const fresh: SupplyChainPackage = {
        ecosystem: p.ecosystem,
        name: p.name,
        ...(p.version ? { version: p.version } : {}),
        ...(p.versionFrom ? { versionFrom: p.versionFrom } : {}),
        ...(p.specifier && !p.lock ? { specifier: p.specifier } : {}),
        direct,
        at: { file, range: p.range, ...(p.cell !== undefined ? { cell: p.cell } : {}) },
        ...(p.source ? { source: p.source } : {}),
        findings: [],
      };
      addFindings(fresh.findings, p.findings, file);
      project.packages.set(key, fresh);
    }
  }

  // Model files first, so loading calls that resolve to one join its row.
  const fileRows = new Map<string, SupplyChainModel>();
  /** Hub rows whose first loading call a model policy governs: approved unless it objects. */
  const governed = new Set<SupplyChainModel>();
  for (const m of input.modelFiles) {
    const env = input.environments.environmentOf(m.path);
    const project = projectFor(m.path, env);
    const file = fileOf(toUri(m.path));
    const ws = input.environments.workspaceRootOf(m.path);
    const row: SupplyChainModel = {
      kind: 'file',
      name: ws ? path.relative(ws, m.path).split(path.sep).join('/') : path.basename(m.path),
      formats: [m.format],
      scan: { by: 'static', verdict: m.verdict, ...(m.detail ? { detail: m.detail } : {}) },
      at: { file, range: ZERO },
      modelFile: file,
      calls: 0,
      findings: [],
    };
    addFindings(row.findings, m.findings, file);
    project.models.set(`file:${m.path}`, row);
    fileRows.set(path.resolve(m.path), row);
  }
  for (const d of input.docs) {
    if (!d.models.length) continue;
    const env = input.environments.environmentOf(d.path);
    const project = projectFor(d.path, env);
    const file = fileOf(d.uri);
    for (const ref of d.models) {
      const at = { file, range: ref.range, ...(ref.cell !== undefined ? { cell: ref.cell } : {}) };
      if (ref.kind === 'local') {
        const target = input.resolveLocal(ref, d, env);
        const row = target ? fileRows.get(path.resolve(target)) : undefined;
        if (row) {
          // The file's row keeps pointing at the file; the call's findings join it.
          row.calls++;
          addFindings(row.findings, ref.findings, file, true);
          continue;
        }
      }
      const key = ref.kind === 'hub' ? `hub:${ref.name}@${ref.revision ?? ''}` : `local:${ref.name}`;
      const row = project.models.get(key);
      if (row) {
        row.calls++;
        addFindings(row.findings, ref.findings, file);
        continue;
      }
      const hub = ref.kind === 'hub' ? input.hub(ref.name, ref.revision) : undefined;
      const fresh: SupplyChainModel = {
        kind: ref.kind,
        name: ref.name,
        ...(ref.revision ? { revision: ref.revision } : {}),
        ...(ref.kind === 'hub' ? { pinnedToCommit: !!ref.pinnedToCommit } : {}),
        ...(hub?.license ? { license: hub.license } : {}),
        ...(hub?.formats ? { formats: hub.formats } : {}),
        ...(ref.kind === 'hub' ? { scan: hub ? { by: 'hub' as const, verdict: hub.verdict, ...(hub.detail ? { detail: hub.detail } : {}) } : { by: 'hub' as const, verdict: 'not-checked' as const } } : {}),
        at,
        calls: 1,
        findings: [],
      };
      addFindings(fresh.findings, ref.findings, file);
      project.models.set(key, fresh);
      if (ref.kind === 'hub' && input.modelPolicy?.(d.path)) governed.add(fresh);
    }
  }
  for (const row of governed) row.approved = !row.findings.some((f) => POLICY_MODEL_RULES.has(f.rule));

  const asked = typeof params.maxRows === 'number' && Number.isFinite(params.maxRows) ? Math.floor(params.maxRows) : DEFAULT_MAX_ROWS;
  const maxRows = Math.max(1, Math.min(MAX_ROWS, asked));
  const out: SupplyChainProject[] = [];
  for (const p of [...projects.values()].sort((a, b) => a.root.localeCompare(b.root))) {
    const packages = [...p.packages.values()];
    const models = [...p.models.values()];
    for (const r of packages) r.worst = worstOf(r.findings.map((f) => f.severity));
    for (const r of models) r.worst = worstOf([...r.findings.map((f) => f.severity), r.scan ? VERDICT_SEVERITY[r.scan.verdict] : undefined]);
    for (const r of [...packages, ...models]) if (!r.worst) delete r.worst;
    const flagged = (r: { worst?: SupplyChainSeverity }) => r.worst !== undefined;
    const shownPackages = packages.filter((r) => !params.onlyFindings || flagged(r)).sort(byRow);
    const shownModels = models.filter((r) => !params.onlyFindings || flagged(r)).sort(byRow);
    if (params.onlyFindings && !shownPackages.length && !shownModels.length) continue;
    const ws = input.environments.workspaceRootOf(p.root);
    const env = p.env;
    const decided = env ? [...env.locks.PyPI, ...env.locks.npm, ...env.manifests] : [];
    const worst = worstOf([...packages, ...models].map((r) => r.worst));
    out.push({
      root: fileOf(toUri(p.root)),
      name: ws ? path.relative(ws, p.root).split(path.sep).join('/') || '.' : p.root,
      decidedBy: [...new Set(decided)].map((f) => fileOf(toUri(f))),
      packages: shownPackages.slice(0, maxRows),
      models: shownModels.slice(0, maxRows),
      morePackages: Math.max(0, shownPackages.length - maxRows),
      moreModels: Math.max(0, shownModels.length - maxRows),
      counts: { packages: packages.length, models: models.length, withFindings: [...packages, ...models].filter(flagged).length },
      ...(worst ? { worst } : {}),
    });
  }
  return { ...compactFiles(files, out), complete: input.complete, generatedAt: input.now, offline: input.offline, errors: input.errors };
}

/** Keeps only the files the shown rows refer to (rows left out by the filter or the cap registered
 * theirs too), renumbered in order of first use. */
function compactFiles(all: readonly string[], projects: SupplyChainProject[]): { files: string[]; projects: SupplyChainProject[] } {
  const files: string[] = [];
  const renumber = new Map<number, number>();
  const use = (i: number): number => {
    let j = renumber.get(i);
    if (j === undefined) {
      j = files.length;
      files.push(all[i]!);
      renumber.set(i, j);
    }
    return j;
  };
  const at = <T extends { file: number }>(l: T): T => ({ ...l, file: use(l.file) });
  const findings = (fs: SupplyChainFinding[]) => fs.map((f) => ({ ...f, at: at(f.at) }));
  const out = projects.map((p) => ({
    ...p,
    root: use(p.root),
    decidedBy: p.decidedBy.map(use),
    packages: p.packages.map((r) => ({ ...r, at: at(r.at), ...(r.alsoIn ? { alsoIn: r.alsoIn.map(use) } : {}), findings: findings(r.findings) })),
    models: p.models.map((r) => ({ ...r, at: at(r.at), ...(r.modelFile !== undefined ? { modelFile: use(r.modelFile) } : {}), findings: findings(r.findings) })),
  }));
  return { files, projects: out };
}

function byRow(a: { worst?: SupplyChainSeverity; name: string; version?: string }, b: { worst?: SupplyChainSeverity; name: string; version?: string }): number {
  const wa = a.worst ? ORDER[a.worst] : 9;
  const wb = b.worst ? ORDER[b.worst] : 9;
  return wa - wb || a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? '');
}
