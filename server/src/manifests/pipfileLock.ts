// Reads Pipfile.lock (JSON): packages under "default" and "develop" with their `==X` versions;
// the name range is the package key (inside its quotes).

import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Dependency, ManifestParseResult } from '../engine/types';
import { normalizeName } from './pep508';

function child(node: Node | undefined, key: string): Node | undefined {
  const prop = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key) : undefined;
  return prop?.children?.[1];
}

export function parsePipfileLock(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'Pipfile.lock', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = e ? e.offset : 0;
    result.problems.push({ message: `Invalid JSON: ${e ? printParseErrorCode(e.error) : 'empty document'}`, range: { start: at, end: at + (e?.length ?? 0) }, severity: 'error' });
    if (!root) return result;
  }
  const sources = child(child(root, '_meta'), 'sources');
  for (const s of sources?.children ?? []) {
    const url = child(s, 'url');
    if (typeof url?.value === 'string') result.indexUrls.push(url.value);
  }
  for (const group of ['default', 'develop']) {
    for (const prop of child(root, group)?.children ?? []) {
      const [keyNode, body] = prop.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const version = child(body, 'version')?.value;
      const markers = child(body, 'markers')?.value;
      const hashes = child(body, 'hashes');
      const location = ['git', 'path', 'file'].map((k) => child(body, k)?.value).find((v) => typeof v === 'string');
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
