// Reads package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 and 3: every installed
// package from the v2/v3 `packages` map (`node_modules/a/node_modules/b` keys, workspace and `file:`
// folders, `link: true` entries pointing at them) or the v1 nested `dependencies` tree (walked with
// an explicit stack). Each package is reported once per (name, version, source): registry ones with
// their version (taken from a registry tarball URL when the entry has `resolved` but no `version`),
// aliases under the real name, git/tarball/path/workspace ones with their location and `url` set.
// Also yields the entries' dependency names for the lock graph, and the folders the lock covers.

import type { Node } from 'jsonc-parser';
import type { Dependency, DependencySource, ManifestParseResult, OffsetRange } from '../domain';
import { invalidJsonProblem, jsonChild, stringContents } from './jsonTree';
import { addProblem, dedupeLocked, emptyResult, exactVersion, jsonTooDeep, lockedNpmDependency, lockSpec, MAX_JSON_DEPTH, npmSourceKind, registryOrigin, registryTarball, trimSlashes } from './lockSource';
import { globMatches } from './workspaces';

/** One locked package for the dependency graph: names of what it depends on, as written. */
export interface NpmLockEntry {
  name: string;
  /** The locked version ('' when the lock records none). */
  version: string;
  deps: string[];
}

interface Found {
  dep: Dependency;
  depth: number;
  deps: string[];
}

const DEP_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
const NM = 'node_modules/';

function str(body: Node | undefined, key: string): string | undefined {
  const v = jsonChild(body, key)?.value;
  return typeof v === 'string' ? v : undefined;
}

function flag(body: Node | undefined, key: string): boolean {
  return jsonChild(body, key)?.value === true;
}

/** Dependency names of a map (`{name: spec}`), aliases followed to the real package. */
function depNames(node: Node | undefined): string[] {
  if (node?.type !== 'object') return [];
  const out: string[] = [];
  for (const p of node.children ?? []) {
    const [k, v] = p.children ?? [];
    if (typeof k?.value !== 'string') continue;
    out.push(typeof v?.value === 'string' ? lockSpec(k.value, v.value).name : k.value);
  }
  return out;
}

function groupOf(body: Node | undefined): string {
  if (flag(body, 'dev') || flag(body, 'devOptional')) return 'dev';
  if (flag(body, 'optional')) return 'optional';
  if (flag(body, 'peer')) return 'peer';
  if (flag(body, 'inBundle') || flag(body, 'bundled')) return 'bundled';
  return 'dependencies';
}

function whole(n: Node): OffsetRange {
  return { start: n.offset, end: n.offset + n.length };
}

/** Where a registry-named entry comes from, judged by its resolved location. */
function sourceFromResolved(name: string, resolved: string | undefined, version: string): { source: DependencySource; version: string } {
  if (resolved === undefined) return { source: { kind: 'registry' }, version };
  const kind = npmSourceKind(resolved);
  if (kind === 'tarball') {
    const reg = registryTarball(resolved, name);
    if (reg) return { source: reg.registry ? { kind: 'registry', registry: reg.registry } : { kind: 'registry' }, version: version || reg.version };
    return { source: { kind: 'tarball', url: resolved }, version };
  }
  if (kind) return { source: { kind: kind === 'workspace' || kind === 'patch' ? 'path' : kind, url: resolved }, version };
  return { source: { kind: 'registry' }, version };
}

