// JSON manifests and lockfiles (package.json, package-lock.json, Pipfile.lock): the jsonc-parser
// tree helpers they share — child look-up, exact string offsets, and one problem for bad JSON.
// jsonc-parser recurses once per nesting level (10,000 `[` overflowed the stack), so nesting is
// counted first and a document deeper than any real manifest or lockfile is refused.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ManifestParseResult, OffsetRange } from '../domain';

export function jsonChild(node: Node | undefined, key: string): Node | undefined {
  const prop = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key) : undefined;
  return prop?.children?.[1];
}

/** The contents of a JSON string node, when its source text has no escapes (so offsets line up). */
export function stringContents(text: string, node: Node): OffsetRange | undefined {
  if (node.type !== 'string' || typeof node.value !== 'string') return undefined;
  // An unterminated string (`"abc` at a line end) has no closing quote to strip.
  if (node.length < 2 || text.charCodeAt(node.offset + node.length - 1) !== 34) return undefined;
  const r = { start: node.offset + 1, end: node.offset + node.length - 1 };
  return text.slice(r.start, r.end) === node.value ? r : undefined;
}

/** Arrays and objects nested deeper are refused (the lock readers use the same limit); npm v1
 * lockfiles nest a few dozen levels, jsonc-parser overflowed the stack at 10,000. */
export const MAX_JSON_DEPTH = 1000;

/** The deepest nesting of `[` / `{` outside strings and comments, read as jsonc-parser reads them: a
 * string ends at its closing quote or at a line break, `//` runs to a line break, `/*` to its close.
 * Comments are skipped, not read as text: a quote in a block comment hid the brackets after it. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    } else if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10 || d === 13) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
      if (max > stopAbove) return max;
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return max;
}

export function invalidJsonProblem(text: string, result: ManifestParseResult): Node | undefined {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    result.problems.push({ message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep; not parsed`, range: { start: 0, end: 0 }, severity: 'error' });
    return undefined;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = e ? e.offset : 0;
    result.problems.push({ message: `Invalid JSON: ${e ? printParseErrorCode(e.error) : 'empty document'}`, range: { start: at, end: at + (e?.length ?? 0) }, severity: 'error' });
  }
  return root;
}
