// What an environment fixes: the versions its lockfiles record (what a range in its manifests
// resolves to) and the versions its Python code runs with — its lockfiles first, then its
// manifests' exact pins and the pins of their `-r`/`-c` files. Projects never share these.
import type { Dependency, RelatedLocation } from '../domain';
import { versionsFor } from '../versions';
import type { InstalledVersion } from './code';
import type { LockedVersion } from './enrich';
import { manifestEcosystem, type Environment } from './environments';
import { pinsOf, type ParsedDoc } from './parsed';

export interface EnvironmentFacts {
  /** Lockfile versions by `${ecosystem}:${name}`, every locked version of the name in lock order
   * (a lock's hoisted or direct copy first): a range in the project's manifests resolves to the
   * first that satisfies it (see `lockedFor`). */
  locked: Map<string, LockedVersion[]>;
  /** PyPI versions by normalised name: what the project's Python code runs with. */
  installed: Map<string, InstalledVersion>;
}

export type IncludedPin = { key: string; name: string; version: string; location: RelatedLocation };

export function environmentFacts(env: Environment, byPath: Map<string, ParsedDoc>, includedPins: Map<ParsedDoc, IncludedPin[]>): EnvironmentFacts {
  const locked = new Map<string, LockedVersion[]>();
  const installed = new Map<string, InstalledVersion>();
  for (const eco of ['PyPI', 'npm'] as const) {
    for (const lockPath of env.locks[eco]) {
      const lock = byPath.get(lockPath);
      if (!lock) continue;
      for (const pin of pinsOf(lock)) {
        const versions = locked.get(pin.key) ?? [];
        if (!versions.some((v) => v.version === pin.version)) versions.push({ version: pin.version, location: pin.location });
        locked.set(pin.key, versions);
        // Only Python packages join with Python code (npm has its own `yaml`, `keras`, ...).
        if (eco === 'PyPI' && !installed.has(pin.name)) installed.set(pin.name, { version: pin.version, location: pin.location });
      }
    }
  }
  for (const m of env.manifests) {
    const p = byPath.get(m);
    if (!p || manifestEcosystem(p.doc.kind) !== 'PyPI') continue;
    for (const pin of [...pinsOf(p), ...(includedPins.get(p) ?? [])]) {
      if (pin.key.startsWith('PyPI:') && !installed.has(pin.name)) installed.set(pin.name, { version: pin.version, location: pin.location });
    }
  }
  return { locked, installed };
}

/** The locked version a manifest's range resolves to: the first (in lock order) that satisfies the
 * range, else the first. npm and yarn keep several versions of a name side by side; the one nested
 * under another package serves only that package. */
export function lockedFor(versions: readonly LockedVersion[] | undefined, dep: Dependency): LockedVersion | undefined {
  if (!versions || versions.length <= 1) return versions?.[0];
  if (!dep.specifier) return versions[0];
  const scheme = versionsFor(dep.ecosystem);
  return versions.find((v) => scheme.satisfies(v.version, dep.specifier)) ?? versions[0];
}
