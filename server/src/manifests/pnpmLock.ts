// Reads pnpm-lock.yaml of every generation (v5 `/name/1.2.3`, v6 `/name@1.2.3(peer@1)`, v9
// `name@1.2.3` with edges under `snapshots`), and every YAML document of it: pnpm 11+ writes an
// env document first (config dependencies and pnpm itself) before the project's own; scanners are
// to read both. Every `packages:` entry is reported once per (name, version, source): registry
// ones with their exact version (and the registry when it is not the default one), git, tarball and
// directory ones with their location and `url` set, so they are never looked up as the registry
// package of that name. A name is never made up from a `file:` key: it comes from the entry's
// `name:` or from a reference that installs it.

import type { Dependency, DependencySource, ManifestParseResult, OffsetRange } from '../domain';
import { addProblem, dedupeLocked, emptyResult, exactVersion, lockedNpmDependency, npmSourceKind, registryOrigin, registryTarball } from './lockSource';
import { scanYaml, yGet, yPairs, ySubRange, yText, type YMap, type YNode, type YPair, type YScalar } from './lockYaml';
import type { NpmLockEntry } from './packageLock';
import { parsePnpmKey, pnpmReference, type PnpmKey } from './pnpmKey';

export { parsePnpmKey } from './pnpmKey';

const IMPORTER_SECTIONS = ['dependencies', 'optionalDependencies', 'devDependencies', 'configDependencies', 'packageManagerDependencies'] as const;
const GROUP_OF: Record<(typeof IMPORTER_SECTIONS)[number], string> = {
  dependencies: 'dependencies',
  optionalDependencies: 'optional',
  devDependencies: 'dev',
  configDependencies: 'config',
  packageManagerDependencies: 'packageManager',
};
const EDGE_SECTIONS = ['dependencies', 'optionalDependencies'];
// Package fields no reader here needs: skipped while scanning, to keep big locks small in memory.
const SKIPPED_FIELDS = new Set(['engines', 'cpu', 'os', 'libc', 'transitivePeerDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bundledDependencies', 'deprecated', 'hasBin', 'requiresBuild', 'funding', 'bin']);

interface Read {
  deps: Dependency[];
  entries: NpmLockEntry[];
}

interface Doc {
  root: YMap;
  env: boolean;
}

function documents(text: string, result: ManifestParseResult): Doc[] {
  const scan = scanYaml(text, { skip: (key, depth) => depth === 2 && SKIPPED_FIELDS.has(key) });
  for (const p of scan.problems) addProblem(result, p.message, p.range);
  const maps = scan.documents.map((d) => d.root).filter((r): r is YMap => r?.kind === 'map');
  const stray = scan.documents.find((d) => d.root && d.root.kind !== 'map');
  if (stray && scan.problems.length === 0) addProblem(result, 'Expected a mapping with `packages:`', { start: stray.start, end: stray.start });
  // Every document but the last is an env document (pnpm writes at most one, first).
  return maps.map((root, i) => ({ root, env: i < maps.length - 1 }));
}

/** The importers of a document: `importers:` (workspaces, v5.3+), or the root itself (older single-project locks). */
function importersOf(root: YMap): YPair[] {
  const imp = yGet(root, 'importers');
  if (imp?.kind === 'map') return imp.pairs;
  return [{ key: { kind: 'scalar', value: '.', start: 0, end: 0 }, value: root, start: 0, end: 0 }];
}

/** The version reference of an importer entry: `{specifier, version}` (v6+) or a plain string (v5). */
function importerVersion(v: YNode | undefined): string | undefined {
  return v?.kind === 'map' ? yText(yGet(v, 'version')) : yText(v);
}

function lockMajor(root: YMap): number {
  const v = Number.parseFloat(yText(yGet(root, 'lockfileVersion')) ?? '');
  return Number.isFinite(v) ? v : 0;
}

