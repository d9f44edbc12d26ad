// Reads the `[[package]]` tables shared by uv.lock, poetry.lock and pdm.lock (and pylock.toml's
// `[[packages]]`) into locked Dependencies (exact versions, never edited), with the name range on
// the `name = "..."` value.
// Each format says where a package comes from (sourceOf); anything but a registry gets `url`, so it
// is never looked up as the PyPI package of that name. Packages are reported once per (name,
// version, source); the project itself (a workspace root) is not a dependency.

import type { Dependency, DependencySource, ManifestParseResult, SourceFormat } from '../domain';
import { addProblem, dedupeLocked, emptyResult, trimSlashes } from './lockSource';
import { scanToml, tGet, tItems, type TTable, type TString } from './lockToml';
import { normalizeName } from './pep508';

export interface LockSource {
  source: DependencySource;
  /** The project itself (uv's workspace root): not reported. */
  root?: boolean;
  editable?: boolean;
}

/** Where a format keeps its packages, and which of their keys no reader needs. */
export interface TomlLockLayout {
  /** The top-level array of package tables. */
  array: string;
  /** Keys of a package (or of a table inside it) that are read past, not kept. */
  skipped: ReadonlySet<string>;
}

/** uv.lock, poetry.lock, pdm.lock: `[[package]]`; file hashes and uv's copy of the manifest unkept. */
export const PACKAGE_LAYOUT: TomlLockLayout = { array: 'package', skipped: new Set(['wheels', 'sdist', 'files', 'hashes']) };

export interface TomlLockScan {
  root: TTable;
  packages: TTable[];
}

/** Scans a Python TOML lock. Package tables come back in order; problems go to `result`. */
export function scanTomlLock(text: string, result: ManifestParseResult, layout: TomlLockLayout = PACKAGE_LAYOUT): TomlLockScan {
  const { array, skipped } = layout;
  const scan = scanToml(text, { skip: (key, table) => (table[0] === array && (skipped.has(key) || table[1] === 'metadata')) || (table[0] === 'metadata' && table[1] === 'files') });
  for (const p of scan.problems) addProblem(result, p.message, p.range);
  const list = tGet(scan.root, array);
  if (list !== undefined && list.kind !== 'array') addProblem(result, `\`${array}\` is not an array of tables; no package read`, { start: list.start, end: list.end });
  const items = tItems(list);
  const packages = items.filter((p): p is TTable => p.kind === 'table');
  const stray = items.find((p) => p.kind !== 'table');
  if (stray) addProblem(result, `${items.length - packages.length} \`${array}\` entries are not tables; not read`, { start: stray.start, end: stray.end }, 'warning');
  return { root: scan.root, packages };
}

const DEFAULT_INDEXES = new Set(['https://pypi.org/simple', 'https://pypi.python.org/simple', 'https://pypi.org/pypi', 'https://files.pythonhosted.org']);

/** A registry source, naming the index when it is not PyPI's. */
export function pyRegistry(url: string | undefined): DependencySource {
  if (!url) return { kind: 'registry' };
  const bare = trimSlashes(url);
  return DEFAULT_INDEXES.has(bare.toLowerCase()) ? { kind: 'registry' } : { kind: 'registry', registry: url };
}

function lockedPy(format: SourceFormat, pkg: TTable, name: TString, version: string | undefined, src: LockSource): Dependency {
  const dep: Dependency = {
    ecosystem: 'PyPI',
    name: normalizeName(name.value),
    rawName: name.value,
    specifier: version ? `==${version}` : '',
    extras: [],
    format,
    range: { start: pkg.start, end: pkg.end },
    nameRange: name.contentStart !== undefined ? { start: name.contentStart, end: name.contentStart + name.value.length } : { start: name.start, end: name.end },
    editStyle: 'none',
    source: src.source,
  };
  if (version) dep.pinned = version;
  if (src.source.kind !== 'registry') dep.url = src.source.url ?? `${src.source.kind}:`;
  if (src.editable) dep.editable = true;
  return dep;
}

export type LockSourceOf = (pkg: TTable, root: TTable) => LockSource;

export function parseTomlLock(text: string, format: SourceFormat, sourceOf: LockSourceOf, layout: TomlLockLayout = PACKAGE_LAYOUT): ManifestParseResult {
  const result = emptyResult(format);
  return lockedFromScan(result, scanTomlLock(text, result, layout), sourceOf);
}

/** The locked Dependencies of a scanned lock, added to `result` (which already holds the scan's
 * problems and names the format). */
export function lockedFromScan(result: ManifestParseResult, { root, packages }: TomlLockScan, sourceOf: LockSourceOf): ManifestParseResult {
  const format = result.format;
  const indexes = new Set<string>();
  for (const pkg of packages) {
    const name = tGet(pkg, 'name');
    if (name?.kind !== 'string') {
      addProblem(result, 'Locked package without a name', { start: pkg.start, end: pkg.end }, 'warning');
      continue;
    }
    const src = sourceOf(pkg, root);
    if (src.root) continue;
    const version = tGet(pkg, 'version');
    result.dependencies.push(lockedPy(format, pkg, name, version?.kind === 'string' ? version.value : undefined, src));
    if (src.source.registry) indexes.add(src.source.registry);
  }
  result.dependencies = dedupeLocked(result.dependencies);
  // A package from another index changes what "not on PyPI" means (unknown-package).
  result.indexUrls.push(...indexes);
  return result;
}
