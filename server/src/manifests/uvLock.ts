// Reads uv.lock: every `[[package]]` with its exact version and where it comes from: a registry
// (naming the index when it is not PyPI), git, a URL, a local archive or folder, or a workspace
// member (`[manifest] members`, editable/virtual sources). The workspace root (source ".") is the
// project itself and not reported. Also tells which folders the lock covers.

import type { ManifestParseResult } from '../domain';
import { emptyResult } from './lockSource';
import { tGet, tItems, tString, type TTable } from './lockToml';
import { normalizeName } from './pep508';
import { parseTomlLock, pyRegistry, scanTomlLock, type LockSource } from './tomlLock';

function membersOf(root: TTable): Set<string> {
  return new Set(tItems(tGet(tGet(root, 'manifest'), 'members')).map((m) => normalizeName(tString(m) ?? '')));
}

/** A path naming the lockfile's own folder: the project itself. */
export function isRootPath(p: string): boolean {
  return p === '.' || p === './' || p === '';
}

function uvSource(pkg: TTable, members: ReadonlySet<string>): LockSource {
  const src = tGet(pkg, 'source');
  const member = members.has(normalizeName(tString(tGet(pkg, 'name')) ?? ''));
  const registry = tString(tGet(src, 'registry'));
  if (registry !== undefined) return { source: pyRegistry(registry) };
  const git = tString(tGet(src, 'git'));
  if (git !== undefined) return { source: { kind: 'git', url: git } };
  const url = tString(tGet(src, 'url'));
  if (url !== undefined) return { source: { kind: 'tarball', url } };
  const path = tString(tGet(src, 'path'));
  if (path !== undefined) return { source: { kind: 'path', url: path } };
  for (const key of ['editable', 'virtual', 'directory'] as const) {
    const folder = tString(tGet(src, key));
    if (folder === undefined) continue;
    const kind = member || key === 'virtual' ? 'workspace' : 'path';
    return { source: { kind, url: folder }, root: isRootPath(folder), ...(key === 'editable' ? { editable: true } : {}) };
  }
  return { source: { kind: 'registry' } };
}

export function parseUvLock(text: string): ManifestParseResult {
  let members: Set<string> | undefined;
  return parseTomlLock(text, 'uv.lock', (pkg, root) => uvSource(pkg, (members ??= membersOf(root))));
}

/** Folders the lock covers: the root ('.'), workspace members and local folder sources, relative
 * to the lockfile. */
export function uvWorkspaceMembers(text: string): string[] | undefined {
  const { packages } = scanTomlLock(text, emptyResult('uv.lock'));
  const out = new Set<string>();
  for (const pkg of packages) {
    const src = tGet(pkg, 'source');
    for (const key of ['editable', 'virtual', 'directory']) {
      const folder = tString(tGet(src, key));
      if (folder !== undefined) out.add(isRootPath(folder) ? '.' : folder);
    }
  }
  return out.size > 0 ? [...out] : undefined;
}
