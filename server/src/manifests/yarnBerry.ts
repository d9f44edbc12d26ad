// Reads yarn berry's yarn.lock (v2+, `__metadata:`): each entry's `resolution:` locator says where
// the package comes from: `npm:` (a registry release, `::__archiveUrl=` when fetched elsewhere),
// `workspace:`, `patch:`, `portal:`/`link:`/`file:`/`exec:` (local), git and tarball URLs. Every
// entry but the root workspace is reported once, under its real name (aliases followed).

import type { DependencySource, ManifestParseResult, OffsetRange } from '../domain';
import { addProblem, dedupeLocked, exactVersion, lockedNpmDependency, lockSpec, npmSourceKind, registryOrigin, registryTarball } from './lockSource';
import { scanYaml, yGet, yPairs, ySubRange, yText, type YMap, type YPair, type YScalar } from './lockYaml';
import type { NpmLockEntry } from './packageLock';
import type { YarnRead } from './yarnLock';

const SKIPPED_FIELDS = new Set(['checksum', 'languageName', 'linkType', 'bin', 'conditions', 'dependenciesMeta', 'peerDependenciesMeta']);
const EDGE_SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/** `name@rest` of a descriptor or locator (a scope's `@` is not the separator). */
export function splitDescriptor(d: string): { name: string; range: string; at: number } | undefined {
  const at = d.indexOf('@', d.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  return { name: d.slice(0, at), range: d.slice(at + 1), at };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Locator {
  name: string;
  version: string;
  source: DependencySource;
  root: boolean;
}

/** Reads a `resolution:` locator. */
function readLocator(resolution: string, bodyVersion: string | undefined): Locator | undefined {
  const parts = splitDescriptor(resolution);
  if (!parts) return undefined;
  const { name, range } = parts;
  const paramsAt = range.indexOf('::');
  const ref = paramsAt >= 0 ? range.slice(0, paramsAt) : range;
  const params = paramsAt >= 0 ? range.slice(paramsAt + 2) : '';
  const own = exactVersion(bodyVersion ?? '') ?? '';
  if (ref.startsWith('npm:')) {
    const version = exactVersion(ref.slice(4)) ?? own;
    const archive = /(?:^|&)__archiveUrl=([^&]*)/.exec(params);
    const url = archive ? decode(archive[1]!) : undefined;
    const registry = url ? (registryTarball(url, name)?.registry ?? registryOrigin(url)) : undefined;
    return { name, version, source: registry ? { kind: 'registry', registry } : { kind: 'registry' }, root: false };
  }
  if (ref.startsWith('workspace:')) {
    const folder = ref.slice('workspace:'.length);
    return { name, version: '', source: { kind: 'workspace', url: folder }, root: folder === '.' };
  }
  if (ref.startsWith('patch:')) return { name, version: own, source: { kind: 'patch', url: range }, root: false };
  const kind = npmSourceKind(ref);
  if (kind === 'path') {
    const local = /^(?:portal|link):/.test(ref);
    const hash = ref.indexOf('#');
    return { name, version: local ? '' : own, source: { kind: 'path', url: hash > 0 ? ref.slice(0, hash) : ref }, root: false };
  }
  return { name, version: own, source: { kind: kind === 'git' ? 'git' : 'tarball', url: ref }, root: false };
}

/** The name range: a descriptor of the key naming the real package, else the resolution's name. */
function nameRangeOf(key: YScalar, name: string, resolution: YScalar | undefined): OffsetRange {
  let offset = 0;
  for (const part of key.value.split(',')) {
    const lead = part.length - part.trimStart().length;
    const d = splitDescriptor(part.trim());
    if (d && d.name === name) return ySubRange(key, offset + lead, offset + lead + name.length) ?? { start: key.start, end: key.end };
    // An alias `sw@npm:string-width@^4` names the real package after `npm:`.
    if (d && d.range.startsWith(`npm:${name}@`)) {
      const at = offset + lead + d.at + 1 + 4;
      const r = ySubRange(key, at, at + name.length);
      if (r) return r;
    }
    offset += part.length + 1;
  }
  return (resolution && ySubRange(resolution, 0, name.length)) ?? { start: key.start, end: key.end };
}

export function readBerry(text: string, result: ManifestParseResult, withEdges = true): YarnRead {
  const out: YarnRead = { deps: [], entries: [], members: [] };
  const scan = scanYaml(text, { skip: (key, depth) => depth === 1 && SKIPPED_FIELDS.has(key) });
  for (const p of scan.problems) addProblem(result, p.message, p.range);
  const root = scan.documents.find((d) => d.root?.kind === 'map')?.root as YMap | undefined;
  // Each key lists the descriptors (`name@range`) that resolve to its entry: dependencies name
  // their target by descriptor, which finds the real package behind a git or patch range.
  const byDescriptor = new Map<string, string>();
  const read: { p: YPair; loc: Locator }[] = [];
  for (const p of root?.pairs ?? []) {
    if (p.key.value === '__metadata' || p.value?.kind !== 'map') continue;
    const resNode = yGet(p.value, 'resolution');
    const resolution = yText(resNode);
    const loc = resolution ? readLocator(resolution, yText(yGet(p.value, 'version'))) : undefined;
    if (!loc) {
      addProblem(result, `yarn.lock entry ${p.key.value.slice(0, 200)} has no readable resolution`, { start: p.key.start, end: p.key.end }, 'warning');
      continue;
    }
    for (const d of p.key.value.split(',')) byDescriptor.set(d.trim(), loc.name);
    read.push({ p, loc });
  }
  for (const { p, loc } of read) {
    if (loc.source.kind === 'workspace') out.members.push(loc.source.url ?? '.');
    if (loc.root) continue;
    const resNode = yGet(p.value, 'resolution');
    const nameRange = nameRangeOf(p.key, loc.name, resNode?.kind === 'scalar' ? resNode : undefined);
    out.deps.push(lockedNpmDependency({ format: 'yarn.lock', name: loc.name, version: loc.version, source: loc.source, range: { start: p.start, end: p.end }, nameRange }));
  }
  for (const { p, loc } of withEdges ? read : []) {
    const deps: string[] = [];
    for (const s of EDGE_SECTIONS) {
      for (const d of yPairs(yGet(p.value, s))) {
        const value = yText(d.value) ?? '';
        deps.push(byDescriptor.get(`${d.key.value}@${value}`) ?? byDescriptor.get(`${d.key.value}@npm:${value}`) ?? lockSpec(d.key.value, value).name);
      }
    }
    out.entries.push({ name: loc.name, version: loc.version, deps } satisfies NpmLockEntry);
  }
  out.deps = dedupeLocked(out.deps);
  return out;
}
