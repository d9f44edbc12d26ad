// Builds manifest-native version edits (pin, raise a lower bound) for a dependency, keeping the
// name, extras, markers, comments and the rest of the line untouched.
import type { Dependency, Fix, TextEditOffsets } from '../../domain';

const HASH_NOTE =
  'This file pins hashes (--hash): regenerate them after the change (e.g. `pip-compile --generate-hashes`), or pip will reject the new version.';

function pep508Clauses(specifier: string): string[] {
  return specifier
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** The specifier text that pins `version`, in the dependency's own syntax. */
export function pinText(dep: Dependency, version: string): string {
  return dep.editStyle === 'poetry' || dep.editStyle === 'npm' ? version : `==${version}`;
}

/** npm: a caret stays a caret (`^1.2.5`); any other range becomes `>=1.2.5`, keeping the `<`/`<=`
 * upper bounds of a single comparator set (a `||` union or hyphen range has no one floor to raise). */
function npmRaisedText(specifier: string, version: string): string {
  const spec = specifier.trim().replace(/([<>]=?|=)\s+/g, '$1');
  if (spec.includes('||') || / - /.test(spec)) return `>=${version}`;
  if (/^\^\S+$/.test(spec)) return `^${version}`;
  const keep = spec.split(/\s+/).filter((c) => /^<=?v?\d/.test(c));
  return [`>=${version}`, ...keep].join(' ');
}

/** The specifier text with its lower bound raised to `version`, keeping upper bounds and
 * exclusions. Works from the PEP 440 form, which Poetry also accepts (`>=1.2.5,<2.0.0`). */
export function raiseLowerBoundText(dep: Dependency, version: string): string {
  if (dep.editStyle === 'npm') return npmRaisedText(dep.specifier, version);
  // Keep upper bounds and exclusions; drop every clause that sets a floor or a prefix (`==1.26.*`,
  // `~=1.2` would contradict the new floor).
  const keep = pep508Clauses(dep.specifier).filter((c) => /^(<|<=|!=)/.test(c));
  return [`>=${version}`, ...keep].join(',');
}

function versionEdit(dep: Dependency, newText: string): TextEditOffsets | undefined {
  if (!dep.versionRange || dep.editStyle === 'none') return undefined;
  return { range: dep.versionRange, newText };
}

export function pinFix(dep: Dependency, version: string, title: string, isPreferred = false): Fix | undefined {
  const edit = versionEdit(dep, pinText(dep, version));
  if (!edit) return undefined;
  return {
    title: dep.hashes ? `${title} (then regenerate hashes)` : title,
    edits: [edit],
    isPreferred,
    ...(dep.hashes ? { note: HASH_NOTE } : {}),
  };
}

export function raiseLowerBoundFix(dep: Dependency, version: string): Fix | undefined {
  const edit = versionEdit(dep, raiseLowerBoundText(dep, version));
  if (!edit) return undefined;
  return {
    title: `Raise the lower bound of ${dep.rawName} to ${version}`,
    edits: [edit],
    ...(dep.hashes ? { note: HASH_NOTE } : {}),
  };
}
