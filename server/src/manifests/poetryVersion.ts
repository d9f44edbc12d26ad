// Translates Poetry version constraints (`^1.2`, `~1.2.3`, `1.2.3`, `1.2.*`, `>=1 <2`) into a PEP 440
// specifier set, and tells whether the constraint is an exact pin.

export interface PoetryConstraint {
  /** PEP 440 specifier set; '' for `*`, empty, or anything not expressible (`||` alternatives). */
  specifier: string;
  pinned?: string;
  /** Set when the text could not be understood. */
  error?: string;
}

const CLAUSE_RE = /^\s*(===|==|!=|<=|>=|~=|<|>|=|\^|~)?\s*([A-Za-z0-9.*+!_-]+)\s*/;

function bump(release: string, index: number): string {
  const parts = release.split('.').map((p) => Number.parseInt(p, 10));
  const out = parts.map((p, k) => (k < index ? p : k === index ? p + 1 : 0));
  return out.join('.');
}

function releaseOf(version: string): string | undefined {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(version);
  return m ? m[1] : undefined;
}

function translate(op: string | undefined, version: string): string[] | string {
  if (version === '*') return op === undefined ? [] : `'${op}*' is not a valid constraint`;
  if (op === '^' || op === '~') {
    const release = releaseOf(version);
    if (!release) return `Invalid version '${version}' after '${op}'`;
    const parts = release.split('.');
    let index: number;
    if (op === '~') {
      index = parts.length === 1 ? 0 : 1;
    } else {
      const firstNonZero = parts.findIndex((p) => Number.parseInt(p, 10) !== 0);
      index = firstNonZero < 0 ? parts.length - 1 : firstNonZero;
    }
    return [`>=${version}`, `<${bump(release, index)}`];
  }
  if (op === undefined || op === '=') return [`==${version}`];
  if (version.endsWith('*') && op !== '==' && op !== '!=') return `'${op}${version}' is not a valid constraint`;
  return [`${op}${version}`];
}

export function translatePoetryConstraint(text: string): PoetryConstraint {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '*') return { specifier: '' };
  if (trimmed.includes('||') || /^[^,]*\|[^,]*$/.test(trimmed)) return { specifier: '' };
  const clauses: string[] = [];
  let rest = trimmed;
  while (rest !== '') {
    const m = CLAUSE_RE.exec(rest);
    if (!m || m[0] === '') return { specifier: '', error: `Cannot read Poetry constraint '${trimmed}'` };
    const out = translate(m[1], m[2]!);
    if (typeof out === 'string') return { specifier: '', error: out };
    clauses.push(...out);
    rest = rest.slice(m[0].length).replace(/^,\s*/, '');
  }
  const result: PoetryConstraint = { specifier: clauses.join(',') };
  if (clauses.length === 1) {
    const exact = /^(?:===|==)(.+)$/.exec(clauses[0]!);
    if (exact && !exact[1]!.endsWith('*')) result.pinned = exact[1];
  }
  return result;
}
