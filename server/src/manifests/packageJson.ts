// Reads package.json: the four dependency groups (with key and value offsets, edit style 'npm'),
// plus `overrides` (npm) and `resolutions` (yarn) entries as constraints. A value is classified
// by parseNpmSpec: a semver range, a dist-tag, an `npm:` alias, or a non-registry source.

import type { Node } from 'jsonc-parser';
import type { Dependency, ManifestParseResult } from '../domain';
import { exactPin } from '../versions/semver';
import { invalidJsonProblem, jsonChild, stringContents } from './jsonTree';
import { excerpt } from './pep508';
import semverLib from 'semver';

export const NPM_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

export interface NpmSpec {
  /** The registry package the spec installs (differs from the key for `npm:` aliases). */
  name: string;
  /** The semver range ('' for a dist-tag or a non-registry source). */
  range: string;
  /** Where `range` starts inside the spec text (after `npm:name@` for an alias). */
  rangeOffset: number;
  pinned?: string;
  /** A git/tarball/path/workspace source: no registry version applies. */
  url?: string;
  /** A dist-tag (`latest`, `next`): resolved by the registry at install time. */
  tag?: string;
  /** Set when the range is not valid semver. */
  invalid?: boolean;
}

const URL_RE = /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|file:|link:|workspace:|portal:|patch:|exec:|https?:|\.{0,2}\/|~\/)/i;
/** GitHub shorthand `user/repo` or `user/repo#ref` (a scoped name never appears in a value). */
const GH_SHORTHAND_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:#.*)?$/;
const TAG_RE = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Classifies a dependency value as npm reads it. `name` is the key (the installed folder name). */
export function parseNpmSpec(name: string, spec: string): NpmSpec {
  const text = spec.trim();
  const lead = spec.length - spec.trimStart().length;
  const alias = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)(?:@(.*))?$/.exec(text);
  // npm refuses an alias of an alias; reading one as such would recurse once per `npm:` in the text.
  if (alias && !(alias[2] ?? '').trimStart().startsWith('npm:')) {
    const inner = parseNpmSpec(alias[1]!, alias[2] ?? '');
    const rangeOffset = lead + 4 + alias[1]!.length + (alias[2] !== undefined ? 1 : 0) + inner.rangeOffset;
    return { ...inner, name: alias[1]!, rangeOffset };
  }
  if (URL_RE.test(text) || GH_SHORTHAND_RE.test(text)) return { name, range: '', rangeOffset: lead, url: text };
  const valid = text === '' || validRange(text);
  if (!valid && TAG_RE.test(text)) return { name, range: '', rangeOffset: lead, tag: text };
  const pinned = exactPin(text);
  return { name, range: text, rangeOffset: lead, ...(pinned ? { pinned } : {}), ...(valid ? {} : { invalid: true }) };
}

function validRange(range: string): boolean {
  try {
    return semverLib.validRange(range) !== null;
  } catch {
    return false;
  }
}


