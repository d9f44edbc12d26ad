// Reads the `[[package]]` tables shared by uv.lock and poetry.lock into locked Dependencies
// (exact versions, never edited), with the name range on the `name = "..."` value.

import type { Dependency, ManifestParseResult, SourceFormat } from '../domain';
import { normalizeName } from './pep508';
import { isString, parseTomlIndexed, stringContent, type TomlIndex } from './tomlIndex';

export interface LockSource {
  /** Skip the package (the project itself). */
  skip: boolean;
  url?: string;
}

export function parseTomlLock(text: string, format: SourceFormat, sourceOf: (index: TomlIndex, pkg: string[]) => LockSource): ManifestParseResult {
  const result: ManifestParseResult = { format, dependencies: [], includes: [], indexUrls: [], problems: [] };
  const parsed = parseTomlIndexed(text);
  if (!parsed.ok) {
    result.problems.push(parsed.problem);
    return result;
  }
  const { index } = parsed;
  for (const n of index.childNames(['package'])) {
    const pkg = ['package', n];
    const entry = index.get(pkg);
    const nameNode = index.get([...pkg, 'name'])?.value;
    if (!entry || !isString(nameNode)) {
      if (entry) result.problems.push({ message: 'Locked package without a name', range: entry.range, severity: 'warning' });
      continue;
    }
    const source = sourceOf(index, pkg);
    if (source.skip) continue;
    const content = stringContent(text, nameNode);
    const versionNode = index.get([...pkg, 'version'])?.value;
    const version = isString(versionNode) ? versionNode.value : undefined;
    const dep: Dependency = {
      ecosystem: 'PyPI',
      name: normalizeName(nameNode.value),
      rawName: nameNode.value,
      specifier: version ? `==${version}` : '',
      extras: [],
      format,
      range: entry.range,
      nameRange: { start: content.start, end: content.end },
      editStyle: 'none',
    };
    if (version) dep.pinned = version;
    if (source.url) dep.url = source.url;
    result.dependencies.push(dep);
  }
  return result;
}
