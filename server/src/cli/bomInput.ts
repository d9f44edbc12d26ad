// What `aidr bom` lists, gathered from the scanned documents: one package per (ecosystem, name,
// version) from manifests, lockfiles and notebook installs, with the lockfile's artifact hashes and
// dependency graph; and the Hub models and data sets that loading calls name. Declarations without
// an exact version take the version a lockfile of the tree locks; with none they stay versionless.
import type { Dependency, Ecosystem } from '../domain';
import { analyzeCode } from '../engine/code';
import { isManifestKind, type EngineDocument } from '../engine/documents';
import { isLockKind, lockEcosystem } from '../engine/environments';
import { parseManifest } from '../manifests';
import { LOCK_GRAPH_KINDS, parseLockGraph } from '../manifests/lockGraph';
import { parsePipInstallCommands } from '../manifests/pipInstall';
import { parseNotebook } from '../python/notebook';
import { packageKey, type BomEdge, type BomModel, type BomPackage } from './bom';
import { lockEntryHashes } from './lockHashes';

/** Dependency.source as the lockfile parsers record it (optional: older parsers set only `url`). */
type WithSource = Dependency & { source?: { kind: string; url?: string } };

/** Groups that are not installed by default: development, tests, docs, extras, peers. */
export function isOptionalGroup(group: string | undefined): boolean {
  if (!group) return false;
  const g = group.toLowerCase();
  if (g.startsWith('optional-dependencies') || g.startsWith('dependency-groups') || g.startsWith('options.extras_require')) return true;
  if (g.startsWith('tool.poetry.group.')) return !g.startsWith('tool.poetry.group.main.');
  return ['dev', 'develop', 'dev-packages', 'devdependencies', 'optional', 'optionaldependencies', 'peer', 'peerdependencies', 'tool.poetry.dev-dependencies'].includes(g) || /(^|\.)dev-dependencies$/.test(g);
}

