// JSON manifests and lockfiles (package.json, package-lock.json, Pipfile.lock): the jsonc-parser
// tree helpers they share — child look-up, exact string offsets, and one problem for bad JSON.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ManifestParseResult, OffsetRange } from '../domain';

export function jsonChild(node: Node | undefined, key: string): Node | undefined {
  const prop = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key) : undefined;
  return prop?.children?.[1];
}

/** The contents of a JSON string node, when its source text has no escapes (so offsets line up). */
export function stringContents(text: string, node: Node): OffsetRange | undefined {
  if (node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const r = { start: node.offset + 1, end: node.offset + node.length - 1 };
  return text.slice(r.start, r.end) === node.value ? r : undefined;
}

export function invalidJsonProblem(text: string, result: ManifestParseResult): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = e ? e.offset : 0;
    result.problems.push({ message: `Invalid JSON: ${e ? printParseErrorCode(e.error) : 'empty document'}`, range: { start: at, end: at + (e?.length ?? 0) }, severity: 'error' });
  }
  return root;
}
