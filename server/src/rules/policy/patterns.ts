// Whether a package, model, licence or path matches the policy's patterns. Patterns arrive
// normalised from policy/; subjects are normalised the same way here (PEP 503 for PyPI names,
// lower case for npm names, Hub ids and licences), then compared with the shared glob matcher.
import type { Ecosystem, PolicyPattern } from '../../domain';
import { globMatch } from '../../domain/glob';
import { normalizePackageName } from '../../versions';

/** Bare patterns (every ecosystem) normalised the way PyPI names packages, once per pattern. */
const pypiGlobs = new WeakMap<PolicyPattern, string>();

function pypiGlob(p: PolicyPattern): string {
  let g = pypiGlobs.get(p);
  if (g === undefined) pypiGlobs.set(p, (g = normalizePackageName('PyPI', p.glob)));
  return g;
}

/** The first pattern that matches the package, or undefined. */
export function packageMatch(patterns: readonly PolicyPattern[], ecosystem: Ecosystem, name: string): PolicyPattern | undefined {
  const subject = ecosystem === 'PyPI' ? normalizePackageName('PyPI', name) : name.toLowerCase();
  for (const p of patterns) {
    if (p.ecosystem && p.ecosystem !== ecosystem) continue;
    const glob = ecosystem === 'PyPI' && !p.ecosystem ? pypiGlob(p) : p.glob;
    if (globMatch(glob, subject)) return p;
  }
  return undefined;
}

/** An allow list restricts an ecosystem when one of its patterns is bare or names that ecosystem. */
export function restricts(patterns: readonly PolicyPattern[], ecosystem: Ecosystem): boolean {
  return patterns.some((p) => !p.ecosystem || p.ecosystem === ecosystem);
}

/** Hub model ids and licence ids: case-insensitive. */
export function idMatch(patterns: readonly PolicyPattern[], id: string): PolicyPattern | undefined {
  const subject = id.toLowerCase();
  return patterns.find((p) => globMatch(p.glob, subject));
}

/** A '/'-separated path relative to the policy folder; a pattern naming a folder covers its files. */
export function pathMatch(p: PolicyPattern, relPath: string): boolean {
  return globMatch(p.glob, relPath) || globMatch(`${p.glob}/**`, relPath);
}

/** How a pattern is quoted in messages: `"pypi:evil-*" (aidr.toml line 4)`. */
export function cite(p: PolicyPattern, file: string): string {
  return `"${p.text}" in ${file} line ${p.at.lines.start.line + 1}`;
}
