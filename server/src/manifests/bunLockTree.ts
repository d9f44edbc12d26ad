// bun.lock: where each package is installed and which copy a dependency resolves to, as Bun itself
// resolves them. A `packages` key is an install path of package names joined by `/` (`a`, `a/b`,
// `@s/a/@s/b`, `web/typescript` under the workspace named `web`); a package's dependency `d` is the
// entry at `<its key>/d`, else one level up, ..., else the hoisted `d`. The keys are held in a tree
// of package names, so a look-up walks at most MAX_KEY_DEPTH hash probes, whatever the key lengths.

/** Install paths nested deeper than any real tree are not placed (their entries are still reported). */
export const MAX_KEY_DEPTH = 64;

export interface TreeNode<T> {
  /** Made on the first child: most installed packages have no nested ones. */
  children?: Map<string, TreeNode<T>>;
  parent?: TreeNode<T>;
  value?: T;
}

/** The package names of an install path (`@scope/name` is one), or undefined past MAX_KEY_DEPTH. */
export function keySegments(key: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < key.length) {
    let end = key.indexOf('/', i);
    if (end < 0) end = key.length;
    // A scoped name spans two parts: `@scope/name`.
    if (key.charCodeAt(i) === 64 && end < key.length) {
      const next = key.indexOf('/', end + 1);
      end = next < 0 ? key.length : next;
    }
    out.push(key.slice(i, end));
    if (out.length > MAX_KEY_DEPTH) return undefined;
    i = end + 1;
  }
  return out;
}

export function newTree<T>(): TreeNode<T> {
  return {};
}

/** The node at `segments` below `root`, made on the way when `create` is set. */
export function nodeAt<T>(root: TreeNode<T>, segments: readonly string[], create: boolean): TreeNode<T> | undefined {
  let n = root;
  for (const s of segments) {
    let c = n.children?.get(s);
    if (!c) {
      if (!create) return undefined;
      c = { parent: n };
      (n.children ??= new Map()).set(s, c);
    }
    n = c;
  }
  return n;
}

/** What `name` resolves to from the package installed at `from`: its own nested copy first, then
 * each level up to the hoisted one. */
export function resolveFrom<T>(from: TreeNode<T>, name: string): T | undefined {
  for (let n: TreeNode<T> | undefined = from; n; n = n.parent) {
    const hit = n.children?.get(name)?.value;
    if (hit !== undefined) return hit;
  }
  return undefined;
}
