// Reads pylock.toml (PEP 751; `pip lock`, `uv export --format pylock.toml`) and its named variants
// `pylock.<name>.toml`: every `[[packages]]` entry with the version it records (VCS and directory
// sources record none: those are reported by name and source, never given a version) and where it
// comes from: an index (named when it is not PyPI), a VCS commit, a local folder, an archive URL or
// path, or local wheel/sdist files. A name may be locked several times (one entry per environment
// marker): each version is reported, with its marker. The project itself (a directory source at the
// lockfile's own folder) is not a dependency. The entries' `dependencies` are the lock graph's edges
// (lockGraph.ts). Read with the linear lockfile TOML scanner, which bounds nesting itself.

import type { ManifestParseResult } from '../domain';
import { addProblem, emptyResult } from './lockSource';
import { tGet, tItems, tString, tTrue, type TTable, type TValue } from './lockToml';
import { lockedFromScan, pyRegistry, scanTomlLock, type LockSource, type TomlLockLayout } from './tomlLock';
import { isRootPath } from './uvLock';

/** `[[packages]]`; hashes, attestations, upload times and tool tables are read past, not kept. */
export const PYLOCK_LAYOUT: TomlLockLayout = { array: 'packages', skipped: new Set(['hashes', 'attestation-identities', 'upload-time', 'tool']) };

// PEP 751 names a lock `pylock.toml` or `pylock.<name>.toml` with the specification's own pattern
// `^pylock\.([^.]+)\.toml$` (pip's too): the name has no dot, so `pylock..toml` and
// `pylock.a.b.toml` are not locks.
const NAMED_LOCK = /^pylock\.[^./\\]+\.toml$/;

/** Whether a file's base name is a PEP 751 lockfile's. */
export function isPylockName(base: string): boolean {
  return base === 'pylock.toml' || (base.length <= 255 && NAMED_LOCK.test(base));
}

function vcsSource(vcs: TValue): LockSource {
  const type = (tString(tGet(vcs, 'type')) ?? 'git').toLowerCase();
  const where = tString(tGet(vcs, 'url')) ?? tString(tGet(vcs, 'path')) ?? tString(vcs);
  const commit = tString(tGet(vcs, 'commit-id')) ?? tString(tGet(vcs, 'requested-revision'));
  if (where === undefined) return { source: { kind: 'git' } };
  // Any VCS is the domain's 'git' kind; a non-git one keeps pip's `hg+`/`svn+`/`bzr+` prefix.
  const url = type === 'git' || where.toLowerCase().startsWith(`${type}+`) ? where : `${type}+${where}`;
  return { source: { kind: 'git', url: commit ? `${url}#${commit}` : url } };
}

function directorySource(dir: TValue): LockSource {
  const path = tString(tGet(dir, 'path')) ?? tString(dir);
  const editable = tTrue(tGet(dir, 'editable'));
  const root = path !== undefined && isRootPath(path) && tGet(dir, 'subdirectory') === undefined;
  return { source: { kind: 'path', ...(path !== undefined ? { url: path } : {}) }, ...(root ? { root } : {}), ...(editable ? { editable } : {}) };
}

function archiveSource(archive: TValue): LockSource {
  const url = tString(tGet(archive, 'url')) ?? tString(archive);
  if (url !== undefined) return { source: /^file:/i.test(url) ? { kind: 'path', url } : { kind: 'tarball', url } };
  const path = tString(tGet(archive, 'path'));
  return { source: { kind: 'path', ...(path !== undefined ? { url: path } : {}) } };
}

/** The first location of the entry's sdist and wheels when every one of them is a local file
 * (`path`, or a `file:` URL): such a package is not the index's package of that name. */
function localFiles(pkg: TTable): string | undefined {
  const files = [tGet(pkg, 'sdist'), ...tItems(tGet(pkg, 'wheels'))].filter((f): f is TTable => f?.kind === 'table');
  let first: string | undefined;
  for (const f of files) {
    const url = tString(tGet(f, 'url'));
    if (url !== undefined && !/^file:/i.test(url)) return undefined;
    first ??= url ?? tString(tGet(f, 'path'));
  }
  return first;
}

/** Where an entry's package comes from. The spec allows one source; a file naming several is
 * read by its most specific one (a VCS, a folder, an archive), never looked up on an index then. */
export function pylockSource(pkg: TTable): LockSource {
  const vcs = tGet(pkg, 'vcs');
  if (vcs !== undefined) return vcsSource(vcs);
  const dir = tGet(pkg, 'directory');
  if (dir !== undefined) return directorySource(dir);
  const archive = tGet(pkg, 'archive');
  if (archive !== undefined) return archiveSource(archive);
  const index = tString(tGet(pkg, 'index'));
  if (index !== undefined) return { source: pyRegistry(index) };
  const local = localFiles(pkg);
  return { source: local !== undefined ? { kind: 'path', url: local } : { kind: 'registry' } };
}

/** The project's own packages: editable folders, and the lockfile's own folder. */
export function isPylockRoot(pkg: TTable): boolean {
  const dir = tGet(pkg, 'directory');
  if (dir === undefined) return false;
  const src = directorySource(dir);
  return src.root === true || src.editable === true;
}

/** PEP 751 readers must refuse a major version they do not know; this one reads on and says so. */
function checkLockVersion(root: TTable, result: ManifestParseResult): void {
  const v = tGet(root, 'lock-version');
  if (v === undefined) return;
  const value = tString(v);
  if (value !== undefined && /^\s*1(?:\.\d+)*\s*$/.test(value.slice(0, 64))) return;
  const shown = value === undefined ? 'not a string' : `"${value.slice(0, 40)}"`;
  addProblem(result, `pylock.toml lock-version ${shown} is not 1.x, the version this reader knows; packages read as 1.0`, { start: v.start, end: v.end }, 'warning');
}

export function parsePylock(text: string): ManifestParseResult {
  const result = emptyResult('pylock.toml');
  const scan = scanTomlLock(text, result, PYLOCK_LAYOUT);
  checkLockVersion(scan.root, result);
  lockedFromScan(result, scan, pylockSource);
  // The shared reader reports name and version; the version's own range and the entry's marker
  // (one entry per environment) are pylock's to add. Entries are keyed by where they start.
  const byStart = new Map(scan.packages.map((p) => [p.start, p]));
  for (const d of result.dependencies) {
    const pkg = byStart.get(d.range.start);
    const version = tGet(pkg, 'version');
    if (d.pinned && version?.kind === 'string' && version.contentStart !== undefined) d.versionRange = { start: version.contentStart, end: version.contentStart + version.value.length };
    const marker = tString(tGet(pkg, 'marker'));
    if (marker) d.marker = marker;
  }
  return result;
}

/** Folders the lock covers: its directory sources ('.' for its own folder), relative to it. */
export function pylockWorkspaceMembers(text: string): string[] | undefined {
  const { packages } = scanTomlLock(text, emptyResult('pylock.toml'), PYLOCK_LAYOUT);
  const out = new Set<string>();
  for (const pkg of packages) {
    const path = tString(tGet(tGet(pkg, 'directory'), 'path'));
    if (path !== undefined) out.add(isRootPath(path) ? '.' : path);
  }
  return out.size > 0 ? [...out] : undefined;
}
