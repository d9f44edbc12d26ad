// npm scope games: a look-alike scope (`@opentelemetrya/api`, `@sentry-internals/profiling-node`,
// `@typescript_eslinter/eslint`), a stranger's scope over a popular name (`@x/prettier`), and a scope
// glued on or dropped (`types-node`, `solana-web3.js`, `tfjs-core` for `@tensorflow/tfjs-core`).
import { distance } from 'fastest-levenshtein';
import type { Candidate } from './lookalikeCandidates';
import { editReach, osaWithin, REACH, singleEdit } from './lookalikeEdits';
import { glyphKey } from './lookalikeIndex';
import type { Targets } from './lookalikeTargets';

/** An unscoped name equal to a scoped package's tail counts from this length. */
const SCOPE_TAIL_MIN = 12;
/** A look-alike scope is a slip from, or a few letters longer than, a real scope at least this long. */
const LOOKALIKE_SCOPE = { min: 6, extra: 3 } as const;
/** A stranger's scope over a popular unscoped name: how popular and how long the name. */
const BORROWED = { reach: 500, minTail: 5 } as const;

export function scopeCandidates(t: Targets, name: string, unlisted: boolean): Candidate[] {
  return name.startsWith('@') ? scopedCandidates(t, name, unlisted) : unscopedCandidates(t, name);
}

function scopedCandidates(t: Targets, name: string, unlisted: boolean): Candidate[] {
  const out: Candidate[] = [];
  const slash = name.indexOf('/');
  if (slash < 0) return out;
  const scope = name.slice(1, slash);
  const tail = name.slice(slash + 1);
  // A scope that holds a listed package has an owner of its own.
  const stranger = unlisted && !t.scopeHeads.has(scope);
  const add = (target: string, reach: number, cls: string, absolute = false): void => {
    out.push({ target, kind: 'scope', cls, reach, rank: t.rankOf(target), ...(absolute ? { absolute } : {}) });
  };
  for (const p of t.scopes(tail)) {
    const theirs = p.slice(1, p.indexOf('/'));
    if (theirs === scope) continue;
    const d = distance(scope, theirs);
    // The real scope with a word added (`@sentry-internals` for `@sentry`): the same tail under a
    // look-alike owner. Reported from the name alone only for names the known list lacks.
    if (d > 3 && scope.startsWith(`${theirs}-`)) add(p, stranger ? Infinity : REACH.NEAR_TOP, 'scope-word', stranger);
    if (d === 0 || d > 3) continue;
    // Judge a one-character slip in the scope as in a name; anything further needs registry facts,
    // unless the scope is a stranger's.
    const e = d === 1 ? singleEdit(scope, theirs) : undefined;
    add(p, e ? (editReach(scope, theirs, e, () => false) ?? 0) : 0, 'scope-slip');
  }
  if (!stranger || out.some((c) => c.reach > 0)) return out;
  // A stranger's scope that reads as a popular one with a slip or a few letters more
  // (`@typescript_eslinter` for `@typescript-eslint`; `@fluentui-contrib` is a sibling, not a slip):
  // its package with the same tail or one that starts as this one does, else a popular unscoped
  // package of this very name (`@typescript_eslinter/prettier`), else its most popular package.
  const g = glyphKey(scope);
  for (const [theirs, head] of t.scopeHeads) {
    const gt = glyphKey(theirs);
    if (gt.length < LOOKALIKE_SCOPE.min || gt === g) continue;
    if (!((g.startsWith(gt) && g.length - gt.length <= LOOKALIKE_SCOPE.extra) || osaWithin(g, gt, 1) <= 1)) continue;
    const similar = t.scopes(tail).find((p) => p.startsWith(`@${theirs}/`)) ?? findScoped(t, theirs, tail);
    if (similar) add(similar, Infinity, 'scope-lookalike', true);
    else if (tail.length >= BORROWED.minTail && t.rankOf(tail) <= BORROWED.reach) add(tail, BORROWED.reach, 'scope-lookalike', true);
    else add(head, 0, 'scope-lookalike');
    break;
  }
  return out;
}

/** The package under `@scope/` whose tail starts with `tail` or that `tail` starts with. */
function findScoped(t: Targets, scope: string, tail: string): string | undefined {
  const prefix = `@${scope}/`;
  for (const n of t.names) {
    if (!n.startsWith(prefix)) continue;
    const theirs = n.slice(prefix.length);
    if (theirs.startsWith(`${tail}-`) || tail.startsWith(`${theirs}-`)) return n;
  }
  return undefined;
}

function unscopedCandidates(t: Targets, name: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (target: string, reach: number, cls: string, absolute = false): void => {
    out.push({ target, kind: 'scope', cls, reach, rank: t.rankOf(target), ...(absolute ? { absolute } : {}) });
  };
  // The scope glued on (`opennextjs-cloudflare`, `types-node`, `solana-web3.js`) or dropped
  // (`pragmatic-drag-and-drop`, `tfjs-core`). Whole families moved from such names into scopes
  // (`babel-cli` became `@babel/cli`, `esbuild-linux-arm64` `@esbuild/linux-arm64`) and the old
  // names live on: they are listed, and only a name the known list lacks is judged from its name.
  const m = /^([a-z0-9]+)[-_.](.+)$/.exec(name);
  const scoped = m ? `@${m[1]}/${m[2]}` : undefined;
  if (scoped && t.rank.has(scoped)) add(scoped, 0, 'scope-glued');
  // Only a long tail: short ones (`core`, `utils`) are names of their own.
  if (name.length >= SCOPE_TAIL_MIN) for (const p of t.scopes(name)) add(p, 0, 'scope-dropped');
  return out;
}
