// Reads pdm.lock: `[[package]]` name/version pairs. PDM repeats a package once per requested extras
// set (`extras = ["socks"]`) with the same version; those repeats are dropped. Git, URL and path
// sources keep their location.

import type { ManifestParseResult } from '../domain';
import { isString } from './tomlIndex';
import { parseTomlLock } from './tomlLock';

export function parsePdmLock(text: string): ManifestParseResult {
  const result = parseTomlLock(text, 'pdm.lock', (index, pkg) => {
    for (const kind of ['git', 'url', 'path']) {
      const v = index.get([...pkg, kind])?.value;
      if (isString(v)) return { skip: false, url: v.value };
    }
    return { skip: false };
  });
  const seen = new Set<string>();
  result.dependencies = result.dependencies.filter((d) => {
    const id = `${d.name}\u0000${d.pinned ?? ''}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return result;
}
