// Reads yarn.lock: the classic v1 format (`"a@^1", a@~1.2:` headers, `  version "1.2.3"`), read by
// a line scanner, and yarn berry's YAML (`"a@npm:^1":` + `version: 1.2.3`, `__metadata:`). Every
// registry package with its exact version; git/path/workspace/patch entries are skipped or marked.

import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { exactPin } from '../versions/semver';
import type { NpmLockEntry } from './packageLock';
import { parseNpmSpec } from './packageJson';

interface Read {
  deps: Dependency[];
  entries: NpmLockEntry[];
}

/** Name and range of a descriptor `name@range` (`@scope/name@npm:^1` in berry). */
function splitDescriptor(d: string): { name: string; range: string } | undefined {
  const at = d.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: d.slice(0, at), range: d.slice(at + 1) };
}

function makeDep(name: string, version: string, nameRange: OffsetRange, range: OffsetRange, url?: string): Dependency {
  const dep: Dependency = { ecosystem: 'npm', name, rawName: name, specifier: url ? '' : version, extras: [], format: 'yarn.lock', range, nameRange, editStyle: 'none' };
  if (url) dep.url = url;
  else dep.pinned = version;
  return dep;
}

/** Descriptors of a v1 header line with their offsets in the line. */
function headerDescriptors(line: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,"]+?))\s*(?:,|$)/g;
  const body = line.replace(/:\s*$/, '');
  for (let m = re.exec(body); m && m[0] !== ''; m = re.exec(body)) {
    const text = m[1] ?? m[2]!;
    out.push({ text, at: m.index + m[0].indexOf(text) });
  }
  return out;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t;
}

function readV1(text: string, result: ManifestParseResult): Read {
  const out: Read = { deps: [], entries: [] };
  const lines = text.split('\n');
  let offset = 0;
  let cur: { names: { name: string; range: string }[]; nameRange: OffsetRange; start: number; end: number; version?: string; resolved?: string; deps: string[] } | undefined;
  let inDeps = false;
  const flush = () => {
    if (!cur) return;
    const first = cur.names[0];
    if (first && cur.version) {
      const spec = parseNpmSpec(first.name, first.range);
      const pinned = exactPin(cur.version);
      const url = spec.url ?? (pinned ? undefined : cur.version);
      out.deps.push(makeDep(spec.name, pinned ?? cur.version, cur.nameRange, { start: cur.start, end: cur.end }, url));
      if (!url) out.entries.push({ name: spec.name, version: pinned!, deps: cur.deps });
    }
    cur = undefined;
  };
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const lineStart = offset;
    offset += raw.length + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      flush();
      if (!line.trimEnd().endsWith(':')) {
        result.problems.push({ message: 'Unexpected line in yarn.lock (expected `name@range:`)', range: { start: lineStart, end: lineStart + line.length }, severity: 'warning' });
        continue;
      }
      const descs = headerDescriptors(line);
      const names = descs.map((d) => splitDescriptor(d.text)).filter((d): d is { name: string; range: string } => !!d);
      const first = descs[0];
      const nameRange = first && names[0] ? { start: lineStart + first.at, end: lineStart + first.at + names[0].name.length } : { start: lineStart, end: lineStart + line.length };
      cur = { names, nameRange, start: lineStart, end: lineStart + line.length, deps: [] };
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    cur.end = lineStart + line.length;
    const t = line.trim();
    if (indent <= 2) {
      inDeps = /^(dependencies|optionalDependencies):$/.test(t);
      const kv = /^(version|resolved)\s+(.*)$/.exec(t);
      if (kv) cur[kv[1] as 'version' | 'resolved'] = unquote(kv[2]!);
    } else if (inDeps) {
      const d = /^("(?:[^"\\]|\\.)*"|\S+)\s/.exec(t);
      if (d) cur.deps.push(unquote(d[1]!));
    }
  }
  flush();
  return out;
}

function readBerry(text: string, result: ManifestParseResult): Read {
  const out: Read = { deps: [], entries: [] };
  const doc = parseDocument(text, { uniqueKeys: false });
  for (const e of doc.errors) {
    const start = Math.min(e.pos[0], text.length);
    result.problems.push({ message: `Invalid YAML: ${e.message.split('\n')[0]}`, range: { start, end: Math.max(start, Math.min(e.pos[1], text.length)) }, severity: 'error' });
  }
  if (!isMap(doc.contents)) return out;
  for (const p of doc.contents.items as Pair[]) {
    if (!isScalar(p.key) || typeof p.key.value !== 'string' || p.key.value === '__metadata' || !isMap(p.value)) continue;
    const resolution = p.value.get('resolution');
    const version = p.value.get('version');
    // Only registry packages: workspace members, patches, git and path sources have no npm version.
    const m = typeof resolution === 'string' ? /^((?:@[^/@]+\/)?[^@]+)@npm:(.+)$/.exec(resolution) : null;
    if (!m) continue;
    const pinned = exactPin(m[2]!) ?? (typeof version === 'string' ? exactPin(version) : undefined);
    if (!pinned) continue;
    const keyStr = p.key.value;
    const first = splitDescriptor(keyStr.split(',')[0]!.trim());
    const [a, b] = p.key.range ?? [0, 0];
    const quoted = p.key.type === 'QUOTE_DOUBLE' || p.key.type === 'QUOTE_SINGLE';
    const exact = text.slice(quoted ? a + 1 : a, quoted ? b - 1 : b) === keyStr;
    const lead = keyStr.length - keyStr.trimStart().length;
    const nameRange = exact && first ? { start: (quoted ? a + 1 : a) + lead, end: (quoted ? a + 1 : a) + lead + first.name.length } : { start: a, end: b };
    const end = p.value.range ? p.value.range[1] : b;
    out.deps.push(makeDep(m[1]!, pinned, nameRange, { start: a, end }));
    const deps: string[] = [];
    for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const node = p.value.get(k, true);
      if (!isMap(node)) continue;
      for (const d of node.items as Pair[]) {
        if (!isScalar(d.key)) continue;
        const value = isScalar(d.value) ? String(d.value.value) : '';
        // An aliased edge `alias: npm:real@^1` points at the real package.
        deps.push(parseNpmSpec(String(d.key.value), value).name);
      }
    }
    out.entries.push({ name: m[1]!, version: pinned, deps });
  }
  return out;
}

function isBerry(text: string): boolean {
  return /^__metadata:\s*$/m.test(text);
}

function read(text: string, result: ManifestParseResult): Read {
  return isBerry(text) ? readBerry(text, result) : readV1(text, result);
}

export function parseYarnLock(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'yarn.lock', dependencies: [], includes: [], indexUrls: [], problems: [] };
  result.dependencies = read(text, result).deps;
  return result;
}

/** The locked packages with their dependency names (for the lock graph). */
export function yarnLockEntries(text: string): NpmLockEntry[] {
  return read(text, { format: 'yarn.lock', dependencies: [], includes: [], indexUrls: [], problems: [] }).entries;
}
