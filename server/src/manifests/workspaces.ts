// Workspace declarations: which member folders share a root's lockfile. uv
// (`[tool.uv.workspace] members/exclude` in pyproject.toml) and npm/yarn (`workspaces` in
// package.json, an array or `{ packages: [...] }`). Globs are returned as written, relative to the
// declaring folder; `globMatches` tests a relative path against one without backtracking.
import { parseTree, type Node } from 'jsonc-parser';
import { parseTomlIndexed } from './tomlIndex';
import type { AST } from 'toml-eslint-parser';

export interface WorkspaceDeclaration {
  members: string[];
  exclude: string[];
}

const MAX_GLOBS = 1000;

function tomlStrings(node: AST.TOMLContentNode | undefined): string[] {
  if (!node || node.type !== 'TOMLArray') return [];
  const out: string[] = [];
  for (const el of node.elements) {
    if (el.type === 'TOMLValue' && el.kind === 'string' && out.length < MAX_GLOBS) out.push(el.value);
  }
  return out;
}

function jsonStrings(node: Node | undefined): string[] {
  if (!node || node.type !== 'array') return [];
  return (node.children ?? []).filter((c) => c.type === 'string' && typeof c.value === 'string').slice(0, MAX_GLOBS).map((c) => c.value as string);
}

function jsonChild(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  for (const p of node.children ?? []) if (p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

/** The workspace a manifest declares, if any. Never throws. */
export function workspaceDeclaration(kind: string, text: string): WorkspaceDeclaration | undefined {
  try {
    if (kind === 'pyproject') {
      if (!text.includes('workspace')) return undefined;
      const parsed = parseTomlIndexed(text);
      if (!parsed.ok) return undefined;
      const members = tomlStrings(parsed.index.get(['tool', 'uv', 'workspace', 'members'])?.value);
      if (members.length === 0) return undefined;
      return { members, exclude: tomlStrings(parsed.index.get(['tool', 'uv', 'workspace', 'exclude'])?.value) };
    }
    if (kind === 'package.json') {
      if (!text.includes('"workspaces"')) return undefined;
      const root = parseTree(text, [], { allowTrailingComma: true });
      const ws = jsonChild(root, 'workspaces');
      const members = ws?.type === 'array' ? jsonStrings(ws) : jsonStrings(jsonChild(ws, 'packages'));
      if (members.length === 0) return undefined;
      // npm and yarn write exclusions as `!glob` entries.
      return { members: members.filter((m) => !m.startsWith('!')), exclude: members.filter((m) => m.startsWith('!')).map((m) => m.slice(1)) };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `*` and `?` within one path segment: the greedy two-pointer match, O(len(seg) × len(pat)). */
function segmentMatches(pat: string, seg: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < seg.length) {
    if (p < pat.length && (pat[p] === '?' || pat[p] === seg[s])) {
      p++;
      s++;
    } else if (p < pat.length && pat[p] === '*') {
      star = p++;
      mark = s;
    } else if (star !== -1) {
      p = star + 1;
      s = ++mark;
    } else return false;
  }
  while (p < pat.length && pat[p] === '*') p++;
  return p === pat.length;
}

/**
 * Whether a '/'-separated relative path matches a glob (`packages/*`, `libs/**`, `apps/web`):
 * `*` and `?` stay inside one segment, `**` spans any number of segments. Dynamic programming
 * over segments, so hostile globs cannot make it backtrack exponentially.
 */
export function globMatches(glob: string, relPath: string): boolean {
  if (glob.length > 1000 || relPath.length > 10_000) return false;
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '').split('/');
  const p = relPath.split('/');
  // ok[j] = the first i glob segments match the first j path segments.
  let ok = new Array<boolean>(p.length + 1).fill(false);
  ok[0] = true;
  for (const seg of g) {
    const next = new Array<boolean>(p.length + 1).fill(false);
    if (seg === '**') {
      let any = false;
      for (let j = 0; j <= p.length; j++) next[j] = any = any || ok[j]!;
    } else {
      for (let j = 1; j <= p.length; j++) next[j] = ok[j - 1]! && segmentMatches(seg, p[j - 1]!);
    }
    ok = next;
  }
  return ok[p.length]!;
}

/** Whether `relPath` (a member folder relative to the declaring folder) is a member. */
export function isWorkspaceMember(decl: WorkspaceDeclaration, relPath: string): boolean {
  const rel = relPath.split('\\').join('/');
  if (!rel || rel.startsWith('..')) return false;
  if (decl.exclude.some((g) => globMatches(g, rel))) return false;
  return decl.members.some((g) => globMatches(g, rel));
}
