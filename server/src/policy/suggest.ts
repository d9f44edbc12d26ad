// "Did you mean": the closest known name to a misspelt key, rule id or format, when it is close
// enough to be a slip rather than a different word. Inputs are capped, so the edit distance stays
// cheap whatever a hostile file holds.
import { distance } from 'fastest-levenshtein';

const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');

export function closest(word: string, known: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const w = norm(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(w, norm(k));
    if (d < bestD) [best, bestD] = [k, d];
  }
  // One slip in a short word, a couple in a longer one; a plural or `_` for `-` counts as none.
  return best !== undefined && bestD <= Math.max(1, Math.floor(w.length / 4)) ? best : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  return c ? `; did you mean '${c}'?` : ` (expected one of: ${known.join(', ')})`;
}
