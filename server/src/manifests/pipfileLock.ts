// Reads Pipfile.lock (JSON): packages under "default" and "develop" with their `==X` versions and
// where they come from: an index of `_meta.sources` (named by `index`; one other than PyPI is
// recorded), git (with the locked ref), a local path (editable or not) or a file URL. The name
// range is the package key (inside its quotes). A package in both groups is reported once.

import type { Node } from 'jsonc-parser';
import type { Dependency, DependencySource, ManifestParseResult } from '../domain';
import { invalidJsonProblem, jsonChild, stringContents } from './jsonTree';
import { addProblem, dedupeLocked, emptyResult, jsonTooDeep, MAX_JSON_DEPTH } from './lockSource';
import { normalizeName } from './pep508';
import { pyRegistry } from './tomlLock';

function str(body: Node | undefined, key: string): string | undefined {
  const v = jsonChild(body, key)?.value;
  return typeof v === 'string' ? v : undefined;
}

function sourceOf(body: Node | undefined, indexes: Map<string, string>): DependencySource {
  const git = str(body, 'git');
  if (git !== undefined) {
    const ref = str(body, 'ref');
    return { kind: 'git', url: ref ? `${git}#${ref}` : git };
  }
  const path = str(body, 'path');
  if (path !== undefined) return { kind: 'path', url: path };
  const file = str(body, 'file');
  if (file !== undefined) return /^https?:/i.test(file) ? { kind: 'tarball', url: file } : { kind: 'path', url: file };
  const index = str(body, 'index');
  return pyRegistry(index !== undefined ? indexes.get(index) : undefined);
}

function readSources(root: Node, result: ManifestParseResult): Map<string, string> {
  const indexes = new Map<string, string>();
  for (const s of jsonChild(jsonChild(root, '_meta'), 'sources')?.children ?? []) {
    const url = str(s, 'url');
    const name = str(s, 'name');
    if (url === undefined) continue;
    result.indexUrls.push(url);
    if (name !== undefined && !indexes.has(name)) indexes.set(name, url);
  }
  return indexes;
}

function read(text: string, result: ManifestParseResult): void {
  if (jsonTooDeep(text)) {
    addProblem(result, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { start: 0, end: 0 });
    return;
  }
  const root = invalidJsonProblem(text, result);
  if (!root) return;
  const indexes = readSources(root, result);
  for (const group of ['default', 'develop']) {
    for (const prop of jsonChild(root, group)?.children ?? []) {
      const [keyNode, body] = prop.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const version = str(body, 'version');
      const markers = str(body, 'markers');
      const hashes = jsonChild(body, 'hashes');
      const source = sourceOf(body, indexes);
      const dep: Dependency = {
        ecosystem: 'PyPI',
        name: normalizeName(keyNode.value),
        rawName: keyNode.value,
        specifier: version !== undefined ? version.replace(/\s+/g, '') : '',
        extras: [],
        format: 'Pipfile.lock',
        group,
        range: { start: prop.offset, end: prop.offset + prop.length },
        nameRange: stringContents(text, keyNode) ?? { start: keyNode.offset, end: keyNode.offset + keyNode.length },
        editStyle: 'none',
        source,
      };
      const exact = version !== undefined ? /^\s*===?\s*([^,*\s]+)\s*$/.exec(version) : null;
      if (exact) dep.pinned = exact[1];
      if (markers !== undefined) dep.marker = markers;
      if (hashes?.type === 'array' && (hashes.children?.length ?? 0) > 0) dep.hashes = true;
      if (source.kind !== 'registry') dep.url = source.url;
      if (jsonChild(body, 'editable')?.value === true) dep.editable = true;
      const extras = jsonChild(body, 'extras');
      if (extras?.type === 'array') dep.extras = (extras.children ?? []).map((e) => e.value).filter((e): e is string => typeof e === 'string');
      result.dependencies.push(dep);
    }
  }
  result.dependencies = dedupeLocked(result.dependencies);
}

export function parsePipfileLock(text: string): ManifestParseResult {
  const result = emptyResult('Pipfile.lock');
  read(text, result);
  return result;
}

/** Pipenv records no workspace; its local path sources are the only folders it covers. */
export function pipfileLockWorkspaceMembers(text: string): string[] | undefined {
  const paths = parsePipfileLock(text).dependencies.filter((d) => d.source?.kind === 'path' && !/^(?:https?|file):/i.test(d.source.url ?? '')).map((d) => d.source!.url!);
  return paths.length > 0 ? [...new Set(paths)] : undefined;
}
