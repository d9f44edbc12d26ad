// Reads a conda environment.yml: conda specs under `dependencies:` (mapped to PyPI names, conda-only
// packages skipped) and the nested `- pip:` list (requirements-file lines, parsed exactly like
// requirements.txt). Conda specs are written back with PEP 440 operators (`==X`, `>=X,<Y`), which
// conda also accepts, so they use the 'pep508' edit style unless a build string or `|` is involved.

import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Dependency, ManifestParseResult, OffsetRange } from '../domain';
import { parseCondaSpec, pypiNameForConda } from './condaSpec';
import { excerpt } from './pep508';
import { parseRequirementsTxt } from './requirementsTxt';
import { parseYamlDocument } from './yamlDocument';

/** Real environment files are a few KB; a hostile one must not cost the library seconds. */
const MAX_CHARS = 512 * 1024;

type Node = { range?: [number, number, number] | null };

function nodeRange(n: Node): OffsetRange {
  return n.range ? { start: n.range[0], end: n.range[1] } : { start: 0, end: 0 };
}

/** Offset of the scalar's first value character when its source text equals its value, else undefined. */
function exactStart(text: string, s: Scalar): number | undefined {
  if (!s.range || typeof s.value !== 'string') return undefined;
  const [a, b] = s.range;
  if (s.type === 'PLAIN' && text.slice(a, b) === s.value) return a;
  if ((s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') && text.slice(a + 1, b - 1) === s.value) return a + 1;
  return undefined;
}

export function parseEnvironmentYml(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'environment.yml', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const parsed = parseYamlDocument(text, { maxChars: MAX_CHARS }, { keepSourceTokens: true, uniqueKeys: false });
  if (!parsed.ok) {
    result.problems.push(parsed.problem);
    return result;
  }
  const { doc } = parsed;
  for (const e of doc.errors) {
    const start = Math.min(e.pos[0], text.length);
    result.problems.push({ message: `Invalid YAML: ${excerpt(e.message.split('\n')[0]!, 200)}`, range: { start, end: Math.max(start, Math.min(e.pos[1], text.length)) }, severity: 'error' });
  }
  if (!isMap(doc.contents)) {
    if (doc.contents !== null && doc.errors.length === 0) {
      result.problems.push({ message: 'Expected a mapping with a `dependencies:` list', range: nodeRange(doc.contents), severity: 'error' });
    }
    return result;
  }
  const deps = doc.contents.get('dependencies', true);
  if (deps === undefined || (isScalar(deps) && deps.value === null)) return result;
  if (!isSeq(deps)) {
    result.problems.push({ message: '`dependencies` should be a list', range: nodeRange(deps as Node), severity: 'error' });
    return result;
  }
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === 'string') {
      readConda(text, item, result);
    } else if (isMap(item) && item.has('pip')) {
      const pip = item.get('pip', true);
      if (isSeq(pip)) {
        for (const p of pip.items) {
          if (isScalar(p) && typeof p.value === 'string') readPip(text, p, result);
          else result.problems.push({ message: 'Expected a pip requirement string', range: nodeRange(p as Node), severity: 'warning' });
        }
      } else if (!(isScalar(pip) && pip.value === null)) {
        result.problems.push({ message: '`pip:` should be a list of requirements', range: nodeRange(pip as Node), severity: 'warning' });
      }
    } else {
      result.problems.push({ message: 'Expected a conda package spec or a `pip:` list', range: nodeRange(item as Node), severity: 'warning' });
    }
  }
  return result;
}

function readConda(text: string, node: Scalar, result: ManifestParseResult): void {
  const value = node.value as string;
  const base = exactStart(text, node);
  const parsed = parseCondaSpec(value);
  const whole = nodeRange(node);
  if (!parsed.ok) {
    const range = base === undefined ? whole : { start: base + parsed.range.start, end: base + parsed.range.end };
    result.problems.push({ message: parsed.message, range, severity: 'error' });
    return;
  }
  const spec = parsed.spec;
  const pypi = pypiNameForConda(spec.name);
  if (pypi === undefined) return;
  const shift = (r: OffsetRange): OffsetRange => (base === undefined ? whole : { start: base + r.start, end: base + r.end });
  const dep: Dependency = {
    ecosystem: 'PyPI',
    name: pypi,
    rawName: spec.name,
    specifier: spec.specifier,
    extras: [],
    format: 'environment.yml',
    group: 'dependencies',
    range: base === undefined ? whole : { start: base + value.length - value.trimStart().length, end: base + value.trimEnd().length },
    nameRange: shift(spec.nameRange),
    editStyle: spec.editable && base !== undefined ? 'pep508' : 'none',
  };
  if (dep.editStyle === 'pep508') dep.versionRange = shift(spec.versionRange);
  if (spec.pinned !== undefined) dep.pinned = spec.pinned;
  if (spec.untranslated !== undefined) {
    result.problems.push({ message: `Conda version '${excerpt(spec.untranslated)}' of ${excerpt(spec.name)} cannot be checked against PyPI versions`, range: shift(spec.versionRange), severity: 'info' });
  }
  result.dependencies.push(dep);
}

/** A `pip:` entry is one requirements-file line: reuse that parser and move its offsets here. */
function readPip(text: string, node: Scalar, result: ManifestParseResult): void {
  const base = exactStart(text, node);
  const whole = nodeRange(node);
  const sub = parseRequirementsTxt(node.value as string);
  const move = (r: OffsetRange): OffsetRange => (base === undefined ? whole : { start: r.start + base, end: r.end + base });
  for (const d of sub.dependencies) {
    const dep: Dependency = { ...d, format: 'environment.yml', group: 'pip', range: move(d.range), nameRange: move(d.nameRange) };
    if (d.versionRange && base !== undefined) dep.versionRange = move(d.versionRange);
    else {
      delete dep.versionRange;
      dep.editStyle = 'none';
    }
    result.dependencies.push(dep);
  }
  for (const inc of sub.includes) result.includes.push({ ...inc, range: move(inc.range) });
  result.indexUrls.push(...sub.indexUrls);
  for (const p of sub.problems) result.problems.push({ ...p, range: move(p.range) });
}