function sourceOf(d: WithSource): { kind: string; url?: string } | undefined {
  if (d.source) return d.source.kind === 'registry' ? undefined : d.source;
  if (!d.url) return undefined;
  if (/^git\+|^git:|\.git(?:$|[#@])/i.test(d.url)) return { kind: 'git', url: d.url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d.url)) return { kind: 'url', url: d.url };
  return { kind: 'path', url: d.url };
}

interface Acc {
  pkg: BomPackage;
  required: boolean;
}

export interface PackageGathering {
  packages: BomPackage[];
  graph: BomEdge[];
}

/** Packages and lock graph of the documents; `rel` turns an absolute path into the report's form. */
export function gatherPackages(docs: EngineDocument[], rel: (abs: string) => string): PackageGathering {
  const acc = new Map<string, Acc>();
  /** Accumulators by `ecosystem:name`, for declarations that take a locked version. */
  const byName = new Map<string, Acc[]>();
  const lockedNames = new Map<string, Set<string>>();
  const pending: { ecosystem: Ecosystem; name: string; specifier: string; optional: boolean; file: string }[] = [];
  const graph: BomEdge[] = [];

  const add = (d: WithSource, file: string, direct: boolean, version: string | undefined, extra: Partial<BomPackage> = {}) => {
    const source = sourceOf(d);
    const key = `${packageKey(d.ecosystem, d.name, version)}#${source?.url ?? ''}`;
    let a = acc.get(key);
    if (!a) {
      a = { pkg: { ecosystem: d.ecosystem, name: d.name, ...(version ? { version } : {}), direct, optional: true, foundIn: [], hashes: [], ...(source ? { source } : {}) }, required: false };
      acc.set(key, a);
      const nk = `${d.ecosystem}:${d.name}`;
      byName.set(nk, [...(byName.get(nk) ?? []), a]);
    }
    const p = a.pkg;
    if (direct) p.direct = true;
    if (!isOptionalGroup(d.group)) a.required = true;
    if (!p.foundIn.includes(file)) p.foundIn.push(file);
    for (const h of extra.hashes ?? []) if (!p.hashes.some((x) => x.content === h.content)) p.hashes.push(h);
    if (extra.resolved && !p.resolved) p.resolved = extra.resolved;
    if (extra.yarnChecksum && !p.yarnChecksum) p.yarnChecksum = extra.yarnChecksum;
    if (extra.specifier && !p.specifier) p.specifier = extra.specifier;
  };

  const declare = (d: WithSource, file: string) => {
    if (d.constraintOnly) return;
    if (d.pinned) add(d, file, true, d.pinned);
    else if (d.url) add(d, file, true, undefined);
    else pending.push({ ecosystem: d.ecosystem, name: d.name, specifier: d.specifier, optional: isOptionalGroup(d.group), file });
  };

  for (const doc of docs) {
    if (!doc.path) continue;
    const file = rel(doc.path);
    if (doc.kind === 'notebook') {
      for (const cell of parseNotebook(doc.text).cells) {
        if (cell.kind !== 'code' || !/^\s*[%!]/m.test(cell.source)) continue;
        for (const d of parsePipInstallCommands(cell.source, 0).dependencies) declare(d, file);
      }
      continue;
    }
    if (!isManifestKind(doc.kind)) continue;
    const parsed = parseManifest(doc.path, doc.text);
    if (!isLockKind(doc.kind)) {
      for (const d of parsed.dependencies) declare(d, file);
      continue;
    }
    for (const d of parsed.dependencies as WithSource[]) {
      const version = d.pinned;
      if (!version && !d.url) continue;
      const h = lockEntryHashes(d.format, doc.text.slice(d.range.start, d.range.end));
      add(d, file, false, version, h);
      // '' for a VCS or folder source locked without a version (pylock.toml records none).
      const k = `${d.ecosystem}:${d.name}`;
      if (!lockedNames.has(k)) lockedNames.set(k, new Set());
      lockedNames.get(k)!.add(version ?? '');
    }
    if ((LOCK_GRAPH_KINDS as readonly string[]).includes(doc.kind)) {
      const eco = lockEcosystem(doc.kind)!;
      const g = parseLockGraph(doc.kind, doc.text);
      for (const [name, node] of g.packages) {
        const to = node.deps.map((dep) => packageKey(eco, dep, g.packages.get(dep)?.version || undefined));
        if (to.length) graph.push({ from: packageKey(eco, name, node.version || undefined), to });
      }
      // A uv or pylock project's own package is in its lock: what it depends on is declared, hence direct.
      for (const root of g.roots ?? []) {
        for (const dep of g.packages.get(root)?.deps ?? []) pending.push({ ecosystem: eco, name: dep, specifier: '', optional: false, file });
      }
    }
  }

  for (const p of pending) {
    const versions = lockedNames.get(`${p.ecosystem}:${p.name}`);
    if (versions) {
      for (const a of byName.get(`${p.ecosystem}:${p.name}`) ?? []) {
        if (!versions.has(a.pkg.version ?? '') || (!a.pkg.version && !a.pkg.source)) continue;
        a.pkg.direct = true;
        if (!p.optional) a.required = true;
        if (!a.pkg.foundIn.includes(p.file)) a.pkg.foundIn.push(p.file);
      }
    } else {
      add({ ecosystem: p.ecosystem, name: p.name, group: p.optional ? 'optional' : undefined } as WithSource, p.file, true, undefined, { specifier: p.specifier || undefined });
    }
  }
  const packages = [...acc.values()].map((a) => ({ ...a.pkg, optional: !a.required, foundIn: [...a.pkg.foundIn].sort() }));
  return { packages, graph };
}

/** Hub models and data sets named by loading calls in Python files and notebooks. */
export async function gatherModels(docs: EngineDocument[], rel: (abs: string) => string): Promise<BomModel[]> {
  const byKey = new Map<string, BomModel>();
  for (const doc of docs) {
    if (!doc.path || (doc.kind !== 'python' && doc.kind !== 'notebook')) continue;
    const cells = doc.kind === 'notebook' ? parseNotebook(doc.text).cells.map((c) => ({ text: c.source, kind: c.kind })) : undefined;
    const { modelRefs } = await analyzeCode(doc, cells, new Map());
    for (const r of modelRefs) {
      if (r.kind !== 'hub') continue;
      const kind = r.call === 'datasets.load_dataset' ? 'dataset' : 'model';
      const key = `${kind}\0${r.id}\0${r.revision ?? ''}`;
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = { id: r.id, kind, ...(r.revision ? { revision: r.revision } : {}), foundIn: [] }));
      const file = rel(doc.path);
      if (!m.foundIn.includes(file)) m.foundIn.push(file);
    }
  }
  return [...byKey.values()];
}
