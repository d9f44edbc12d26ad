// unknown-package: the registry has no package of this name - a hallucinated or misspelled name,
// or an internal one - and anyone can register it with install-time code (dependency confusion).
// A conda spec is resolved in conda's channels, so PyPI's "not found" says nothing about it: it is
// reported only when it looks like a conda or PyPI name (a slip), with that name as the hint.
import type { Finding } from '../../domain';
import { findLookalike } from '../../data/lookalike';
import { popularityText } from '../../data/popular';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';
import { isCondaDependency, renameFix } from './typosquatSuspect';

/** The host of an index URL: enough to recognise it, without any credentials it may carry. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url.replace(/^[a-z+]+:\/\/(?:[^@/]*@)?/i, '').split('/')[0] ?? url;
  }
}

export const unknownPackage: DependencyRule = {
  id: 'unknown-package',
  check(facts: DependencyFacts): Finding[] {
    const { dep } = facts;
    if (!facts.notFound || dep.url) return [];
    if (isCondaDependency(dep)) {
      const c = findLookalike('conda', dep.rawName.toLowerCase());
      if (c?.strength !== 'strong') return [];
      const fix = renameFix(dep, c.target);
      return [
        dependencyFinding(dep, {
          rule: 'unknown-package',
          severity: 'warning',
          message:
            `${dep.rawName} is neither on PyPI nor a well-known conda package, and it looks like ${c.target}: ` +
            `check the spelling, since anyone can publish the misspelled name to a channel or to PyPI.`,
          fixes: fix ? [fix] : [],
        }),
      ];
    }
    const registry = dep.ecosystem === 'PyPI' ? 'PyPI' : 'the npm registry';
    const others = [...new Set((facts.indexUrls ?? []).map(hostOf))];
    const l = findLookalike(dep.ecosystem, dep.name);
    let message: string;
    if (others.length > 0) {
      message =
        `${dep.rawName} is not on ${registry}; it may be an internal package of ${others.join(', ')}, but with --extra-index-url pip also ` +
        `looks on ${registry}, where anyone can upload the same name with a higher version (dependency confusion): ` +
        `use --index-url for the private index alone, or register a placeholder of that name on ${registry}.`;
    } else {
      const hint = l ? ` Did you mean ${l.target}${popularityText(dep.ecosystem, l.target) ? ` (${popularityText(dep.ecosystem, l.target)})` : ''}?` : '';
      message =
        `${dep.rawName} does not exist on ${registry}: the name may be hallucinated or misspelled, and anyone can register it ` +
        `with code that runs at install time; check the name before installing.${hint}`;
    }
    const fix = l && others.length === 0 ? renameFix(dep, l.target) : undefined;
    return [
      dependencyFinding(dep, {
        rule: 'unknown-package',
        severity: 'warning',
        message,
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
