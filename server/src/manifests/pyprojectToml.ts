// Reads dependencies from pyproject.toml: PEP 621 (project.dependencies / optional-dependencies),
// PEP 735 dependency-groups, uv and PDM dev/constraint lists (all PEP 508 strings), and Poetry
// tables (Poetry constraint syntax, translated to PEP 440), with exact offsets.

import type { AST } from 'toml-eslint-parser';
import type { Dependency, ManifestParseResult, OffsetRange, ParseProblem } from '../domain';
import { excerpt, normalizeName, parsePep508, requirementToDependency, shiftMap } from './pep508';
import { readPoetryDependency } from './poetryDeps';
import { isString, MAX_MANIFEST_TOML_CHARS, parseTomlIndexed, stringContent, type TomlIndex } from './tomlIndex';

export function parsePyprojectToml(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'pyproject.toml', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const parsed = parseTomlIndexed(text, MAX_MANIFEST_TOML_CHARS);
  if (!parsed.ok) {
    result.problems.push(parsed.problem);
    return result;
  }
  const { index } = parsed;
  const pep508List = (path: string[], group: string, extra: Partial<Dependency> = {}): void => {
    const entry = index.get(path);
    if (!entry?.value) return;
    if (entry.value.type !== 'TOMLArray') {
      result.problems.push(problemAt(entry.value, `'${path.join('.')}' should be an array of requirement strings`, 'warning'));
      return;
    }
    for (const el of entry.value.elements) {
      if (isString(el)) readRequirementString(text, el, group, extra, result);
      else result.problems.push(problemAt(el, 'Expected a requirement string', 'warning'));
    }
  };

  pep508List(['project', 'dependencies'], 'dependencies');
  for (const g of index.childNames(['project', 'optional-dependencies'])) {
    pep508List(['project', 'optional-dependencies', g], `optional-dependencies.${g}`);
  }
  readDependencyGroups(text, index, result);
  pep508List(['tool', 'uv', 'dev-dependencies'], 'tool.uv.dev-dependencies');
  pep508List(['tool', 'uv', 'constraint-dependencies'], 'tool.uv.constraint-dependencies', { constraintOnly: true });
  pep508List(['tool', 'uv', 'override-dependencies'], 'tool.uv.override-dependencies', { constraintOnly: true });
  for (const g of index.childNames(['tool', 'pdm', 'dev-dependencies'])) {
    pep508List(['tool', 'pdm', 'dev-dependencies', g], `tool.pdm.dev-dependencies.${g}`);
  }

  const poetrySection = (path: string[]): void => {
    const group = path.join('.');
    for (const name of index.childNames(path)) {
      if (name.toLowerCase() === 'python') continue;
      readPoetryDependency(text, index, [...path, name], group, result);
    }
  };
  poetrySection(['tool', 'poetry', 'dependencies']);
  poetrySection(['tool', 'poetry', 'dev-dependencies']);
  for (const g of index.childNames(['tool', 'poetry', 'group'])) poetrySection(['tool', 'poetry', 'group', g, 'dependencies']);
  return result;
}

export function problemAt(node: { range: [number, number] }, message: string, severity: ParseProblem['severity']): ParseProblem {
  return { message, range: { start: node.range[0], end: node.range[1] }, severity };
}

/** A PEP 508 string inside TOML. Escaped strings are parsed decoded for values and raw for offsets. */
function readRequirementString(text: string, node: AST.TOMLStringValue, group: string, extra: Partial<Dependency>, result: ManifestParseResult): void {
  const content = stringContent(text, node);
  const parsed = parsePep508(node.value);
  if (!parsed.ok) {
    const range = content.exact ? shift(parsed.problem.range, content.start) : { start: content.start, end: content.end };
    result.problems.push({ ...parsed.problem, range });
    return;
  }
  const dep = requirementToDependency(parsed.requirement, 'pyproject.toml', shiftMap(content.start), { group, ...extra });
  if (!content.exact) {
    const raw = parsePep508(content.raw);
    const whole = { start: content.start, end: content.end };
    if (raw.ok && raw.requirement.name === parsed.requirement.name) {
      const rawDep = requirementToDependency(raw.requirement, 'pyproject.toml', shiftMap(content.start));
      dep.range = rawDep.range;
      dep.nameRange = rawDep.nameRange;
      if (rawDep.versionRange) dep.versionRange = rawDep.versionRange;
    } else {
      dep.range = whole;
      dep.nameRange = whole;
      delete dep.versionRange;
      dep.editStyle = 'none';
    }
  }
  result.dependencies.push(dep);
}

