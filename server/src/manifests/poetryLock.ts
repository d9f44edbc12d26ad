// Reads poetry.lock: `[[package]]` name/version pairs; non-registry sources (git, url, directory,
// file) keep their location from `[package.source]`.

import type { ManifestParseResult } from '../domain';
import { isString } from './tomlIndex';
import { parseTomlLock } from './tomlLock';

export function parsePoetryLock(text: string): ManifestParseResult {
  return parseTomlLock(text, 'poetry.lock', (index, pkg) => {
    const type = index.get([...pkg, 'source', 'type'])?.value;
    const url = index.get([...pkg, 'source', 'url'])?.value;
    if (isString(type) && type.value !== 'legacy' && isString(url)) return { skip: false, url: url.value };
    return { skip: false };
  });
}
