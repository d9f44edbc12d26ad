// Reads package-lock.json / npm-shrinkwrap.json: every installed package with its exact version,
// from the v2/v3 `packages` map (`node_modules/a/node_modules/b` keys) or the v1 nested
// `dependencies` tree. Also yields the entries' dependency names for the lock graph.

import type { Node } from 'jsonc-parser';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { exactPin } from '../versions/semver';
import { invalidJsonProblem, jsonChild, stringContents } from './jsonTree';

/** One locked package for the dependency graph: names of what it depends on, as written. */
export interface NpmLockEntry {
  name: string;
  version: string;
  deps: string[];
}

interface Found {
  dep: Dependency;
  depth: number;
  deps: string[];
}

const NON_REGISTRY_RE = /^(?:git\+|git:|github:|gitlab:|bitbucket:|file:|link:)/;
const DEP_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

function keysOf(node: Node | undefined): string[] {
  if (node?.type !== 'object') return [];
  return (node.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string');
}

function flag(body: Node | undefined, key: string): boolean {
  return jsonChild(body, key)?.value === true;
}

function groupOf(body: Node | undefined): string {
  if (flag(body, 'dev') || flag(body, 'devOptional')) return 'dev';
  if (flag(body, 'optional')) return 'optional';
  if (flag(body, 'peer')) return 'peer';
  return 'dependencies';
}

function makeDep(prop: Node, nameRange: OffsetRange, name: string, version: string, body: Node | undefined): Dependency {
  const dep: Dependency = {
    ecosystem: 'npm',
    name,
    rawName: name,
    specifier: version,
    extras: [],
    format: 'package-lock.json',
    group: groupOf(body),
    range: { start: prop.offset, end: prop.offset + prop.length },
    nameRange,
    editStyle: 'none',
  };
  const resolved = jsonChild(body, 'resolved')?.value;
  const pinned = exactPin(version);
  if (typeof resolved === 'string' && NON_REGISTRY_RE.test(resolved)) dep.url = resolved;
  else if (!pinned) dep.url = version;
  else dep.pinned = pinned;
  if (dep.url) dep.specifier = '';
  return dep;
}

function readPackages(text: string, packages: Node, out: Found[]): void {
  for (const prop of packages.children ?? []) {
    const [keyNode, body] = prop.children ?? [];
    const key = keyNode?.value;
    // "" is the project itself; keys without node_modules are workspace sources; links point at them.
    if (!keyNode || typeof key !== 'string' || body?.type !== 'object' || flag(body, 'link')) continue;
    const at = key.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const folder = key.slice(at + 'node_modules/'.length);
    const version = jsonChild(body, 'version')?.value;
    if (folder === '' || typeof version !== 'string') continue;
    const declared = jsonChild(body, 'name')?.value;
    const contents = stringContents(text, keyNode);
    const nameRange = contents ? { start: contents.start + at + 'node_modules/'.length, end: contents.end } : { start: keyNode.offset, end: keyNode.offset + keyNode.length };
    const depth = key.split('node_modules/').length - 2;
    const deps = DEP_KEYS.flatMap((k) => keysOf(jsonChild(body, k)));
    out.push({ dep: makeDep(prop, nameRange, typeof declared === 'string' ? declared : folder, version, body), depth, deps });
  }
}

function readTree(text: string, tree: Node, depth: number, out: Found[]): void {
  for (const prop of tree.children ?? []) {
    const [keyNode, body] = prop.children ?? [];
    if (!keyNode || typeof keyNode.value !== 'string' || body?.type !== 'object') continue;
    const raw = jsonChild(body, 'version')?.value;
    if (typeof raw === 'string') {
      // An alias is locked as `npm:real@1.2.3`.
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(raw);
      const nameRange = stringContents(text, keyNode) ?? { start: keyNode.offset, end: keyNode.offset + keyNode.length };
      const deps = keysOf(jsonChild(body, 'requires'));
      out.push({ dep: makeDep(prop, nameRange, alias ? alias[1]! : keyNode.value, alias ? alias[2]! : raw, body), depth, deps });
    }
    const nested = jsonChild(body, 'dependencies');
    if (nested?.type === 'object') readTree(text, nested, depth + 1, out);
  }
}

function readLock(text: string, result: ManifestParseResult): Found[] {
  const root = invalidJsonProblem(text, result);
  const out: Found[] = [];
  if (!root) return out;
  if (root.type !== 'object') {
    result.problems.push({ message: 'Expected a JSON object', range: { start: root.offset, end: root.offset + root.length }, severity: 'error' });
    return out;
  }
  const packages = jsonChild(root, 'packages');
  const tree = jsonChild(root, 'dependencies');
  if (packages?.type === 'object') readPackages(text, packages, out);
  else if (tree?.type === 'object') readTree(text, tree, 0, out);
  // The engine keeps the last locked version per name: hoisted packages, which the project's own
  // requires resolve to, go last. The sort is stable, so document order holds within one depth.
  return out.sort((a, b) => b.depth - a.depth);
}

export function parsePackageLock(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'package-lock.json', dependencies: [], includes: [], indexUrls: [], problems: [] };
  result.dependencies = readLock(text, result).map((f) => f.dep);
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function packageLockEntries(text: string): NpmLockEntry[] {
  const scratch: ManifestParseResult = { format: 'package-lock.json', dependencies: [], includes: [], indexUrls: [], problems: [] };
  return readLock(text, scratch)
    .filter((f) => f.dep.pinned)
    .map((f) => ({ name: f.dep.name, version: f.dep.pinned!, deps: f.deps }));
}