/** Where the entry comes from: its `resolution`, else its key. */
function sourceOf(key: PnpmKey, body: YNode | undefined): DependencySource {
  const res = yGet(body, 'resolution');
  const commit = yText(yGet(res, 'commit'));
  const repo = yText(yGet(res, 'repo'));
  const type = yText(yGet(res, 'type'));
  const tarball = yText(yGet(res, 'tarball'));
  const directory = yText(yGet(res, 'directory'));
  if (type === 'git' || repo) {
    const path = yText(yGet(res, 'path'));
    return { kind: 'git', url: `${repo ?? key.ref}${commit ? `#${commit}` : ''}${path ? `&path:${path}` : ''}` };
  }
  if (type === 'directory' || directory !== undefined) return { kind: 'path', url: directory ?? key.ref };
  if (tarball !== undefined) {
    if (tarball.startsWith('file:')) return { kind: 'path', url: tarball };
    if (key.version) {
      // A registry release fetched from a tarball URL: another registry (or a mirror).
      const reg = key.name ? registryTarball(tarball, key.name) : undefined;
      const registry = reg ? reg.registry : registryOrigin(tarball);
      return registry ? { kind: 'registry', registry } : { kind: 'registry' };
    }
    return { kind: npmSourceKind(tarball) ?? 'tarball', url: tarball };
  }
  if (key.version) return key.registry ? { kind: 'registry', registry: key.registry } : { kind: 'registry' };
  const kind = npmSourceKind(key.ref);
  return { kind: kind === 'patch' || kind === undefined ? 'tarball' : kind, url: key.ref };
}

/** Names that references give to keys without one (`file:` keys of v5/v6 locks without `name:`),
 * with the referencing key (where the name is written). */
function referencedNames(doc: Doc): Map<string, YScalar> {
  const out = new Map<string, YScalar>();
  const note = (depKey: YScalar, v: string | undefined) => {
    if (v !== undefined && !out.has(v)) out.set(v, depKey);
  };
  for (const imp of importersOf(doc.root)) {
    for (const s of IMPORTER_SECTIONS) for (const p of yPairs(yGet(imp.value, s))) note(p.key, importerVersion(p.value));
  }
  for (const section of ['packages', 'snapshots']) {
    for (const pkg of yPairs(yGet(doc.root, section))) {
      for (const s of EDGE_SECTIONS) for (const p of yPairs(yGet(pkg.value, s))) note(p.key, yText(p.value));
    }
  }
  return out;
}

/** Real names of a body's dependency entries (aliases followed). */
function edgeNames(body: YNode | undefined): string[] {
  const out: string[] = [];
  for (const s of EDGE_SECTIONS) {
    for (const p of yPairs(yGet(body, s))) {
      const ref = pnpmReference(p.key.value, yText(p.value) ?? '');
      out.push(ref ? ref.name : p.key.value);
    }
  }
  return out;
}

/** v9 packages carry no dev flags: a package's group is the first importer section reaching it. */
function groupsByReach(doc: Doc): Map<string, string> {
  const edges = new Map<string, string[]>();
  const addEdges = (key: string, body: YNode | undefined) => {
    const id = parsePnpmKey(key).id;
    let list = edges.get(id);
    if (!list) edges.set(id, (list = []));
    for (const s of EDGE_SECTIONS) {
      for (const p of yPairs(yGet(body, s))) {
        const ref = pnpmReference(p.key.value, yText(p.value) ?? '');
        if (ref) list.push(ref.id);
      }
    }
  };
  for (const p of yPairs(yGet(doc.root, 'snapshots'))) addEdges(p.key.value, p.value);
  for (const p of yPairs(yGet(doc.root, 'packages'))) addEdges(p.key.value, p.value);
  const group = new Map<string, string>();
  for (const section of IMPORTER_SECTIONS) {
    const queue: string[] = [];
    for (const imp of importersOf(doc.root)) {
      for (const p of yPairs(yGet(imp.value, section))) {
        const ref = pnpmReference(p.key.value, importerVersion(p.value) ?? '');
        if (ref && !group.has(ref.id)) {
          group.set(ref.id, GROUP_OF[section]);
          queue.push(ref.id);
        }
      }
    }
    for (let i = 0; i < queue.length; i++) {
      for (const next of edges.get(queue[i]!) ?? []) {
        if (group.has(next)) continue;
        group.set(next, GROUP_OF[section]);
        queue.push(next);
      }
    }
  }
  return group;
}

/** The package ids the importers depend on directly (the versions their ranges resolved to). */
function directIds(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const imp of importersOf(doc.root)) {
    for (const s of IMPORTER_SECTIONS) {
      for (const p of yPairs(yGet(imp.value, s))) {
        const ref = pnpmReference(p.key.value, importerVersion(p.value) ?? '');
        if (ref) out.add(ref.id);
      }
    }
  }
  return out;
}

