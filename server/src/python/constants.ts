// Module constants: names bound once at module level to a literal (`MODEL_ID = "org/name"`),
// so that a call naming the constant is judged like one with the literal. Text finds candidates
// (column-0 literal assignments) and their binding-looking occurrences; the tree confirms them.
import type { ArgValue } from '../domain';
import type { Node, Tree } from './parser';

const isIdent = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** The value of a plain literal (string without interpolation, bool, None, number). */
export function constantValue(n: Node | null): ArgValue | undefined {
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

/** A column-0 assignment of a literal: the only way a name becomes a module constant. */
const LITERAL_ASSIGN = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*(?=[rRbBuU]{0,2}["']|True\b|False\b|None\b|\d)/gm;
/** Text right after a name that may make it an assignment, loop or pattern target. */
const TARGET_AFTER = /^[ \t]*(?:=(?!=)|:(?!=)|,|\)|\]|(?:[-+*\/%&|^@]|\/\/|\*\*|>>|<<)=|in\b)/;
const TARGET_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'tuple', 'list']);
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** Whether identifier `id` is bound by a module-level statement; with the literal of a plain `id = literal`. */
function moduleBinding(id: Node): { value?: ArgValue } | undefined {
  let n = id;
  let p = id.parent;
  while (p && TARGET_PATTERNS.has(p.type)) {
    n = p;
    p = p.parent;
  }
  if (!p) return undefined;
  let value: ArgValue | undefined;
  switch (p.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement': {
      if (!p.childForFieldName('left')?.equals(n)) return undefined;
      const right = p.type === 'assignment' && n.equals(id) ? p.childForFieldName('right') : null;
      if (right && right.type !== 'assignment') value = constantValue(right);
      break;
    }
    case 'as_pattern_target':
      break;
    default:
      return undefined;
  }
  for (let a = p.parent; a; a = a.parent) if (SCOPES.has(a.type)) return undefined;
  return value ? { value } : {};
}

function* wordsIn(text: string, word: string): Generator<number> {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + word.length)) {
    if ((i > 0 && isIdent(text.charCodeAt(i - 1))) || isIdent(text.charCodeAt(i + word.length))) continue;
    yield i;
  }
}

/**
 * Module-level bindings of the names assigned a literal at column 0, counted, with their literal
 * values. Text finds the candidates and their binding-looking occurrences; the tree confirms them
 * (a keyword argument `name=` or a function local is not a module binding).
 */
export function moduleConstants(tree: Tree, text: string, counts: Map<string, number>, values: Map<string, ArgValue>): void {
  const names = new Set<string>();
  for (const m of text.matchAll(LITERAL_ASSIGN)) names.add(m[1]!);
  for (const name of names) {
    for (const i of wordsIn(text, name)) {
      if (!TARGET_AFTER.test(text.slice(i + name.length, i + name.length + 8))) continue;
      const id = tree.rootNode.descendantForIndex(i, i + name.length);
      if (id?.type !== 'identifier') continue;
      const b = moduleBinding(id);
      if (!b) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (b.value) values.set(name, b.value);
    }
  }
}
