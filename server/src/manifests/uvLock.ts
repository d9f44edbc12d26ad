// Reads uv.lock: every locked package with its exact version. The workspace's own packages
// (editable / virtual sources) are skipped; path, git and URL sources keep their location.

import type { ManifestParseResult } from '../domain';
import { isString } from './tomlIndex';
import { parseTomlLock } from './tomlLock';

export function parseUvLock(text: string): ManifestParseResult {
  return parseTomlLock(text, 'uv.lock', (index, pkg) => {
    const src = [...pkg, 'source'];
    if (index.get([...src, 'editable']) || index.get([...src, 'virtual'])) return { skip: true };
    for (const kind of ['git', 'url', 'path', 'directory']) {
      const v = index.get([...src, kind])?.value;
      if (isString(v)) return { skip: false, url: v.value };
    }
    return { skip: false };
  });
}
