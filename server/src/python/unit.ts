// One piece of Python the analysis reads (a file, or a notebook cell): its text and tree, with the
// per-tree helpers every step shares (linear node look-ups, function scopes), made once.
import type { Tree } from './parser';
import { Scopes } from './scope';
import { TreeIndex } from './treeIndex';

export interface PyUnit {
  /** The parsed text (notebook magics blanked). */
  text: string;
  tree: Tree;
  ix: TreeIndex;
  scopes: Scopes;
}

export function pyUnit(tree: Tree, text: string): PyUnit {
  const ix = new TreeIndex(tree, text);
  return { text, tree, ix, scopes: new Scopes(tree, text, ix) };
}