function shift(r: OffsetRange, by: number): OffsetRange {
  return { start: r.start + by, end: r.end + by };
}

/** PEP 735: lists of PEP 508 strings and `{include-group = "name"}` tables. */
function readDependencyGroups(text: string, index: TomlIndex, result: ManifestParseResult): void {
  const base = ['dependency-groups'];
  const groups = index.childNames(base);
  const byNorm = new Map(groups.map((g) => [normalizeName(g), g]));
  const edges = new Map<string, { target: string; node: AST.TOMLStringValue }[]>();
  for (const g of groups) {
    const value = index.get([...base, g])?.value;
    if (!value) continue;
    if (value.type !== 'TOMLArray') {
      result.problems.push(problemAt(value, `Dependency group '${g}' should be an array`, 'warning'));
      continue;
    }
    const out: { target: string; node: AST.TOMLStringValue }[] = [];
    edges.set(normalizeName(g), out);
    for (const el of value.elements) {
      if (isString(el)) {
        readRequirementString(text, el, `dependency-groups.${g}`, {}, result);
        continue;
      }
      const inc = el.type === 'TOMLInlineTable' ? el.body.find((kv) => kv.key.keys.length === 1 && keyText(kv.key.keys[0]!) === 'include-group') : undefined;
      if (!inc || !isString(inc.value)) {
        result.problems.push(problemAt(el, "Expected a requirement string or {include-group = \"name\"}", 'warning'));
        continue;
      }
      const target = normalizeName(inc.value.value);
      if (!byNorm.has(target)) {
        result.problems.push(problemAt(inc.value, `Unknown dependency group '${excerpt(inc.value.value)}'`, 'error'));
        continue;
      }
      out.push({ target, node: inc.value });
    }
  }
  // Depth-first search; an edge back into the current path is a cycle, reported on that include.
  // Iterative with one shared path (a chain of thousands of groups must neither overflow the
  // stack nor copy the path at every step), and a cycle is named by at most a few of its groups.
  const state = new Map<string, 'active' | 'done'>();
  const onPath = new Map<string, number>();
  for (const root of edges.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { group: string; next: number }[] = [];
    const enter = (g: string): void => {
      state.set(g, 'active');
      onPath.set(g, path.length);
      path.push(g);
      stack.push({ group: g, next: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = edges.get(top.group) ?? [];
      if (top.next >= out.length) {
        stack.pop();
        path.pop();
        onPath.delete(top.group);
        state.set(top.group, 'done');
        continue;
      }
      const e = out[top.next++]!;
      const s = state.get(e.target);
      if (s === 'active') {
        result.problems.push(problemAt(e.node, `Dependency group cycle: ${cycleText(path, onPath.get(e.target)!, e.target, byNorm)}`, 'error'));
      } else if (s === undefined) {
        enter(e.target);
      }
    }
  }
}

/** `a -> b -> a`, or `a -> b -> … (n groups) -> z -> a` for a long cycle. */
function cycleText(path: readonly string[], from: number, target: string, byNorm: ReadonlyMap<string, string>): string {
  const name = (n: string): string => excerpt(byNorm.get(n) ?? n);
  const length = path.length - from;
  const shown = length <= 6 ? path.slice(from).map(name) : [...path.slice(from, from + 3).map(name), `… (${length} groups)`, ...path.slice(path.length - 2).map(name)];
  return [...shown, name(target)].join(' -> ');
}

function keyText(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}
