// Reads pdm.lock: `[[package]]` name/version pairs. PDM repeats a package once per requested extras
// set (`extras = ["socks"]`) with the same version; those repeats are reported once. Git (with the
// locked revision), URL and path (editable or not) sources keep their location.

import type { ManifestParseResult } from '../domain';
import { emptyResult } from './lockSource';
import { tGet, tString, tTrue, type TTable } from './lockToml';
import { parseTomlLock, scanTomlLock, type LockSource } from './tomlLock';

function pdmSource(pkg: TTable): LockSource {
  const editable = tTrue(tGet(pkg, 'editable'));
  const git = tString(tGet(pkg, 'git'));
  if (git !== undefined) {
    const rev = tString(tGet(pkg, 'revision')) ?? tString(tGet(pkg, 'ref'));
    return { source: { kind: 'git', url: rev ? `${git}#${rev}` : git }, ...(editable ? { editable } : {}) };
  }
  const url = tString(tGet(pkg, 'url'));
  if (url !== undefined) return { source: url.startsWith('file:') ? { kind: 'path', url } : { kind: 'tarball', url } };
  const path = tString(tGet(pkg, 'path'));
  if (path !== undefined) return { source: { kind: 'path', url: path }, ...(editable ? { editable } : {}) };
  return { source: { kind: 'registry' } };
}

export function parsePdmLock(text: string): ManifestParseResult {
  return parseTomlLock(text, 'pdm.lock', (pkg) => pdmSource(pkg));
}

/** PDM records no workspace; its local path sources are the only folders it covers. */
export function pdmWorkspaceMembers(text: string): string[] | undefined {
  const { packages } = scanTomlLock(text, emptyResult('pdm.lock'));
  const out = [...new Set(packages.map((p) => tString(tGet(p, 'path'))).filter((p): p is string => p !== undefined))];
  return out.length > 0 ? out : undefined;
}
