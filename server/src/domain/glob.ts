// A small glob matcher shared by the policy parser (validation) and the policy rules (matching):
// `*` matches any run of characters except `/`, `**` any run including `/`, `**/` zero or more
// whole folders, `?` one character except `/`. No classes, braces or negation. Matching walks the
// pattern token by token over a reachability row of the subject, so it costs O(pattern x subject)
// with both capped: a hostile pattern cannot make it backtrack. Pure, imports nothing.

const Tok = {
  Star: -1,
  Globstar: -2,
  /** `**` followed by `/`: empty, or any run that ends with `/`. */
  GlobstarSlash: -3,
  One: -4,
} as const;

/** Longest pattern accepted; longer ones never match (the policy parser reports them). */
export const MAX_GLOB_LENGTH = 512;
/** Longest subject compared; longer ones never match a wildcard pattern. */
const MAX_SUBJECT_LENGTH = 8192;
const SLASH = 47;

/** Tokens (a character code >= 0, or a wildcard kind), with the literal text before the first
 * and after the last wildcard: most subjects are rejected by those two checks alone. */
interface Pattern {
  toks: Int32Array;
  prefix: string;
  suffix: string;
}
type Compiled = Pattern | 'literal';

const cache = new Map<string, Compiled>();

function compile(glob: string): Compiled {
  const hit = cache.get(glob);
  if (hit !== undefined) return hit;
  let out: Compiled;
  const first = glob.search(/[*?]/);
  if (first < 0) out = 'literal';
  else {
    const toks: number[] = [];
    // The last character that belongs to a wildcard token (the `/` of a trailing `**/` does).
    let last = -1;
    for (let i = 0; i < glob.length; i++) {
      const c = glob.charCodeAt(i);
      if (c === 42 /* * */) {
        if (glob.charCodeAt(i + 1) === 42) {
          i++;
          if (glob.charCodeAt(i + 1) === SLASH) {
            i++;
            toks.push(Tok.GlobstarSlash);
          } else toks.push(Tok.Globstar);
        } else toks.push(Tok.Star);
        last = i;
      } else if (c === 63 /* ? */) {
        toks.push(Tok.One);
        last = i;
      } else toks.push(c);
    }
    out = { toks: Int32Array.from(toks), prefix: glob.slice(0, first), suffix: glob.slice(last + 1) };
  }
  // Policies hold a few hundred patterns at most; a runaway caller cannot grow this forever.
  if (cache.size >= 4096) cache.clear();
  cache.set(glob, out);
  return out;
}

/** Reachability rows, reused across calls (matching is synchronous). */
let rowA = new Uint8Array(64);
let rowB = new Uint8Array(64);

/** Whether `subject` matches `glob` as a whole (case-sensitive: normalise both first). */
export function globMatch(glob: string, subject: string): boolean {
  if (glob.length > MAX_GLOB_LENGTH) return false;
  const pattern = compile(glob);
  if (pattern === 'literal') return glob === subject;
  const n = subject.length;
  if (n > MAX_SUBJECT_LENGTH) return false;
  const { toks, prefix, suffix } = pattern;
  if (n < prefix.length + suffix.length || !subject.startsWith(prefix) || !subject.endsWith(suffix)) return false;
  if (rowA.length < n + 1) (rowA = new Uint8Array(2 * (n + 1))), (rowB = new Uint8Array(2 * (n + 1)));
  let reach = rowA;
  let next = rowB;
  reach.fill(0, 0, n + 1);
  reach[0] = 1;
  for (const t of toks) {
    next.fill(0, 0, n + 1);
    let any = false;
    if (t >= 0 || t === Tok.One) {
      for (let i = 0; i < n; i++) {
        if (!reach[i]) continue;
        const c = subject.charCodeAt(i);
        if (t >= 0 ? c === t : c !== SLASH) {
          next[i + 1] = 1;
          any = true;
        }
      }
    } else if (t === Tok.Star) {
      // next[i]: some reached j <= i with no '/' in subject[j, i).
      let carry = false;
      for (let i = 0; i <= n; i++) {
        carry = reach[i] === 1 || (carry && subject.charCodeAt(i - 1) !== SLASH);
        if (carry) (next[i] = 1), (any = true);
      }
    } else if (t === Tok.Globstar) {
      let carry = false;
      for (let i = 0; i <= n; i++) {
        carry = carry || reach[i] === 1;
        if (carry) (next[i] = 1), (any = true);
      }
    } else {
      // `**/`: stay (zero folders), or jump to just after any later '/'.
      let seen = false;
      for (let i = 0; i <= n; i++) {
        if (reach[i] || (seen && subject.charCodeAt(i - 1) === SLASH)) (next[i] = 1), (any = true);
        if (reach[i]) seen = true;
      }
    }
    if (!any) return false;
    [reach, next] = [next, reach];
  }
  return reach[n] === 1;
}

/** What is wrong with a glob's wildcard syntax, or undefined when it is fine. */
export function globSyntaxProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `pattern too long (${glob.length} characters; at most ${MAX_GLOB_LENGTH})`;
  if (glob.includes('***')) return "'***' is not a pattern: use '*' (within a name or folder) or '**' (across folders)";
  const bad = /[[\]{}!]/.exec(glob);
  if (bad) return `'${bad[0]}' is not supported: patterns know only '*', '**' and '?'`;
  return undefined;
}