function readEntry(text: string, prop: Node, group: string, result: ManifestParseResult, constraint: boolean, name?: string): void {
  const [keyNode, valueNode] = prop.children ?? [];
  if (!keyNode || typeof keyNode.value !== 'string' || !valueNode) return;
  if (valueNode.type !== 'string') {
    result.problems.push({ message: `Expected a version string for ${excerpt(keyNode.value)}`, range: { start: valueNode.offset, end: valueNode.offset + valueNode.length }, severity: 'warning' });
    return;
  }
  const value = valueNode.value as string;
  // `$name` in overrides refers to the project's own range for that dependency.
  if (constraint && value.startsWith('$')) return;
  let keyRange = stringContents(text, keyNode) ?? { start: keyNode.offset, end: keyNode.offset + keyNode.length };
  // An override path (`**/a/b`) is reported on the package it targets.
  const within = name !== undefined && keyRange.end - keyRange.start === keyNode.value.length ? keyNode.value.lastIndexOf(name) : -1;
  if (within > 0) keyRange = { start: keyRange.start + within, end: keyRange.start + within + name!.length };
  const rawKey = name ?? keyNode.value;
  const spec = parseNpmSpec(rawKey, value);
  if (spec.invalid) {
    result.problems.push({ message: `"${excerpt(value)}" is not a valid npm version range`, range: { start: valueNode.offset, end: valueNode.offset + valueNode.length }, severity: 'warning' });
  }
  const contents = stringContents(text, valueNode);
  const dep: Dependency = {
    ecosystem: 'npm',
    name: spec.name,
    rawName: spec.name,
    specifier: spec.range,
    extras: [],
    format: 'package.json',
    group,
    range: { start: prop.offset, end: prop.offset + prop.length },
    nameRange: keyRange,
    editStyle: 'npm',
  };
  if (contents) {
    // A blank value has its leading and trailing blanks overlap: the range is empty, at its start.
    const start = Math.min(contents.start + spec.rangeOffset, contents.end);
    dep.versionRange = { start, end: Math.max(start, contents.end - (value.length - value.trimEnd().length)) };
  }
  if (spec.pinned) dep.pinned = spec.pinned;
  if (spec.url) dep.url = spec.url;
  if (constraint) dep.constraintOnly = true;
  result.dependencies.push(dep);
}

// The package a yarn `resolutions` key or an npm `overrides` key targets: the last package in a
// path (`a/b` and globbed paths give `b`, scoped names kept whole), without a `@range` selector.
export function overrideTarget(key: string): string {
  const parts = key.split('/').filter((p) => p !== '' && p !== '**');
  let last = parts.pop() ?? key;
  const prev = parts[parts.length - 1];
  if (prev?.startsWith('@')) last = `${prev}/${last}`;
  const at = last.indexOf('@', 1);
  return at > 0 ? last.slice(0, at) : last;
}

function readOverrides(text: string, node: Node | undefined, group: string, result: ManifestParseResult): void {
  // An explicit stack, not recursion: overrides nest as deep as the file says. Same order as a
  // recursive walk: an object's nested entries come right after its own.
  const stack: { props: Node[]; next: number }[] = node?.type === 'object' ? [{ props: node.children ?? [], next: 0 }] : [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const prop = top.props[top.next++];
    if (!prop) {
      stack.pop();
      continue;
    }
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || typeof keyNode.value !== 'string' || !valueNode) continue;
    if (valueNode.type === 'object') {
      // npm nests overrides: `{"a": {".": "1.0.0", "b": "2.0.0"}}` sets a and b-under-a.
      for (const inner of valueNode.children ?? []) {
        if (inner.children?.[0]?.value === '.') readEntry(text, { ...inner, children: [keyNode, inner.children[1]!] }, group, result, true, overrideTarget(keyNode.value));
      }
      stack.push({ props: (valueNode.children ?? []).filter((c) => c.children?.[0]?.value !== '.'), next: 0 });
    } else if (keyNode.value !== '.') {
      readEntry(text, prop, group, result, true, overrideTarget(keyNode.value));
    }
  }
}

export function parsePackageJson(text: string): ManifestParseResult {
  const result: ManifestParseResult = { format: 'package.json', dependencies: [], includes: [], indexUrls: [], problems: [] };
  const root = invalidJsonProblem(text, result);
  if (!root) return result;
  if (root.type !== 'object') {
    result.problems.push({ message: 'Expected a JSON object', range: { start: root.offset, end: root.offset + root.length }, severity: 'error' });
    return result;
  }
  for (const group of NPM_GROUPS) {
    const node = jsonChild(root, group);
    if (!node) continue;
    if (node.type !== 'object') {
      result.problems.push({ message: `\`${group}\` should be an object`, range: { start: node.offset, end: node.offset + node.length }, severity: 'warning' });
      continue;
    }
    for (const prop of node.children ?? []) readEntry(text, prop, group, result, false);
  }
  readOverrides(text, jsonChild(root, 'overrides'), 'overrides', result);
  readOverrides(text, jsonChild(root, 'resolutions'), 'resolutions', result);
  return result;
}
