// Transitive blame: a finding on a package that only the lockfile names (pulled in by another
// package) is reported on each direct dependency of the manifest that pulls it in, with the chain.
import path from 'node:path';
import type { Dependency, Finding, ManifestParseResult } from '../domain';
import { dependencyChain, directDependentsOf, type LockGraph } from '../manifests/lockGraph';
import { DEPENDENCY_RULES } from '../rules/dependency';
import type { DependencyFacts } from '../rules/dependency/facts';
import { chooseSafeVersions } from '../versions/safeVersion';
import type { LineIndex } from './lineIndex';

export interface LockDoc {
  uri: string;
  path?: string;
  manifest: ManifestParseResult;
  lines: LineIndex;
}

export interface TransitiveSet {
  lock: LockDoc;
  graph: LockGraph;
  direct: Set<string>;
  /** Locked packages the manifest does not declare. */
  deps: Dependency[];
}

/** The transitive packages of `lock` for a manifest that declares `directDeps`. */
export function transitiveSet(lock: LockDoc, graph: LockGraph, directDeps: readonly Dependency[]): TransitiveSet {
  const direct = new Set(directDeps.map((d) => d.name));
  const deps = lock.manifest.dependencies.filter((d) => d.pinned && !direct.has(d.name) && graph.packages.has(d.name));
  return { lock, graph, direct, deps };
}

const TRANSITIVE_RULES = new Set(['vulnerable-dependency', 'malicious-package']);

/** Findings on transitive packages, reported on each direct dependency that pulls them in. */
export function transitiveFindings(t: TransitiveSet, directDeps: Dependency[], factsByDep: Map<Dependency, DependencyFacts>): Finding[] {
  const out: Finding[] = [];
  const lockName = path.basename(t.lock.path ?? t.lock.uri);
  for (const d of t.deps) {
    const facts = factsByDep.get(d);
    if (!facts || facts.advisories.length === 0) continue;
    for (const rule of DEPENDENCY_RULES) {
      if (!TRANSITIVE_RULES.has(rule.id)) continue;
      const safe = chooseSafeVersions({ ecosystem: d.ecosystem, name: d.name, current: d.pinned, releases: facts.candidates, advisories: facts.advisories }).nearest;
      for (const f of rule.check(facts)) {
        const via = directDependentsOf(t.graph, d.name, t.direct);
        for (const name of via) {
          for (const direct of directDeps.filter((x) => x.name === name)) {
            const chain = dependencyChain(t.graph, name, d.name)?.join(' → ') ?? `${name} → ${d.name}`;
            out.push({
              rule: f.rule,
              severity: f.severity,
              range: direct.nameRange,
              message: `${direct.rawName} pulls in ${d.rawName} ${d.pinned} (${chain}, locked in ${lockName}): ${f.message.replace(/ (Upgrade to|No safe version) .*$/, '')} Upgrade ${direct.rawName} or constrain ${d.rawName}${safe ? ` (>=${safe})` : ''}.`,
              package: f.package,
              ...(f.advisories ? { advisories: f.advisories } : {}),
              related: [{ uri: t.lock.uri, range: t.lock.lines.range(d.nameRange), message: `${d.rawName} ${d.pinned} in ${lockName}` }],
              fixes: [],
              ...(direct.cell !== undefined ? { cell: direct.cell } : {}),
            });
          }
        }
      }
    }
  }
  return out;
}
