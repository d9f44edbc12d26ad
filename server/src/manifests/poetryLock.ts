// Reads poetry.lock (lock-version 1.x and 2.x): `[[package]]` name/version pairs and where each
// comes from (`[package.source]`): git (with the resolved commit), a URL, a local file or folder
// (`develop = true` is editable), or a `legacy` index (a registry other than PyPI).

import type { ManifestParseResult } from '../domain';
import { emptyResult } from './lockSource';
import { tGet, tString, tTrue, type TTable } from './lockToml';
import { parseTomlLock, pyRegistry, scanTomlLock, type LockSource } from './tomlLock';

function poetrySource(pkg: TTable): LockSource {
  const src = tGet(pkg, 'source');
  const type = tString(tGet(src, 'type'));
  const url = tString(tGet(src, 'url'));
  if (type === undefined || url === undefined) return { source: { kind: 'registry' } };
  if (type === 'git') {
    const commit = tString(tGet(src, 'resolved_reference')) ?? tString(tGet(src, 'reference'));
    return { source: { kind: 'git', url: commit ? `${url}#${commit}` : url } };
  }
  if (type === 'url') return { source: { kind: 'tarball', url } };
  if (type === 'file') return { source: { kind: 'path', url } };
  if (type === 'directory') return { source: { kind: 'path', url }, ...(tTrue(tGet(pkg, 'develop')) ? { editable: true } : {}) };
  // `legacy` (and `explicit`/`supplemental` sources): an index.
  return { source: pyRegistry(url) };
}

export function parsePoetryLock(text: string): ManifestParseResult {
  return parseTomlLock(text, 'poetry.lock', (pkg) => poetrySource(pkg));
}

/** Poetry records no workspace; its local folder sources are the only folders it covers. */
export function poetryWorkspaceMembers(text: string): string[] | undefined {
  const { packages } = scanTomlLock(text, emptyResult('poetry.lock'));
  const out = packages.map((p) => tGet(p, 'source')).filter((s) => tString(tGet(s, 'type')) === 'directory').map((s) => tString(tGet(s, 'url'))!);
  return out.length > 0 ? out : undefined;
}
