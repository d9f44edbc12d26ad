// Module-level values: names bound once at module level to an expression we can read
// (`MODEL_ID = "org/name"`, `KW = {"weights_only": True}`), so that a call naming the constant is
// judged like one with the literal, and `**KW` like the keywords in it. Text finds candidates
// (column-0 assignments) and their binding-looking occurrences; the tree confirms them.
import type { ArgValue } from '../domain';
import type { Node } from './parser';
import { scanWords, WordSet } from './textScan';
import { SCOPE_TYPES, type TreeIndex } from './treeIndex';

/** The value of a plain literal (string without interpolation, bool, None, number). */
export function constantValue(n: Node | null | undefined): ArgValue | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'true':
    case 'false':
      return { kind: 'bool', value: n.type === 'true' };
    case 'none':
      return { kind: 'none' };
    case 'integer': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isNaN(v) ? undefined : { kind: 'number', value: v };
    }
    case 'string': {
      const start = n.namedChildren.find((c) => c?.type === 'string_start');
      const end = n.namedChildren.find((c) => c?.type === 'string_end');
      if (!start || !end || n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
      const value = n.text.slice(start.endIndex - n.startIndex, end.startIndex - n.startIndex);
      return { kind: 'string', value, contentRange: { start: start.endIndex, end: end.startIndex } };
    }
    default:
      return undefined;
  }
}

/** A column-0 assignment: the only way a name becomes a module value. */
const MODULE_ASSIGN = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n\r]*)?=(?!=)/gm;
/** Text right after a name that may make it an assignment, loop or pattern target. */
const TARGET_AFTER = /^[ \t]*(?:=(?!=)|:(?!=)|,|\)|\]|(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)=|in\b)/;
const TARGET_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'tuple', 'list']);

/** Whether identifier `id` is bound by a module-level statement; with the right side of a plain `id = expr`. */
function moduleBinding(id: Node, ix: TreeIndex): { rhs?: Node } | undefined {
  let n = id;
  let p = ix.parentOf(id);
  // Patterns nest only as deep as the code does; a cap keeps a crafted one bounded.
  for (let depth = 0; p && TARGET_PATTERNS.has(p.type) && depth < 64; depth++) {
    n = p;
    p = ix.parentOf(p);
  }
  if (!p) return undefined;
  let rhs: Node | undefined;
  switch (p.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement': {
      if (p.childForFieldName('left')?.id !== n.id) return undefined;
      const right = p.type === 'assignment' && n.id === id.id ? p.childForFieldName('right') : null;
      if (right && right.type !== 'assignment') rhs = ix.adopt(p, right);
      break;
    }
    case 'as_pattern_target':
      break;
    default:
      return undefined;
  }
  if (ix.enclosing(p, SCOPE_TYPES)) return undefined;
  return rhs ? { rhs } : {};
}

export interface ModuleValues {
  /** How often each candidate name is bound at module level. */
  counts: Map<string, number>;
  /** The right side of the (last) plain assignment of each name. */
  rhs: Map<string, Node>;
}

/**
 * Module-level bindings of the names assigned at column 0, counted, with the right-hand side of
 * their plain assignments. Text finds the candidates and their binding-looking occurrences; the
 * tree confirms them (a keyword argument `name=` or a function local is not a module binding).
 */
export function moduleValues(ix: TreeIndex, text: string, out: ModuleValues): void {
  const names = new Set<string>();
  for (const m of text.matchAll(MODULE_ASSIGN)) names.add(m[1]!);
  if (names.size === 0) return;
  const hits: { name: string; at: number }[] = [];
  for (const [name, positions] of scanWords(text, new WordSet(names))) {
    for (const i of positions) {
      const after = i + name.length;
      if (TARGET_AFTER.test(text.slice(after, after + 8))) hits.push({ name, at: i });
    }
  }
  const nodes = ix.locate(hits.map((h) => [h.at, h.at + h.name.length] as const));
  hits.forEach((h, k) => {
    const id = nodes[k];
    if (id?.type !== 'identifier') return;
    const b = moduleBinding(id, ix);
    if (!b) return;
    out.counts.set(h.name, (out.counts.get(h.name) ?? 0) + 1);
    if (b.rhs) out.rhs.set(h.name, b.rhs);
  });
}