function readPackages(text: string, packages: Node, result: ManifestParseResult, out: Found[], withEdges: boolean): void {
  const workspaces = workspaceGlobs(jsonChild(packages, ''));
  // Glob matching is bounded: short paths only, and a budget of folders (a real lock has dozens).
  let budget = 10_000;
  const inWorkspace = (folder: string): boolean => folder.length <= 512 && budget-- > 0 && workspaces.some((g) => globMatches(g, folder));
  const linkNames = new Map<string, { name: string; range: OffsetRange }>();
  const props = packages.children ?? [];
  const keys = new Set(props.map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string'));
  // Links first: a workspace or `file:` folder takes the name it is installed under.
  for (const prop of props) {
    const [keyNode, body] = prop.children ?? [];
    const key = keyNode?.value;
    if (typeof key !== 'string' || !flag(body, 'link')) continue;
    const target = str(body, 'resolved');
    const at = key.lastIndexOf(NM);
    if (target === undefined || at < 0) continue;
    const contents = stringContents(text, keyNode!);
    const name = key.slice(at + NM.length);
    if (!linkNames.has(target)) linkNames.set(target, { name, range: contents ? { start: contents.start + at + NM.length, end: contents.end } : whole(keyNode!) });
  }
  const reported = new Set<string>();
  for (const prop of props) {
    const [keyNode, body] = prop.children ?? [];
    const key = keyNode?.value;
    if (!keyNode || typeof key !== 'string' || key === '' || body?.type !== 'object') continue;
    const deps = withEdges ? DEP_KEYS.flatMap((k) => depNames(jsonChild(body, k))) : [];
    const nameNode = jsonChild(body, 'name');
    const declared = str(body, 'name');
    const at = key.lastIndexOf(NM);
    if (flag(body, 'link')) {
      // Reported through its target's own entry when the lock has one.
      const target = str(body, 'resolved');
      if (target === undefined || keys.has(target) || reported.has(target) || at < 0) continue;
      reported.add(target);
      const link = linkNames.get(target)!;
      const kind = inWorkspace(target) ? 'workspace' : 'path';
      out.push({ dep: lockedNpmDependency({ format: 'package-lock.json', name: link.name, version: '', source: { kind, url: target }, range: whole(prop), nameRange: link.range }), depth: 0, deps });
      continue;
    }
    const version = str(body, 'version') ?? '';
    if (at < 0) {
      // A workspace or `file:` folder: named by its `name`, or by the link that installs it.
      const link = linkNames.get(key);
      const name = declared ?? link?.name;
      if (!name) {
        addProblem(result, `package-lock.json entry "${key.slice(0, 200)}" names no package`, whole(keyNode), 'warning');
        continue;
      }
      const kind = inWorkspace(key) ? 'workspace' : 'path';
      const nameRange = (declared && nameNode && stringContents(text, nameNode)) || link?.range || whole(keyNode);
      out.push({ dep: lockedNpmDependency({ format: 'package-lock.json', name, version, source: { kind, url: key }, range: whole(prop), nameRange, group: groupOf(body) }), depth: 0, deps });
      continue;
    }
    const folder = key.slice(at + NM.length);
    if (folder === '') continue;
    const name = declared ?? folder;
    const judged = sourceFromResolved(name, str(body, 'resolved'), version);
    if (judged.source.kind === 'registry' && declared && declared !== folder) judged.source.alias = folder;
    const contents = stringContents(text, keyNode);
    const keyTail = contents ? { start: contents.start + at + NM.length, end: contents.end } : whole(keyNode);
    const nameRange = declared && declared !== folder ? (nameNode && stringContents(text, nameNode)) || keyTail : keyTail;
    const depth = key.split(NM).length - 2;
    if (!judged.version && judged.source.kind === 'registry') addProblem(result, `package-lock.json entry "${key.slice(0, 200)}" records no version`, whole(keyNode), 'warning');
    out.push({ dep: lockedNpmDependency({ format: 'package-lock.json', name, version: judged.version, source: judged.source, range: whole(prop), nameRange, group: groupOf(body) }), depth, deps });
  }
}

function workspaceGlobs(rootEntry: Node | undefined): string[] {
  const ws = jsonChild(rootEntry, 'workspaces');
  const list = ws?.type === 'array' ? ws : jsonChild(ws, 'packages');
  // Capped: every folder entry is matched against each glob (real projects list a handful).
  return (list?.children ?? []).map((c) => c.value).filter((v): v is string => typeof v === 'string' && !v.startsWith('!')).slice(0, 64);
}

/** v1: the nested `dependencies` tree, walked with an explicit stack (no recursion on its depth). */
function readTree(text: string, tree: Node, out: Found[], withEdges: boolean): void {
  const stack: { node: Node; depth: number }[] = [{ node: tree, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const nested: Node[] = [];
    for (const prop of node.children ?? []) {
      const [keyNode, body] = prop.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string' || body?.type !== 'object') continue;
      const installed = keyNode.value;
      const versionNode = jsonChild(body, 'version');
      const raw = typeof versionNode?.value === 'string' ? versionNode.value : '';
      const deps = withEdges ? depNames(jsonChild(body, 'requires')) : [];
      const keyRange = stringContents(text, keyNode) ?? whole(keyNode);
      // An alias is locked as `npm:real@1.2.3`.
      const alias = /^npm:((?:@[^/@]+\/)?[^@/]+)@([^@]+)$/.exec(raw);
      let name = installed;
      let version = raw;
      let source: DependencySource;
      let nameRange = keyRange;
      if (alias) {
        name = alias[1]!;
        version = alias[2]!;
        source = { kind: 'registry', alias: installed };
        const vr = versionNode && stringContents(text, versionNode);
        if (vr) nameRange = { start: vr.start + 4, end: vr.start + 4 + name.length };
      } else if (exactVersion(raw)) {
        source = sourceFromResolved(name, str(body, 'resolved'), raw).source;
        // v1 writes a tarball dependency's URL as its version: a semver one is a registry release.
        if (source.kind === 'tarball') {
          const origin = registryOrigin(source.url ?? '');
          source = origin ? { kind: 'registry', registry: origin } : { kind: 'registry' };
        }
      } else {
        const kind = npmSourceKind(raw);
        source = { kind: kind === undefined || kind === 'workspace' || kind === 'patch' ? 'tarball' : kind, url: raw };
        version = '';
      }
      out.push({ dep: lockedNpmDependency({ format: 'package-lock.json', name, version, source, range: whole(prop), nameRange, group: groupOf(body) }), depth, deps });
      const inner = jsonChild(body, 'dependencies');
      if (inner?.type === 'object') nested.push(inner);
    }
    // Reversed so that the stack pops them in document order.
    for (let i = nested.length - 1; i >= 0; i--) stack.push({ node: nested[i]!, depth: depth + 1 });
  }
}

function readLock(text: string, result: ManifestParseResult, withEdges: boolean): Found[] {
  const out: Found[] = [];
  if (jsonTooDeep(text)) {
    addProblem(result, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { start: 0, end: 0 });
    return out;
  }
  const root = invalidJsonProblem(text, result);
  if (!root) return out;
  if (root.type !== 'object') {
    addProblem(result, 'Expected a JSON object', whole(root));
    return out;
  }
  const packages = jsonChild(root, 'packages');
  const tree = jsonChild(root, 'dependencies');
  if (packages?.type === 'object') readPackages(text, packages, result, out, withEdges);
  else if (tree?.type === 'object') readTree(text, tree, out, withEdges);
  return out;
}

/** Once per (name, version, source), at its shallowest place, shallowest first: the hoisted package
 * (the one the project's own requires resolve to) is the first of its name, which is the version a
 * range in package.json takes (environmentFacts keeps the first locked version of a name). */
function ordered(found: Found[]): Found[] {
  const byDepth = [...found].sort((a, b) => a.depth - b.depth);
  const keep = new Set(dedupeLocked(byDepth.map((f) => f.dep)));
  return byDepth.filter((f) => keep.has(f.dep));
}

export function parsePackageLock(text: string): ManifestParseResult {
  const result = emptyResult('package-lock.json');
  result.dependencies = ordered(readLock(text, result, false)).map((f) => f.dep);
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function packageLockEntries(text: string): NpmLockEntry[] {
  return readLock(text, emptyResult('package-lock.json'), true).map((f) => ({ name: f.dep.name, version: f.dep.pinned ?? '', deps: f.deps }));
}

/** The folders the lock covers: '.' and every workspace or `file:` folder of a v2/v3 lock. */
export function packageLockWorkspaceMembers(text: string): string[] | undefined {
  if (jsonTooDeep(text)) return undefined;
  const scratch = emptyResult('package-lock.json');
  const root = invalidJsonProblem(text, scratch);
  if (root?.type !== 'object' || scratch.problems.length > 0) return undefined;
  const out = ['.'];
  for (const p of jsonChild(root, 'packages')?.children ?? []) {
    const key = p.children?.[0]?.value;
    if (typeof key === 'string' && key !== '' && !key.includes(NM)) out.push(trimSlashes(key));
  }
  return out;
}
