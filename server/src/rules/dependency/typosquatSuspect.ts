// typosquat-suspect: a rare name that looks like a popular package (one edit, a swap, a disguise
// such as separators, word order or homoglyphs, or a known confusion). Quick fix: the real name.
import type { Dependency, Finding, Fix } from '../../domain';
import { findLookalike, type Lookalike } from '../../data/lookalike';
import { popularityText } from '../../data/popular';
import type { ReleaseInfo } from '../../domain';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Many releases over more than a year: a maintained project of its own, not a drive-by squat
 * (those are taken down within days or weeks). */
export function looksEstablished(releases: ReleaseInfo[] | undefined): boolean {
  const times = (releases ?? [])
    .filter((r) => !r.yanked && r.uploadTime)
    .map((r) => Date.parse(r.uploadTime!))
    .filter((t) => Number.isFinite(t));
  if (times.length < 5) return false;
  return Math.max(...times) - Math.min(...times) >= YEAR_MS;
}

/** Replaces the name as written with `target`, keeping extras, version and markers. */
export function renameFix(dep: Dependency, target: string, isPreferred = true): Fix | undefined {
  if (dep.editStyle === 'none') return undefined;
  return {
    title: `Replace ${dep.rawName} with ${target}`,
    edits: [{ range: dep.nameRange, newText: target }],
    isPreferred,
    ...(dep.hashes ? { note: 'This file pins hashes (--hash): regenerate them for the new package, or pip will reject it.' } : {}),
  };
}

function how(l: Lookalike): string {
  switch (l.kind) {
    case 'swap':
      return 'two letters swapped';
    case 'edit':
      return 'one character different';
    default:
      return 'the same name in disguise (separators, word order, py/python or look-alike characters)';
  }
}

export function lookalikeMessage(dep: Dependency, l: Lookalike): string {
  const pop = popularityText(dep.ecosystem, l.target);
  const target = pop ? `${l.target} (${pop})` : l.target;
  if (l.kind === 'known') return `${dep.rawName} is ${l.why}: depend on ${target} instead.`;
  return `${dep.rawName} looks like a typosquat of ${target}, with ${how(l)}, and a look-alike can install an attacker's code: check the spelling and use ${l.target} if that is what you meant.`;
}

export const typosquatSuspect: DependencyRule = {
  id: 'typosquat-suspect',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    // A name the registry does not know is unknown-package's (which names the look-alike too).
    if (dep.url || facts.notFound) return [];
    const l = findLookalike(dep.ecosystem, dep.name);
    if (!l) return [];
    if (l.kind !== 'known' && looksEstablished(facts.metadata?.releases)) return [];
    const fix = renameFix(dep, l.target);
    return [
      dependencyFinding(dep, {
        rule: 'typosquat-suspect',
        severity: 'warning',
        message: lookalikeMessage(dep, l),
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
