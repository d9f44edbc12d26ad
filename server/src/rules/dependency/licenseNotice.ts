// license-notice: the registry declares a restrictive licence (strong or network copyleft,
// source-available, non-commercial) or none at all. A hint: whether it matters depends on use.
import type { Finding } from '../../domain';
import { licenseConcern } from '../../data/licenses';
import type { DependencyFacts } from './facts';
import { dependencyFinding, type DependencyRule } from './rule';

export const licenseNotice: DependencyRule = {
  id: 'license-notice',
  check(facts: DependencyFacts): Finding[] {
    const { dep, metadata } = facts;
    if (dep.url || !metadata) return [];
    const concern = licenseConcern(metadata.license);
    if (!concern) return [];
    const message =
      concern.kind === 'missing'
        ? `${dep.rawName} declares no licence, so by default you have no right to use or redistribute it: check its repository for licence terms before shipping it.`
        : `${dep.rawName} is licensed under ${metadata.license!.trim()} (${concern.why}): check that this fits how you ship your project.`;
    return [
      dependencyFinding(dep, {
        rule: 'license-notice',
        severity: 'hint',
        message,
        fixes: [],
      }),
    ];
  },
};
