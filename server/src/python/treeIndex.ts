// Node look-ups and parent links that stay linear on hostile trees. tree-sitter's
// `descendantForIndex` and `Node.parent` both descend from the root (scanning siblings at each
// level), so one look-up costs depth × width: a 32k-term expression or a 256k-element list made
// per-candidate look-ups and parent walks quadratic (14 s). For such texts a batch of sorted
// offsets is located by one cursor that only moves forward (up, to the next sibling, down),
// recording each visited node's parent. Normal code keeps tree-sitter's one-call look-ups (the
// cursor costs several JS-to-wasm crossings per level): the text's shape (textShape.ts) bounds
// what they can cost, and a batch whose bound is too high takes the cursor. Ancestor queries are
// memoised per node, so a walk never repeats.
import type { Node, Tree } from './parser';
import { textShape, type TextShape } from './textShape';

/** Look-ups beyond this estimated tree-sitter work (probes x (width + depth) bound) take the cursor. */
const FAST_BUDGET = 40_000_000;
/** Texts up to this length always take the fast path (depth and width are both below it). */
const SMALL_TEXT = 1_024;
/** Parent walks beyond this estimated work (probes x depth^2: each `parent` descends from the root) too. */
const FAST_WALK_BUDGET = 40_000_000;

/** Ancestor types that scope names (functions, lambdas, classes). */
export const SCOPE_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda']);

export class TreeIndex {
  private readonly parents = new Map<number, Node | null>();
  private readonly nearest = new Map<ReadonlySet<string>, Map<number, Node | null>>();

  private shapeMemo?: TextShape;

  constructor(
    readonly tree: Tree,
    private readonly text: string,
  ) {
    this.parents.set(tree.rootNode.id, null);
  }

  /** Whether tree-sitter's own look-ups stay cheap for `probes` look-ups in this text. */
  private fastFor(probes: number): boolean {
    // Depth is bounded by block nesting plus the tokens of the longest logical line, width by the
    // largest block or logical line: a look-up scans at most width at each of depth levels, and an
    // ancestor walk makes depth `parent` calls of depth steps each.
    // A small text cannot make any look-up expensive (a notebook cell, a short script).
    if (this.text.length <= SMALL_TEXT) return true;
    this.shapeMemo ??= textShape(this.text);
    const { maxBlock, maxNesting, maxTokens } = this.shapeMemo;
    const depth = 2 * maxNesting + maxTokens + 8;
    return probes * (maxBlock + 16 * maxNesting + maxTokens) <= FAST_BUDGET && probes * depth * depth <= FAST_WALK_BUDGET;
  }

  /** The smallest node spanning each range: tree-sitter's look-up when cheap, else the cursor walk. */
  locate(ranges: readonly (readonly [number, number])[]): (Node | undefined)[] {
    if (this.fastFor(ranges.length)) {
      const root = this.tree.rootNode;
      return ranges.map(([s, e]) => root.descendantForIndex(s, e) ?? undefined);
    }
    return this.walk(ranges);
  }

  /**
   * The smallest node (named or not) spanning each `[start, end)` range, like
   * `rootNode.descendantForIndex(start, end)`, for the whole batch in one forward pass: each
   * node is entered at most once, so the batch costs O(nodes on the way), not O(ranges x depth).
   */
  /** `locate` by the forward cursor walk (always linear; public for tests that compare the two). */
  walk(ranges: readonly (readonly [number, number])[]): (Node | undefined)[] {
    const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]![0] - ranges[b]![0] || ranges[a]![1] - ranges[b]![1]);
    const out: (Node | undefined)[] = new Array<Node | undefined>(ranges.length);
    if (ranges.length === 0) return out;
    const cursor = this.tree.walk();
    // The node under the cursor at each depth; a level is left undefined while the cursor steps
    // across siblings (cheap) and made into a Node only when it is needed.
    const stack: (Node | undefined)[] = [this.tree.rootNode];
    const top = (): Node => {
      const d = stack.length - 1;
      let n = stack[d];
      if (!n) {
        n = cursor.currentNode;
        stack[d] = n;
        if (d > 0 && !this.parents.has(n.id)) this.parents.set(n.id, stack[d - 1]!);
      }
      return n;
    };
    try {
      for (const i of order) {
        const [s, e] = ranges[i]!;
        const contains = (cs: number, ce: number): boolean => cs <= s && ce >= e && ce > s;
        // Forward across siblings, or up, until the cursor's node contains the range.
        while (!contains(cursor.startIndex, cursor.endIndex)) {
          if (cursor.endIndex <= s && cursor.gotoNextSibling()) {
            stack[stack.length - 1] = undefined;
            continue;
          }
          if (!cursor.gotoParent()) break;
          stack.pop();
        }
        // Down while a child contains it.
        for (;;) {
          const parent = top();
          if (!cursor.gotoFirstChildForIndex(s)) break;
          if (!contains(cursor.startIndex, cursor.endIndex)) {
            cursor.gotoParent();
            break;
          }
          const child = cursor.currentNode;
          if (!this.parents.has(child.id)) this.parents.set(child.id, parent);
          stack.push(child);
        }
        out[i] = top();
      }
    } finally {
      cursor.delete();
    }
    return out;
  }

  /** A node's parent: recorded by the cursor walk, or learnt when a child was reached from its parent. */
  parentOf(n: Node): Node | null {
    const known = this.parents.get(n.id);
    if (known !== undefined) return known;
    // Not reached through the walk: ask tree-sitter once and remember (the text's shape bounds
    // its cost when the fast path was taken).
    const p = n.parent;
    this.parents.set(n.id, p);
    return p;
  }

  /** Record that `child` was reached from `parent` (child navigation), so its parent is free. */
  adopt<T extends Node | null>(parent: Node, child: T): T {
    if (child && !this.parents.has(child.id)) this.parents.set(child.id, parent);
    return child;
  }

  /** `n.childForFieldName(field)`, remembering the parent link. */
  field(n: Node, field: string): Node | null {
    return this.adopt(n, n.childForFieldName(field));
  }

  /** `n.namedChildren` (comments dropped), remembering the parent links. */
  named(n: Node): Node[] {
    const out: Node[] = [];
    for (const c of n.namedChildren) if (c && c.type !== 'comment') out.push(this.adopt(n, c));
    return out;
  }

  /**
   * The nearest proper ancestor whose type is in `types`, or null: memoised per node and type
   * set, filled for the whole path walked, so repeated queries along one chain cost O(1) each.
   */
  enclosing(n: Node, types: ReadonlySet<string>): Node | null {
    let memo = this.nearest.get(types);
    if (!memo) this.nearest.set(types, (memo = new Map()));
    const path: number[] = [];
    let cur: Node | null = n;
    let found: Node | null = null;
    while (cur) {
      const hit = memo.get(cur.id);
      if (hit !== undefined) {
        found = hit;
        break;
      }
      path.push(cur.id);
      const p = this.parentOf(cur);
      if (p && types.has(p.type)) {
        found = p;
        break;
      }
      cur = p;
    }
    for (const id of path) memo.set(id, found);
    return found;
  }
}
