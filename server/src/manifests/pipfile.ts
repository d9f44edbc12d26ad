// Reads a Pipfile (TOML): packages per category ([packages], [dev-packages], custom categories) in
// string form ("*", "==1.2", ">=1") or table form ({version, extras, markers} or git/path/file
// sources), and [[source]] index URLs. Version strings are PEP 440 specifiers, edited in place.

import type { AST } from 'toml-eslint-parser';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { excerpt, normalizeName, parsePep508 } from './pep508';
import { problemAt } from './pyprojectToml';
import { isString, keyRange, MAX_MANIFEST_TOML_CHARS, parseTomlIndexed, stringContent, type TomlIndex } from './tomlIndex';

/** Top-level tables that are settings, not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'pipenv', 'scripts']);
/** Keys a package table may hold (pipenv's Pipfile spec plus per-package marker shortcuts). */
const PACKAGE_KEYS = new Set([
  'version', 'extras', 'markers', 'index', 'editable', 'git', 'ref', 'subdirectory', 'path', 'file', 'hg', 'svn', 'bzr',
  'os_name', 'sys_platform', 'platform_machine', 'platform_python_implementation', 'platform_release', 'platform_system',
  'platform_version', 'python_version', 'python_full_version', 'implementation_name', 'implementation_version',
]);
const SOURCE_KEYS = ['git', 'hg', 'svn', 'bzr', 'path', 'file'] as const;

export function parsePipfile(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'Pipfile', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const parsed = parseTomlIndexed(text, MAX_MANIFEST_TOML_CHARS);
  if (!parsed.ok) {
    result.problems.push(parsed.problem);
    return result;
  }
  const { index } = parsed;
  for (const n of index.childNames(['source'])) {
    const url = index.get(['source', n, 'url'])?.value;
    if (isString(url)) result.indexUrls.push(url.value);
  }
  for (const category of index.childNames([])) {
    if (NOT_CATEGORIES.has(category)) continue;
    const entry = index.get([category]);
    // A top-level key/value (not a table) is not a category.
    if (entry?.value && entry.value.type !== 'TOMLInlineTable') continue;
    for (const name of index.childNames([category])) readPackage(text, index, category, name, result);
  }
  return result;
}

function readPackage(text: string, index: TomlIndex, group: string, name: string, result: ManifestParseResult): void {
  const path = [group, name];
  const entry = index.get(path);
  if (!entry?.key) return;
  const base: Dependency = {
    ecosystem: 'PyPI',
    name: normalizeName(name),
    rawName: name,
    specifier: '',
    extras: [],
    format: 'Pipfile',
    group,
    range: entry.range,
    nameRange: keyRange(entry.key),
    editStyle: 'none',
  };
  const value = entry.value;
  if (isString(value)) {
    if (applyVersion(text, value, base, result)) result.dependencies.push(base);
    return;
  }
  if (value && value.type !== 'TOMLInlineTable') {
    result.problems.push(problemAt(value, `Package '${name}': expected a version string or a table`, 'warning'));
    return;
  }
  const unknown = index.childNames(path).filter((k) => !PACKAGE_KEYS.has(k));
  if (unknown.length > 0) {
    const hint = name.includes('.') ? '' : ` (a name with dots must be quoted: "${excerpt(name, 40)}.${excerpt(unknown[0]!, 40)}" = "*")`;
    result.problems.push({ message: `Package '${excerpt(name)}' has unknown key '${excerpt(unknown[0]!)}'${hint}`, range: entry.range, severity: 'warning' });
    if (unknown.length === index.childNames(path).length) return;
  }
  const version = index.get([...path, 'version'])?.value;
  if (version !== undefined) {
    if (!isString(version)) {
      result.problems.push(problemAt(version, `Package '${name}': 'version' must be a string`, 'warning'));
      return;
    }
    if (!applyVersion(text, version, base, result)) return;
  }
  const extras = index.get([...path, 'extras'])?.value;
  if (extras?.type === 'TOMLArray') base.extras = extras.elements.filter(isString).map((e) => normalizeName(e.value));
  const markers = index.get([...path, 'markers'])?.value;
  if (isString(markers)) base.marker = markers.value;
  const editable = index.get([...path, 'editable'])?.value;
  if (editable?.type === 'TOMLValue' && editable.value === true) base.editable = true;
  for (const k of SOURCE_KEYS) {
    const loc = index.get([...path, k])?.value;
    if (isString(loc)) {
      base.url = loc.value;
      base.editStyle = 'none';
      delete base.versionRange;
      break;
    }
  }
  result.dependencies.push(base);
}

/** Reads a Pipfile version string ("*", "==1.2", ">=1,<2") into the dependency; false when invalid. */
function applyVersion(text: string, node: AST.TOMLStringValue, dep: Dependency, result: ManifestParseResult): boolean {
  const content = stringContent(text, node);
  const spec = node.value.trim();
  const contentRange: OffsetRange = { start: content.start, end: content.end };
  if (spec !== '*' && spec !== '') {
    // A bare version ("1.2") is read the way pipenv installs it: as an exact pin.
    const asReq = /^[0-9]/.test(spec) ? `x==${spec}` : `x${spec}`;
    const parsed = parsePep508(asReq);
    if (!parsed.ok || parsed.requirement.url !== undefined || parsed.requirement.marker !== undefined) {
      const why = parsed.ok ? 'not a version specifier' : parsed.problem.message;
      result.problems.push({ message: `Invalid version '${excerpt(spec)}' for ${excerpt(dep.rawName)}: ${why}`, range: contentRange, severity: 'error' });
      return false;
    }
    dep.specifier = parsed.requirement.specifier;
    if (parsed.requirement.pinned !== undefined) dep.pinned = parsed.requirement.pinned;
  }
  // Only raw == decoded text can be rewritten by offsets; escapes in a version string are exotic.
  if (content.exact) {
    dep.versionRange = contentRange;
    dep.editStyle = 'pep508';
  }
  return true;
}
