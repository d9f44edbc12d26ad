// Reads yarn.lock: the classic v1 format (`"a@^1", a@~1.2:` headers, `  version "1.2.3"`), read by
// a line scanner, and yarn berry's YAML (yarnBerry.ts). Every entry is reported once per (name,
// version, source) under its real name (`alias@npm:real@^1` follows the alias): registry ones with
// their version (and the registry when a resolved URL shows another one), git, tarball and path
// ones with their location and `url` set. Headers are split by a character scan (a header regex was
// quadratic on hostile input).

import type { Dependency, DependencySource, ManifestParseResult, OffsetRange } from '../domain';
import { addProblem, dedupeLocked, emptyResult, exactVersion, lockedNpmDependency, type LockSpec, lockSpec, npmSourceKind, registryOrigin, registryTarball } from './lockSource';
import type { NpmLockEntry } from './packageLock';
import { readBerry, splitDescriptor } from './yarnBerry';

export interface YarnRead {
  deps: Dependency[];
  entries: NpmLockEntry[];
  /** Workspace folders (berry `workspace:` entries). */
  members: string[];
}

interface Descriptor {
  /** The descriptor text (unquoted). */
  text: string;
  /** Offset of `text` in the document, when the source text equals it (no escapes). */
  at?: number;
}

/** Splits a v1 header (the line without its final `:`) at commas outside double quotes. */
export function headerDescriptors(line: string, lineStart: number): Descriptor[] {
  const out: Descriptor[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let j = i + 1;
      let escaped = false;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\') {
          escaped = true;
          j++;
        }
        j++;
      }
      const raw = line.slice(i + 1, Math.min(j, line.length));
      out.push(escaped ? { text: unescapeJson(raw) } : { text: raw, at: lineStart + i + 1 });
      i = j + 1;
      while (i < line.length && line[i] !== ',') i++;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ',') j++;
      let e = j;
      while (e > i && (line[e - 1] === ' ' || line[e - 1] === '\t')) e--;
      if (e > i) out.push({ text: line.slice(i, e), at: lineStart + i });
      i = j;
    }
    i++; // the comma
  }
  return out;
}

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return unescapeJson(t.slice(1, -1));
  return t;
}

interface Entry {
  descs: Descriptor[];
  headerStart: number;
  headerEnd: number;
  end: number;
  version?: string;
  resolved?: string;
  deps: string[];
}

/** Where a v1 entry comes from: a non-registry range of its header, else its resolved URL. */
function sourceOfV1(name: string, specs: LockSpec[], resolved: string | undefined): DependencySource {
  const url = specs.find((s) => s.url)?.url;
  if (url) {
    const kind = npmSourceKind(url) ?? 'tarball';
    return { kind: kind === 'workspace' || kind === 'patch' ? 'path' : kind, url: resolved && kind !== 'path' ? resolved : url };
  }
  if (resolved) {
    const kind = npmSourceKind(resolved);
    if (kind === 'git' || kind === 'path') return { kind, url: resolved };
    const reg = registryTarball(resolved, name);
    const registry = reg ? reg.registry : registryOrigin(resolved);
    if (registry) return { kind: 'registry', registry };
  }
  return { kind: 'registry' };
}

function nameRangeV1(e: Entry, name: string): OffsetRange {
  for (const d of e.descs) {
    const parts = splitDescriptor(d.text) ?? { name: d.text, range: '', at: d.text.length };
    if (d.at !== undefined && parts.name === name) return { start: d.at, end: d.at + name.length };
  }
  for (const d of e.descs) {
    const parts = splitDescriptor(d.text);
    if (d.at !== undefined && parts?.range.startsWith(`npm:${name}@`)) {
      const at = d.at + parts.at + 5;
      return { start: at, end: at + name.length };
    }
  }
  const first = e.descs[0];
  return first?.at !== undefined ? { start: first.at, end: first.at + first.text.length } : { start: e.headerStart, end: e.headerEnd };
}

