// deprecated-package: the package is deprecated or superseded (npm's `deprecated` flag, a short
// list of known PyPI cases, or a PyPI summary that says so). Quick fix where there is one successor.
import type { Finding } from '../../domain';
import { knownDeprecation, summaryDeprecation } from '../../data/deprecatedPackages';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';
import { renameFix } from './typosquatSuspect';

const MAX_QUOTE = 160;

function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > MAX_QUOTE ? `${t.slice(0, MAX_QUOTE - 1)}…` : t;
}

export const deprecatedPackage: DependencyRule = {
  id: 'deprecated-package',
  check(facts: DependencyFacts): Finding[] {
    const { dep, metadata } = facts;
    if (dep.url) return [];
    const known = knownDeprecation(dep.ecosystem, dep.name);
    let message: string | undefined;
    if (known) {
      message = `${dep.rawName} is ${known.why}, so it gets no fixes: ${known.replacement ? `depend on ${known.replacement} instead` : 'plan a move away from it'}.`;
    } else if (metadata?.deprecated?.trim()) {
      message = `${dep.rawName} is deprecated on npm ("${quote(metadata.deprecated)}"), so it gets no fixes: move to the alternative its authors name.`;
    } else if (dep.ecosystem === 'PyPI' && summaryDeprecation(metadata?.summary)) {
      message = `${dep.rawName} describes itself as deprecated or unmaintained ("${quote(metadata!.summary!)}"), so it gets no fixes: move to a maintained alternative.`;
    }
    if (!message) return [];
    const fix = known?.replacement ? renameFix(dep, known.replacement) : undefined;
    return [
      dependencyFinding(dep, {
        rule: 'deprecated-package',
        severity: 'warning',
        message,
        fixes: fix ? [fix] : [],
      }),
    ];
  },
};
