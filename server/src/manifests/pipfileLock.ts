// Reads Pipfile.lock (JSON): packages under "default" and "develop" with their `==X` versions;
// the name range is the package key (inside its quotes).

import type { Dependency, ManifestParseResult } from '../domain';
import { invalidJsonProblem, jsonChild } from './jsonTree';
import { normalizeName } from './pep508';


export function parsePipfileLock(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'Pipfile.lock', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const root = invalidJsonProblem(text, result);
  if (!root) return result;
  const sources = jsonChild(jsonChild(root, '_meta'), 'sources');
  for (const s of sources?.children ?? []) {
    const url = jsonChild(s, 'url');
    if (typeof url?.value === 'string') result.indexUrls.push(url.value);
  }
  for (const group of ['default', 'develop']) {
    for (const prop of jsonChild(root, group)?.children ?? []) {
      const [keyNode, body] = prop.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const version = jsonChild(body, 'version')?.value;
      const markers = jsonChild(body, 'markers')?.value;
      const hashes = jsonChild(body, 'hashes');
      const location = ['git', 'path', 'file'].map((k) => jsonChild(body, k)?.value).find((v) => typeof v === 'string');
      const dep: Dependency = {
        ecosystem: 'PyPI',
        name: normalizeName(keyNode.value),
        rawName: keyNode.value,
        specifier: typeof version === 'string' ? version.replace(/\s+/g, '') : '',
        extras: [],
        format: 'Pipfile.lock',
        group,
        range: { start: prop.offset, end: prop.offset + prop.length },
        nameRange: { start: keyNode.offset + 1, end: keyNode.offset + keyNode.length - 1 },
        editStyle: 'none',
      };
      const exact = typeof version === 'string' ? /^\s*===?\s*([^,*\s]+)\s*$/.exec(version) : null;
      if (exact) dep.pinned = exact[1];
      if (typeof markers === 'string') dep.marker = markers;
      if (hashes?.type === 'array' && (hashes.children?.length ?? 0) > 0) dep.hashes = true;
      if (typeof location === 'string') dep.url = location;
      result.dependencies.push(dep);
    }
  }
  return result;
}