function flushV1(e: Entry, out: YarnRead, result: ManifestParseResult): void {
  // `pkg:` (no range) and `pkg@:` (an empty one) both name pkg.
  const specs = e.descs.map((d) => {
    const parts = splitDescriptor(d.text);
    return lockSpec(parts ? parts.name : d.text, parts ? parts.range : '');
  });
  // Descriptors naming different packages (hand-merged headers): the resolved tarball decides.
  const names = [...new Set(specs.map((s) => s.name))];
  // (A real header names one or two; a hostile one with thousands is not searched.)
  const name = (names.length > 1 && names.length <= 16 && e.resolved ? names.find((n) => registryTarball(e.resolved!, n)) : undefined) ?? names[0];
  if (!name) {
    addProblem(result, 'yarn.lock entry without a package name', { start: e.headerStart, end: e.headerEnd }, 'warning');
    return;
  }
  const mine = specs.filter((s) => s.name === name);
  const source = sourceOfV1(name, mine, e.resolved);
  if (mine.every((s) => s.alias) && source.kind === 'registry') {
    const alias = splitDescriptor(e.descs[specs.indexOf(mine[0]!)]!.text)?.name;
    if (alias && alias !== name) source.alias = alias;
  }
  let version = exactVersion(e.version ?? '') ?? '';
  if (!version && e.resolved) version = registryTarball(e.resolved, name)?.version ?? '';
  if (!version && source.kind === 'registry') addProblem(result, `yarn.lock entry for ${name} records no version`, { start: e.headerStart, end: e.headerEnd }, 'warning');
  const dep = lockedNpmDependency({ format: 'yarn.lock', name, version, source, range: { start: e.headerStart, end: e.end }, nameRange: nameRangeV1(e, name) });
  // Without a version, the header's range is what the lock promises.
  if (!version) dep.specifier = mine.find((s) => s.range)?.range ?? '';
  out.deps.push(dep);
  out.entries.push({ name, version, deps: e.deps });
}

function readV1(text: string, result: ManifestParseResult): YarnRead {
  const out: YarnRead = { deps: [], entries: [], members: [] };
  let cur: Entry | undefined;
  let inDeps = false;
  let pos = 0;
  while (pos < text.length) {
    const lineStart = pos;
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    pos = nl + 1;
    const line = text.charCodeAt(nl - 1) === 13 ? text.slice(lineStart, nl - 1) : text.slice(lineStart, nl);
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (cur) flushV1(cur, out, result);
      cur = undefined;
      const body = line.trimEnd();
      if (!body.endsWith(':')) {
        addProblem(result, 'Unexpected line in yarn.lock (expected `name@range:`)', { start: lineStart, end: lineStart + line.length }, 'warning');
        continue;
      }
      cur = { descs: headerDescriptors(body.slice(0, -1), lineStart), headerStart: lineStart, headerEnd: lineStart + line.length, end: lineStart + line.length, deps: [] };
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    cur.end = lineStart + line.length;
    if (indent <= 2) {
      inDeps = t === 'dependencies:' || t === 'optionalDependencies:';
      const space = t.search(/\s/);
      const k = space > 0 ? t.slice(0, space) : t;
      if (k === 'version' || k === 'resolved') cur[k] = unquote(t.slice(space + 1));
    } else if (inDeps) {
      // `name "range"` or `"@scope/name" "range"`; an alias range names the real package.
      const quoted = t.startsWith('"');
      const close = quoted ? t.indexOf('"', 1) : t.search(/\s/);
      if (close <= 0) continue;
      const depName = quoted ? t.slice(1, close) : t.slice(0, close);
      const range = unquote(t.slice(close + 1));
      cur.deps.push(lockSpec(depName, range).name);
    }
  }
  if (cur) flushV1(cur, out, result);
  out.deps = dedupeLocked(out.deps);
  return out;
}

function isBerry(text: string): boolean {
  return text.startsWith('__metadata:') || text.includes('\n__metadata:');
}

function read(text: string, result: ManifestParseResult, withEdges: boolean): YarnRead {
  return isBerry(text) ? readBerry(text, result, withEdges) : readV1(text, result);
}

export function parseYarnLock(text: string): ManifestParseResult {
  const result = emptyResult('yarn.lock');
  result.dependencies = read(text, result, false).deps;
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function yarnLockEntries(text: string): NpmLockEntry[] {
  return read(text, emptyResult('yarn.lock'), true).entries;
}

/** Workspace folders a berry lock records (`workspace:` entries, '.' for the root); v1 records none. */
export function yarnWorkspaceMembers(text: string): string[] | undefined {
  if (!isBerry(text)) return undefined;
  return readBerry(text, emptyResult('yarn.lock'), false).members;
}
