// Picks the version logic for an ecosystem, and normalises package names the way each
// ecosystem's registry does, so look-ups and advisory matching agree on identity.
import type { Ecosystem } from '../domain';
import { pep440 } from './pep440';
import type { VersionScheme } from './scheme';
import { semver } from './semver';

export type { SatisfyOptions, VersionScheme } from './scheme';

export function versionsFor(ecosystem: Ecosystem): VersionScheme {
  return ecosystem === 'npm' ? semver : pep440;
}

/** PEP 503 for PyPI (`Foo_Bar.baz` -> `foo-bar-baz`); npm names are case-sensitive as published. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.trim().toLowerCase().replace(/[-_.]+/g, '-') : name.trim();
}
