// Reads one Poetry dependency entry (`name = "^1.2"`, `name = {version = ..., extras = [...]}`, a
// git/path/url table, or an array of such tables) into Dependencies with editStyle 'poetry'.

import type { AST } from 'toml-eslint-parser';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { excerpt, normalizeName } from './pep508';
import { translatePoetryConstraint } from './poetryVersion';
import { isString, keyRange, stringContent, type TomlIndex } from './tomlIndex';

type Fields = Map<string, AST.TOMLContentNode>;

function inlineFields(node: AST.TOMLInlineTable): Fields {
  const fields: Fields = new Map();
  for (const kv of node.body) {
    if (kv.key.keys.length !== 1) continue;
    const k = kv.key.keys[0]!;
    fields.set(k.type === 'TOMLBare' ? k.name : k.value, kv.value);
  }
  return fields;
}

function indexFields(index: TomlIndex, path: string[]): Fields {
  const fields: Fields = new Map();
  for (const f of index.childNames(path)) {
    const v = index.get([...path, f])?.value;
    if (v) fields.set(f, v);
  }
  return fields;
}

export function readPoetryDependency(text: string, index: TomlIndex, path: string[], group: string, result: ManifestParseResult): void {
  const entry = index.get(path);
  if (!entry?.key) return;
  const rawName = path[path.length - 1]!;
  const base = {
    ecosystem: 'PyPI' as const,
    name: normalizeName(rawName),
    rawName,
    format: 'pyproject.toml' as const,
    group,
    nameRange: keyRange(entry.key),
  };
  const value = entry.value;
  if (isString(value)) {
    result.dependencies.push(fromVersionString(text, value, { ...base, extras: [], range: entry.range }, result));
    return;
  }
  if (value?.type === 'TOMLArray') {
    for (const el of value.elements) {
      if (el.type !== 'TOMLInlineTable') {
        result.problems.push({ message: 'Expected a table like {version = "...", python = "..."}', range: { start: el.range[0], end: el.range[1] }, severity: 'warning' });
        continue;
      }
      result.dependencies.push(fromFields(text, inlineFields(el), { ...base, range: { start: el.range[0], end: el.range[1] } }, result));
    }
    return;
  }
  if (value && value.type !== 'TOMLInlineTable') {
    result.problems.push({ message: `Poetry dependency '${excerpt(rawName)}' should be a version string or a table`, range: { start: value.range[0], end: value.range[1] }, severity: 'warning' });
    return;
  }
  const fields = value ? inlineFields(value) : indexFields(index, path);
  result.dependencies.push(fromFields(text, fields, { ...base, range: entry.range }, result));
}

type Base = Omit<Dependency, 'specifier' | 'editStyle' | 'extras'> & { extras?: string[] };

function fromVersionString(text: string, node: AST.TOMLStringValue, base: Base, result: ManifestParseResult): Dependency {
  const content = stringContent(text, node);
  const constraint = translatePoetryConstraint(node.value);
  const versionRange: OffsetRange = { start: content.start, end: content.end };
  if (constraint.error) result.problems.push({ message: constraint.error, range: versionRange, severity: 'warning' });
  const dep: Dependency = { ...base, extras: base.extras ?? [], specifier: constraint.specifier, editStyle: 'poetry', versionRange };
  if (constraint.pinned !== undefined) dep.pinned = constraint.pinned;
  return dep;
}

function fromFields(text: string, fields: Fields, base: Base, result: ManifestParseResult): Dependency {
  const extrasNode = fields.get('extras');
  const extras = extrasNode?.type === 'TOMLArray' ? extrasNode.elements.filter(isString).map((e) => normalizeName(e.value)) : [];
  const markers = fields.get('markers');
  const withExtras: Base = { ...base, extras };
  if (isString(markers)) withExtras.marker = markers.value;
  for (const kind of ['git', 'path', 'url'] as const) {
    const loc = fields.get(kind);
    if (isString(loc)) {
      return { ...withExtras, extras, specifier: '', editStyle: 'none', url: loc.value, ...(isTrue(fields.get('develop')) ? { editable: true } : {}) };
    }
  }
  const version = fields.get('version');
  if (isString(version)) return fromVersionString(text, version, withExtras, result);
  return { ...withExtras, extras, specifier: '', editStyle: 'poetry' };
}

function isTrue(node: AST.TOMLContentNode | undefined): boolean {
  return node !== undefined && node.type === 'TOMLValue' && node.kind === 'boolean' && node.value;
}