function readDoc(doc: Doc, result: ManifestParseResult, out: Read, withEdges: boolean): void {
  const v9 = lockMajor(doc.root) >= 7;
  // The importers' own versions go first: a manifest's range takes the first locked version of a
  // name that satisfies it, and the one an importer resolved to is the one it runs with.
  const direct = directIds(doc);
  const later: Dependency[] = [];
  // Only v5/v6 `file:` keys without `name:` need the names references give; most locks have none.
  let names: Map<string, YScalar> | undefined;
  const reach = v9 || doc.env ? groupsByReach(doc) : undefined;
  const snapshotEdges = new Map<string, string[]>();
  if (withEdges) {
    for (const p of yPairs(yGet(doc.root, 'snapshots'))) {
      const id = parsePnpmKey(p.key.value).id;
      const list = snapshotEdges.get(id);
      if (list) list.push(...edgeNames(p.value));
      else snapshotEdges.set(id, edgeNames(p.value));
    }
  }
  for (const p of yPairs(yGet(doc.root, 'packages'))) {
    const key = parsePnpmKey(p.key.value);
    const body = p.value;
    const nameNode = yGet(body, 'name');
    const declared = yText(nameNode);
    let referrer: YScalar | undefined;
    if (declared === undefined && key.name === undefined) {
      names ??= referencedNames(doc);
      referrer = names.get(p.key.value) ?? names.get(key.id);
    }
    const name = declared ?? key.name ?? referrer?.value;
    const keyRange: OffsetRange = { start: p.key.start, end: p.key.end };
    if (!name) {
      addProblem(result, `pnpm-lock.yaml entry ${p.key.value.slice(0, 200)} names no package`, keyRange, 'warning');
      continue;
    }
    const source = sourceOf(key, body);
    const version = key.version ?? exactVersion(yText(yGet(body, 'version')) ?? '') ?? '';
    let nameRange: OffsetRange | undefined;
    if (declared !== undefined && nameNode?.kind === 'scalar') nameRange = ySubRange(nameNode);
    else if (key.name === name) nameRange = ySubRange(p.key, key.nameStart, key.nameStart + name.length);
    else if (referrer) nameRange = ySubRange(referrer);
    const dev = yText(yGet(body, 'dev'));
    const optional = yText(yGet(body, 'optional')) === 'true';
    const group = dev === 'true' ? 'dev' : dev === 'false' ? (optional ? 'optional' : 'dependencies') : optional ? 'optional' : (reach?.get(key.id) ?? (doc.env ? 'config' : 'dependencies'));
    const dep = lockedNpmDependency({ format: 'pnpm-lock.yaml', name, version, source, range: { start: p.start, end: Math.max(p.end, keyRange.end) }, nameRange: nameRange ?? keyRange, group });
    if (direct.has(key.id)) out.deps.push(dep);
    else later.push(dep);
    if (withEdges) out.entries.push({ name, version, deps: [...edgeNames(body), ...(snapshotEdges.get(key.id) ?? [])] });
  }
  out.deps.push(...later);
}

function read(text: string, result: ManifestParseResult, withEdges: boolean): Read {
  const out: Read = { deps: [], entries: [] };
  // The project document first: a package both documents lock is reported with the project's.
  const docs = documents(text, result);
  for (const doc of [...docs.slice(-1), ...docs.slice(0, -1)]) readDoc(doc, result, out, withEdges);
  out.deps = dedupeLocked(out.deps);
  return out;
}

export function parsePnpmLock(text: string): ManifestParseResult {
  const result = emptyResult('pnpm-lock.yaml');
  result.dependencies = read(text, result, false).deps;
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function pnpmLockEntries(text: string): NpmLockEntry[] {
  return read(text, emptyResult('pnpm-lock.yaml'), true).entries;
}

/** The workspace folders the lock covers: the importers of its project document, relative to the
 * lockfile ('.' is the root). Reads only the top-level keys it needs. */
export function pnpmWorkspaceMembers(text: string): string[] | undefined {
  const scan = scanYaml(text, { skip: (key, depth) => depth === 0 && key !== 'importers' && key !== 'lockfileVersion' });
  const roots = scan.documents.map((d) => d.root).filter((r): r is YMap => r?.kind === 'map');
  const project = roots[roots.length - 1];
  if (!project) return undefined;
  const imp = yGet(project, 'importers');
  return imp?.kind === 'map' ? imp.pairs.map((p) => p.key.value) : ['.'];
}
