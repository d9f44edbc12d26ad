// The dependency graph recorded in a lockfile, and which direct dependencies pull a transitive
// package in. Python locks (uv.lock, poetry.lock, pdm.lock, pylock.toml) are read with the linear TOML lock
// scanner; npm lockfiles (package-lock.json, pnpm-lock.yaml, yarn.lock) come from their parsers'
// entries, with names kept as published (npm names are case- and punctuation-sensitive). Every
// locked package is a node, git, URL and path sources included. Edges to packages absent from the
// lock (unrequested optional extras) are dropped.

import type { Ecosystem } from '../domain';
import { emptyResult } from './lockSource';
import { tGet, tItems, tString, type TTable, type TValue } from './lockToml';
import { packageLockEntries, type NpmLockEntry } from './packageLock';
import { normalizeName } from './pep508';
import { pnpmLockEntries } from './pnpmLock';
import { isPylockRoot, PYLOCK_LAYOUT } from './pylock';
import { scanTomlLock } from './tomlLock';
import { yarnLockEntries } from './yarnLock';
import { bunLockEntries } from './bunLock';

export interface LockNode {
  /** The locked version (the first one when a forked resolution locks several; '' when none). */
  version: string;
  /** Normalised names of the packages it depends on (present in the lock, no self-edges). */
  deps: string[];
}

export interface LockGraph {
  packages: Map<string, LockNode>;
  /** The project's own packages (uv.lock editable/virtual workspace members, pylock.toml editable or
   * own-folder directory sources). */
  roots?: string[];
  /** 'npm' when names are kept as written; otherwise PEP 503-normalised (PyPI). */
  ecosystem?: Ecosystem;
}

export const NPM_LOCK_GRAPH_KINDS = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'] as const;
export const LOCK_GRAPH_KINDS = ['uv.lock', 'poetry.lock', 'pdm.lock', 'pylock.toml', ...NPM_LOCK_GRAPH_KINDS] as const;
export type LockGraphKind = (typeof LOCK_GRAPH_KINDS)[number];
/** The Python locks read with the TOML lock scanner (the other graph kinds are npm's). */
const TOML_GRAPH_KINDS: ReadonlySet<string> = new Set(LOCK_GRAPH_KINDS.filter((k) => !(NPM_LOCK_GRAPH_KINDS as readonly string[]).includes(k)));

/** The name a PEP 508 requirement string starts with. */
function requirementName(req: string): string | undefined {
  let i = 0;
  while (i < req.length && (req[i] === ' ' || req[i] === '\t')) i++;
  const start = i;
  while (i < req.length && /[A-Za-z0-9._-]/.test(req[i]!)) i++;
  return i > start ? req.slice(start, i) : undefined;
}

/** Names of `[{ name = "x" }, ...]` (uv, pylock.toml) or `["x>=1", ...]` (pdm). */
function listNames(list: TValue | undefined): string[] {
  const out: string[] = [];
  for (const item of tItems(list)) {
    const name = item.kind === 'string' ? requirementName(item.value) : tString(tGet(item, 'name'));
    if (name) out.push(name);
  }
  return out;
}

function edgesOf(kind: string, pkg: TTable): string[] {
  if (kind === 'poetry.lock') {
    const deps = tGet(pkg, 'dependencies');
    return deps?.kind === 'table' ? [...deps.entries.keys()] : [];
  }
  const out = listNames(tGet(pkg, 'dependencies'));
  if (kind === 'uv.lock') {
    for (const section of ['optional-dependencies', 'dev-dependencies']) {
      const groups = tGet(pkg, section);
      if (groups?.kind === 'table') for (const list of groups.entries.values()) out.push(...listNames(list));
    }
  }
  return out;
}

function isUvRoot(pkg: TTable): boolean {
  const src = tGet(pkg, 'source');
  return tGet(src, 'editable') !== undefined || tGet(src, 'virtual') !== undefined;
}

