// Which policy governs a file: the nearest folder up the tree that holds one (an aidr.toml wins
// over a `[tool.aidr]` table in the same folder's pyproject.toml), never above the workspace or
// scan root that contains the file. Policies do not merge: the nearest one applies alone. Pure:
// the caller supplies the policies it knows of.
import path from 'node:path';
import type { Policy } from '../domain';

function within(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class PolicyIndex {
  private readonly byDir = new Map<string, Policy>();
  private readonly roots: string[];

  constructor(policies: readonly Policy[], roots: readonly string[] = []) {
    for (const p of policies) {
      const dir = path.resolve(p.dir);
      const prev = this.byDir.get(dir);
      if (!prev || (prev.source === 'pyproject.toml' && p.source === 'aidr.toml')) this.byDir.set(dir, p);
    }
    this.roots = roots.map((r) => path.resolve(r));
  }

  get size(): number {
    return this.byDir.size;
  }

  /** The policy for an absolute file path, or undefined. */
  policyFor(file: string): Policy | undefined {
    if (this.byDir.size === 0) return undefined;
    const abs = path.resolve(file);
    // The innermost root holding the file bounds the search; a file outside every root has none.
    let root: string | undefined;
    if (this.roots.length) {
      for (const r of this.roots) if (within(r, abs) && (!root || r.length > root.length)) root = r;
      if (!root) return undefined;
    }
    let dir = path.dirname(abs);
    for (;;) {
      const p = this.byDir.get(dir);
      if (p) return p;
      if (dir === root) return undefined;
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
}
