// Reads Bun's text lockfile, bun.lock (JSONC: comments and trailing commas allowed; lockfileVersion
// 0-2; the default lockfile since Bun 1.2; the binary bun.lockb is never read). Every `packages`
// entry is reported once per (name, version, source) under its real name: registry releases with
// their exact version (and the registry when the entry names another), aliases with the name they
// are installed under, git, tarball and local ones with their location and `url` set, workspace
// packages as workspace members; the project itself (`name@root:`) is not reported. Dependencies
// resolve to the copy Bun would use (bunLockTree.ts); the workspaces' own dependency maps are where
// the graph starts, and the first of their sections that reaches a package gives its group.

import { parseTree, type Node } from 'jsonc-parser';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { readBunResolution, splitIdent, type BunResolution } from './bunResolution';
import { keySegments, MAX_KEY_DEPTH, newTree, nodeAt, resolveFrom, type TreeNode } from './bunLockTree';
import { invalidJsonProblem, jsonChild, jsonDepth, stringContents } from './jsonTree';
import { addProblem, dedupeLocked, emptyResult, exactVersion, lockedNpmDependency, lockSpec } from './lockSource';
import type { NpmLockEntry } from './packageLock';

/** The lockfile versions this reader knows (Bun 1.1 wrote 0, 1.2 writes 1, later ones 2). */
const KNOWN_VERSIONS = new Set([0, 1, 2]);
/** Where the graph edges of a package come from (peers are provided by whoever depends on it). */
const EDGE_SECTIONS = ['dependencies', 'optionalDependencies'];
/** A workspace's sections, in the order that decides a reached package's group. */
const GROUP_OF: [string, string][] = [
  ['dependencies', 'dependencies'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
];

interface Pkg {
  key: string;
  prop: Node;
  res: BunResolution;
  nameRange: OffsetRange;
  /** The entry's object of dependencies, os, cpu, bin (absent for workspace entries). */
  info?: Node;
  /** The package names of its key (undefined when the key nests too deep to place). */
  segments?: string[];
  /** Its place in the install tree. */
  node?: TreeNode<Pkg>;
}

interface Workspace {
  path: string;
  name?: string;
  body: Node;
}

interface Read {
  pkgs: Pkg[];
  workspaces: Workspace[];
  tree: TreeNode<Pkg>;
}

function whole(n: Node): OffsetRange {
  return { start: n.offset, end: n.offset + n.length };
}

function excerpt(key: string): string {
  return key.length > 200 ? `${key.slice(0, 200)}…` : key;
}

function strValue(n: Node | undefined): string | undefined {
  return n?.type === 'string' && typeof n.value === 'string' ? n.value : undefined;
}

function checkVersion(root: Node, result: ManifestParseResult): void {
  const v = jsonChild(root, 'lockfileVersion');
  if (v === undefined) addProblem(result, 'bun.lock has no lockfileVersion', { start: root.offset, end: root.offset }, 'warning');
  else if (typeof v.value !== 'number') addProblem(result, 'bun.lock lockfileVersion is not a number', whole(v), 'warning');
  else if (!KNOWN_VERSIONS.has(v.value)) addProblem(result, `bun.lock lockfileVersion ${String(v.value).slice(0, 20)} is newer than this reader knows; read as version 1`, whole(v), 'info');
}

function readWorkspaces(root: Node, result: ManifestParseResult): Workspace[] {
  const ws = jsonChild(root, 'workspaces');
  if (ws === undefined) return [];
  if (ws.type !== 'object') {
    addProblem(result, 'bun.lock "workspaces" is not an object', whole(ws), 'warning');
    return [];
  }
  const out: Workspace[] = [];
  for (const prop of ws.children ?? []) {
    const [keyNode, body] = prop.children ?? [];
    if (typeof keyNode?.value !== 'string' || body?.type !== 'object') {
      addProblem(result, 'bun.lock workspace is not an object', whole(prop), 'warning');
      continue;
    }
    const name = strValue(jsonChild(body, 'name'));
    out.push(name === undefined ? { path: keyNode.value, body } : { path: keyNode.value, name, body });
  }
  return out;
}

function readEntry(text: string, prop: Node, result: ManifestParseResult): Pkg | undefined {
  const [keyNode, value] = prop.children ?? [];
  const key = keyNode?.value;
  if (!keyNode || typeof key !== 'string') return undefined;
  const items = value?.type === 'array' ? (value.children ?? []) : [];
  const ident = strValue(items[0]);
  if (ident === undefined) {
    addProblem(result, `bun.lock entry "${excerpt(key)}" is not a ["name@resolution", ...] array`, whole(keyNode), 'warning');
    return undefined;
  }
  const res = readBunResolution(ident, strValue(items[1]));
  if (!res) {
    addProblem(result, `bun.lock entry "${excerpt(key)}" names no package`, whole(items[0]!), 'warning');
    return undefined;
  }
  if (res.noVersion) addProblem(result, `bun.lock entry "${excerpt(key)}" records no exact version`, whole(items[0]!), 'warning');
  const segments = keySegments(key);
  // A registry release installed under another name is an alias (`"string-width-cjs": ["string-width@4.2.3", ...]`).
  const installed = segments?.[segments.length - 1];
  if (res.source.kind === 'registry' && !res.source.alias && installed && installed !== res.name) res.source.alias = installed;
  const contents = stringContents(text, items[0]!);
  const nameRange = contents ? { start: contents.start + res.nameAt, end: contents.start + res.nameAt + res.name.length } : whole(items[0]!);
  // The object of dependencies sits second, or third after a registry entry's registry string.
  const info = items.slice(1, 4).find((n) => n.type === 'object');
  const pkg: Pkg = { key, prop, res, nameRange };
  if (info) pkg.info = info;
  if (segments) pkg.segments = segments;
  return pkg;
}

function read(text: string, result: ManifestParseResult): Read {
  const tree = newTree<Pkg>();
  const out: Read = { pkgs: [], workspaces: [], tree };
  const root = invalidJsonProblem(text, result);
  if (!root) return out;
  if (root.type !== 'object') {
    addProblem(result, 'Expected a JSON object', whole(root));
    return out;
  }
  checkVersion(root, result);
  out.workspaces = readWorkspaces(root, result);
  const packages = jsonChild(root, 'packages');
  if (packages !== undefined && packages.type !== 'object') addProblem(result, 'bun.lock "packages" is not an object', whole(packages));
  for (const prop of packages?.type === 'object' ? (packages.children ?? []) : []) {
    const pkg = readEntry(text, prop, result);
    if (!pkg) continue;
    out.pkgs.push(pkg);
    if (!pkg.segments) continue;
    const node = nodeAt(tree, pkg.segments, true)!;
    if (node.value !== undefined) {
      addProblem(result, `bun.lock key "${excerpt(pkg.key)}" appears twice`, whole(prop.children![0]!), 'warning');
      continue;
    }
    node.value = pkg;
    pkg.node = node;
  }
  // A workspace package's version is the one its workspace records.
  const versions = new Map(out.workspaces.map((w) => [w.path, exactVersion(strValue(jsonChild(w.body, 'version')) ?? '') ?? '']));
  for (const p of out.pkgs) if (p.res.source.kind === 'workspace') p.res.version = versions.get(p.res.source.url ?? '') ?? '';
  return out;
}

/** A dependency map's names and specs. */
function depsOf(map: Node | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (map?.type !== 'object') return out;
  for (const p of map.children ?? []) {
    const [k, v] = p.children ?? [];
    if (typeof k?.value === 'string') out.push([k.value, strValue(v) ?? '']);
  }
  return out;
}

/** Where a workspace's own dependencies resolve from: its nested node (keyed by its name), else the top. */
function workspaceNode(r: Read, ws: Workspace | undefined): TreeNode<Pkg> {
  if (!ws?.path || !ws.name) return r.tree;
  return nodeAt(r.tree, [ws.name], false) ?? r.tree;
}

interface Edges {
  targets: Map<Pkg, Pkg[]>;
  /** Dependency names as written, aliases followed, for those no entry resolves. */
  unresolved: Map<Pkg, string[]>;
}

function edgesOf(r: Read): Edges {
  const byPath = new Map(r.workspaces.map((w) => [w.path, w]));
  const out: Edges = { targets: new Map(), unresolved: new Map() };
  // Several keys may name one workspace: its dependencies are resolved once, not once per key.
  const memo = new Map<Workspace, { targets: Pkg[]; unresolved: string[] }>();
  for (const pkg of r.pkgs) {
    if (pkg.res.root) continue;
    const ws = pkg.res.source.kind === 'workspace' ? byPath.get(pkg.res.source.url ?? '') : undefined;
    let found = ws && memo.get(ws);
    if (!found) {
      found = resolveEdges(ws ? ws.body : pkg.info, ws ? workspaceNode(r, ws) : (pkg.node ?? r.tree));
      if (ws) memo.set(ws, found);
    }
    out.targets.set(pkg, found.targets);
    if (found.unresolved.length) out.unresolved.set(pkg, found.unresolved);
  }
  return out;
}

function resolveEdges(body: Node | undefined, from: TreeNode<Pkg>): { targets: Pkg[]; unresolved: string[] } {
  const targets: Pkg[] = [];
  const unresolved: string[] = [];
  for (const section of EDGE_SECTIONS) {
    for (const [name, spec] of depsOf(jsonChild(body, section))) {
      const hit = resolveFrom(from, name);
      if (hit) targets.push(hit);
      else unresolved.push(lockSpec(name, spec).name);
    }
  }
  return { targets, unresolved };
}

/** Each package's group: the first workspace section (in GROUP_OF order) that reaches it. */
function groupsOf(r: Read, edges: Edges): Map<Pkg, string> {
  const group = new Map<Pkg, string>();
  // Each edge list is walked once: keys naming one workspace share theirs, and after one walk all
  // its targets have a group.
  const walked = new Set<Pkg[]>();
  for (const [section, name] of GROUP_OF) {
    const queue: Pkg[] = [];
    for (const ws of r.workspaces) {
      const from = workspaceNode(r, ws);
      for (const [dep] of depsOf(jsonChild(ws.body, section))) {
        const hit = resolveFrom(from, dep);
        if (!hit || group.has(hit)) continue;
        group.set(hit, name);
        queue.push(hit);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const targets = edges.targets.get(queue[i]!) ?? [];
      if (walked.has(targets)) continue;
      walked.add(targets);
      for (const next of targets) {
        if (group.has(next)) continue;
        group.set(next, name);
        queue.push(next);
      }
    }
  }
  return group;
}

function toDependency(pkg: Pkg, group: string | undefined): Dependency {
  const { name, version, source } = pkg.res;
  return lockedNpmDependency({ format: 'bun.lock', name, version, source, range: whole(pkg.prop), nameRange: pkg.nameRange, group: group ?? 'dependencies' });
}

export function parseBunLock(text: string): ManifestParseResult {
  const result = emptyResult('bun.lock');
  const r = read(text, result);
  const groups = groupsOf(r, edgesOf(r));
  // Shallowest first, so that a name's hoisted copy (the one the project's ranges resolve to) leads.
  const depth = (p: Pkg) => p.segments?.length ?? MAX_KEY_DEPTH + 1;
  const pkgs = r.pkgs.filter((p) => !p.res.root).sort((a, b) => depth(a) - depth(b));
  result.dependencies = dedupeLocked(pkgs.map((p) => toDependency(p, groups.get(p))));
  return result;
}

/** The locked packages with the real names of what they depend on (for the lock graph). */
export function bunLockEntries(text: string): NpmLockEntry[] {
  const r = read(text, emptyResult('bun.lock'));
  const edges = edgesOf(r);
  // Keys naming one workspace share its edges: listed once, or the output grows as keys x edges.
  const listed = new Set<Pkg[]>();
  return r.pkgs
    .filter((p) => !p.res.root)
    .map((p) => {
      const targets = edges.targets.get(p) ?? [];
      if (listed.has(targets)) return { name: p.res.name, version: p.res.version, deps: [] };
      listed.add(targets);
      return { name: p.res.name, version: p.res.version, deps: [...targets.map((t) => t.res.name), ...(edges.unresolved.get(p) ?? [])] };
    });
}

/** The folders the lock covers: '.' and each workspace folder. Undefined for unreadable text. */
export function bunWorkspaceMembers(text: string): string[] | undefined {
  const scratch = emptyResult('bun.lock');
  const root = invalidJsonProblem(text, scratch);
  if (root?.type !== 'object' || scratch.problems.length > 0) return undefined;
  const ws = jsonChild(root, 'workspaces');
  const paths = (ws?.type === 'object' ? (ws.children ?? []) : []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string' && k !== '');
  return ['.', ...paths];
}

/** What one `packages` entry (`"key": [...]`, as its Dependency range spans it) records for the
 * BOM: its integrity (the last element, when an SRI string) and a download URL when one is written
 * (a tarball resolution, or a registry entry's tarball URL on another registry). */
export function bunEntryFields(entry: string): { integrity?: string; resolved?: string } {
  if (jsonDepth(entry, 64) > 64) return {};
  const items = parseTree(`{${entry}}`, [], { allowTrailingComma: true })?.children?.[0]?.children?.[1];
  if (items?.type !== 'array') return {};
  const list = items.children ?? [];
  const out: { integrity?: string; resolved?: string } = {};
  const last = strValue(list[list.length - 1]);
  if (list.length > 1 && last && /^sha(?:1|256|384|512)-/.test(last)) out.integrity = last;
  const res = splitIdent(strValue(list[0]) ?? '')?.res;
  const registry = strValue(list[1]);
  if (res && /^https?:\/\//i.test(res)) out.resolved = res;
  else if (registry && /^https?:\/\//i.test(registry)) out.resolved = registry;
  return out;
}