/** Reads the lockfile's packages and edges. Unsupported kinds and garbage give an empty graph. */
export function parseLockGraph(kind: string, text: string): LockGraph {
  if (kind === 'package-lock.json') return npmGraph(packageLockEntries(text));
  if (kind === 'pnpm-lock.yaml') return npmGraph(pnpmLockEntries(text));
  if (kind === 'yarn.lock') return npmGraph(yarnLockEntries(text));
  if (kind === 'bun.lock') return npmGraph(bunLockEntries(text));
  const packages = new Map<string, LockNode>();
  if (!TOML_GRAPH_KINDS.has(kind)) return { packages };
  const roots = new Set<string>();
  const pylock = kind === 'pylock.toml';
  for (const pkg of scanTomlLock(text, emptyResult('uv.lock'), pylock ? PYLOCK_LAYOUT : undefined).packages) {
    const raw = tString(tGet(pkg, 'name'));
    if (raw === undefined) continue;
    const name = normalizeName(raw);
    let node = packages.get(name);
    if (!node) packages.set(name, (node = { version: tString(tGet(pkg, 'version')) ?? '', deps: [] }));
    for (const d of edgesOf(kind, pkg)) node.deps.push(normalizeName(d));
    if ((kind === 'uv.lock' && isUvRoot(pkg)) || (pylock && isPylockRoot(pkg))) roots.add(name);
  }
  for (const [name, node] of packages) node.deps = [...new Set(node.deps)].filter((d) => d !== name && packages.has(d));
  return kind === 'uv.lock' || pylock ? { packages, roots: [...roots] } : { packages };
}

/** npm locks hold several versions of one name; the graph merges them (the first version stays). */
function npmGraph(entries: NpmLockEntry[]): LockGraph {
  const packages = new Map<string, LockNode>();
  for (const e of entries) {
    const node = packages.get(e.name);
    if (node) node.deps.push(...e.deps);
    else packages.set(e.name, { version: e.version, deps: [...e.deps] });
  }
  for (const [name, node] of packages) node.deps = [...new Set(node.deps)].filter((d) => d !== name && packages.has(d));
  return { packages, ecosystem: 'npm' };
}

/** The graph's key for a name: as written for npm, PEP 503-normalised otherwise. */
function keyOf(graph: LockGraph, name: string): string {
  return graph.ecosystem === 'npm' ? name : normalizeName(name);
}

const reverseCache = new WeakMap<LockGraph, Map<string, string[]>>();

function reverseIndex(graph: LockGraph): Map<string, string[]> {
  let rev = reverseCache.get(graph);
  if (rev) return rev;
  rev = new Map();
  for (const [name, node] of graph.packages) {
    for (const d of node.deps) {
      const list = rev.get(d);
      if (list) list.push(name);
      else rev.set(d, [name]);
    }
  }
  reverseCache.set(graph, rev);
  return rev;
}

/** The direct dependencies (names declared in the project's manifest) that pull `transitiveName`
 * in, nearest first (alphabetical within one distance). The search walks reverse edges and stops
 * at each direct dependency found: one that is only reached through another direct dependency is
 * not reported. Cycle-safe. The package itself is never in the result. */
export function directDependentsOf(graph: LockGraph, transitiveName: string, directNames: ReadonlySet<string>): string[] {
  const target = keyOf(graph, transitiveName);
  const direct = new Set([...directNames].map((n) => keyOf(graph, n)));
  const rev = reverseIndex(graph);
  const seen = new Set([target]);
  const out: string[] = [];
  let frontier = [target];
  while (frontier.length > 0) {
    const next: string[] = [];
    const found: string[] = [];
    for (const n of frontier) {
      for (const p of rev.get(n) ?? []) {
        if (seen.has(p)) continue;
        seen.add(p);
        if (direct.has(p)) found.push(p);
        else next.push(p);
      }
    }
    out.push(...found.sort());
    frontier = next;
  }
  return out;
}

/** A shortest chain `from -> ... -> to` (normalised names), or undefined when `to` is not reachable. */
export function dependencyChain(graph: LockGraph, from: string, to: string): string[] | undefined {
  const start = keyOf(graph, from);
  const goal = keyOf(graph, to);
  if (!graph.packages.has(start)) return undefined;
  const parent = new Map<string, string | null>([[start, null]]);
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const n of frontier) {
      if (n === goal) {
        const chain: string[] = [];
        for (let c: string | null | undefined = n; c; c = parent.get(c)) chain.unshift(c);
        return chain;
      }
      for (const d of graph.packages.get(n)?.deps ?? []) {
        if (parent.has(d)) continue;
        parent.set(d, n);
        next.push(d);
      }
    }
    frontier = next;
  }
  return undefined;
}
