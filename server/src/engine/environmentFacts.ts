// What an environment fixes: the versions its lockfiles record (what a range in its manifests
// resolves to) and the versions its Python code runs with — its lockfiles first, then its
// manifests' exact pins and the pins of their `-r`/`-c` files. Projects never share these.
import type { RelatedLocation } from '../domain';
import type { InstalledVersion } from './code';
import type { LockedVersion } from './enrich';
import { manifestEcosystem, type Environment } from './environments';
import { pinsOf, type ParsedDoc } from './parsed';

export interface EnvironmentFacts {
  /** Lockfile versions by `${ecosystem}:${name}`: what a range in the project's manifests resolves to. */
  locked: Map<string, LockedVersion>;
  /** PyPI versions by normalised name: what the project's Python code runs with. */
  installed: Map<string, InstalledVersion>;
}

export type IncludedPin = { key: string; name: string; version: string; location: RelatedLocation };

export function environmentFacts(env: Environment, byPath: Map<string, ParsedDoc>, includedPins: Map<ParsedDoc, IncludedPin[]>): EnvironmentFacts {
  const locked = new Map<string, LockedVersion>();
  const installed = new Map<string, InstalledVersion>();
  for (const eco of ['PyPI', 'npm'] as const) {
    for (const lockPath of env.locks[eco]) {
      const lock = byPath.get(lockPath);
      if (!lock) continue;
      for (const pin of pinsOf(lock)) {
        if (!locked.has(pin.key)) locked.set(pin.key, { version: pin.version, location: pin.location });
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
