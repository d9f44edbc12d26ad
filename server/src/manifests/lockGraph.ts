// The dependency graph recorded in a lockfile (uv.lock, poetry.lock, pdm.lock), and which direct
// dependencies pull a transitive package in. Lockfiles are generated with a fixed layout, so a line
// scanner reads them (a full TOML parse of a 1,000-package lock takes hundreds of ms; this takes a
// few). Edges to packages absent from the lock (unrequested optional extras) are dropped.
// npm lockfiles (package-lock.json, pnpm-lock.yaml, yarn.lock) come from their parsers' entries;
// their names are kept as published (npm names are case- and punctuation-sensitive).

import type { Ecosystem } from '../domain';
import { packageLockEntries, type NpmLockEntry } from './packageLock';
import { normalizeName } from './pep508';
import { pnpmLockEntries } from './pnpmLock';
import { yarnLockEntries } from './yarnLock';

export interface LockNode {
  /** The locked version (the first one when a forked resolution locks several). */
  version: string;
  /** Normalised names of the packages it depends on (present in the lock, no self-edges). */
  deps: string[];
}

export interface LockGraph {
  packages: Map<string, LockNode>;
  /** The project's own packages (uv.lock editable/virtual workspace members). */
  roots?: string[];
  /** 'npm' when names are kept as written; otherwise PEP 503-normalised (PyPI). */
  ecosystem?: Ecosystem;
}

export const NPM_LOCK_GRAPH_KINDS = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;
export const LOCK_GRAPH_KINDS = ['uv.lock', 'poetry.lock', 'pdm.lock', ...NPM_LOCK_GRAPH_KINDS] as const;
export type LockGraphKind = (typeof LOCK_GRAPH_KINDS)[number];

interface RawPackage {
  name?: string;
  version?: string;
  deps: string[];
  root: boolean;
}

const KEY_RE = /^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=\s*(.*)$/;
const TABLE_NAME_RE = /[{,]\s*name\s*=\s*"([^"]+)"/g;
const STRING_RE = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
const REQ_NAME_RE = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

/** Net bracket depth of a TOML line fragment, ignoring strings and comments. */
function depthDelta(s: string): number {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      for (i++; i < s.length && s[i] !== c; i++) if (c === '"' && s[i] === '\\') i++;
    } else if (c === '#') break;
    else if (c === '[' || c === '{') d++;
    else if (c === ']' || c === '}') d--;
  }
  return d;
}

function stringValue(v: string): string | undefined {
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(v);
  return m ? (m[1] ?? m[2]) : undefined;
}

function tableNames(v: string): string[] {
  return [...v.matchAll(TABLE_NAME_RE)].map((m) => m[1]!);
}

function requirementNames(v: string): string[] {
  const out: string[] = [];
  for (const m of v.matchAll(STRING_RE)) {
    const name = REQ_NAME_RE.exec(m[1] ?? m[2] ?? '')?.[1];
    if (name) out.push(name);
  }
  return out;
}

/** Reads the lockfile's packages and edges. Unsupported kinds and garbage give an empty graph. */
export function parseLockGraph(kind: string, text: string): LockGraph {
  if (kind === 'package-lock.json') return npmGraph(packageLockEntries(text));
  if (kind === 'pnpm-lock.yaml') return npmGraph(pnpmLockEntries(text));
  if (kind === 'yarn.lock') return npmGraph(yarnLockEntries(text));
  const raws = scan(kind, text);
  const packages = new Map<string, LockNode>();
  const roots: string[] = [];
  for (const r of raws) {
    if (r.name === undefined) continue;
    const name = normalizeName(r.name);
    let node = packages.get(name);
    if (!node) packages.set(name, (node = { version: r.version ?? '', deps: [] }));
    for (const d of r.deps) node.deps.push(normalizeName(d));
    if (r.root && !roots.includes(name)) roots.push(name);
  }
  for (const [name, node] of packages) node.deps = [...new Set(node.deps)].filter((d) => d !== name && packages.has(d));
  return kind === 'uv.lock' ? { packages, roots } : { packages };
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

function scan(kind: string, text: string): RawPackage[] {
  const out: RawPackage[] = [];
  if (!['uv.lock', 'poetry.lock', 'pdm.lock'].includes(kind)) return out;
  const lines = text.split(/\r?\n/);
  let pkg: RawPackage | undefined;
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[')) {
      if (/^\[\[\s*package\s*\]\]/.test(trimmed)) {
        out.push((pkg = { deps: [], root: false }));
        section = '';
      } else {
        const sub = /^\[\s*package\.([^\]]+)\]/.exec(trimmed);
        section = sub && pkg ? sub[1]!.trim() : '';
        if (!sub) pkg = undefined;
      }
      continue;
    }
    const kv = KEY_RE.exec(line);
    if (!kv) continue;
    const key = kv[1] ?? kv[2] ?? kv[3]!;
    // Gather a multi-line array or inline table into one value.
    let value = kv[4]!;
    let depth = depthDelta(value);
    while (depth > 0 && i + 1 < lines.length) {
      const next = lines[++i]!;
      value += '\n' + next;
      depth += depthDelta(next);
    }
    if (!pkg) continue;
    readKey(kind, pkg, section, key, value);
  }
  return out;
}

function readKey(kind: string, pkg: RawPackage, section: string, key: string, value: string): void {
  if (section === '') {
    if (key === 'name') pkg.name = stringValue(value);
    else if (key === 'version') pkg.version = stringValue(value);
    else if (key === 'dependencies') pkg.deps.push(...(kind === 'pdm.lock' ? requirementNames(value) : tableNames(value)));
    else if (key === 'source' && kind === 'uv.lock') pkg.root = /\b(editable|virtual)\s*=/.test(value);
    return;
  }
  if (kind === 'poetry.lock' && section === 'dependencies') pkg.deps.push(key);
  else if (kind === 'uv.lock' && (section === 'optional-dependencies' || section === 'dev-dependencies')) pkg.deps.push(...tableNames(value));
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
