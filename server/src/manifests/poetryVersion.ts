// Translates Poetry version constraints (`^1.2`, `~1.2.3`, `1.2.3`, `1.2.*`, `>=1 <2`) into a PEP 440
// specifier set, and tells whether the constraint is an exact pin.

import { excerpt } from './pep508';

export interface PoetryConstraint {
  /** PEP 440 specifier set; '' for `*`, empty, or anything not expressible (`||` alternatives). */
  specifier: string;
  pinned?: string;
  /** Set when the text could not be understood. */
  error?: string;
}

const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>', '=', '^', '~'] as const;
const VERSION_CHAR = /[A-Za-z0-9.*+!_-]/;
const BLANK = /\s/;
const isBlank = (c: string | undefined): boolean => c !== undefined && BLANK.test(c);

/** `op? version` clauses separated by blanks or commas, read in one pass (a regex per clause on
 * the rest of the text, then slicing it off, copied the rest once per clause). */
function readClauses(text: string): { op: string | undefined; version: string }[] | undefined {
  const out: { op: string | undefined; version: string }[] = [];
  let i = 0;
  const skipBlanks = (): void => {
    while (isBlank(text[i])) i++;
  };
  while (i < text.length) {
    skipBlanks();
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) i += op.length;
    skipBlanks();
    const start = i;
    while (i < text.length && VERSION_CHAR.test(text[i]!)) i++;
    if (i === start) return undefined;
    out.push({ op, version: text.slice(start, i) });
    skipBlanks();
    if (text[i] === ',') {
      i++;
      skipBlanks();
    }
  }
  return out;
}

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
    if (!release) return `Invalid version '${excerpt(version)}' after '${op}'`;
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
  if (version.endsWith('*') && op !== '==' && op !== '!=') return `'${op}${excerpt(version)}' is not a valid constraint`;
  return [`${op}${version}`];
}

export function translatePoetryConstraint(text: string): PoetryConstraint {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '*') return { specifier: '' };
  // `a || b`, or `a | b` without commas: alternatives, which PEP 440 cannot express.
  if (trimmed.includes('||') || (trimmed.includes('|') && !trimmed.includes(','))) return { specifier: '' };
  const read = readClauses(trimmed);
  if (!read) return { specifier: '', error: `Cannot read Poetry constraint '${excerpt(trimmed)}'` };
  const clauses: string[] = [];
  for (const c of read) {
    const out = translate(c.op, c.version);
    if (typeof out === 'string') return { specifier: '', error: out };
    clauses.push(...out);
  }
  const result: PoetryConstraint = { specifier: clauses.join(',') };
  if (clauses.length === 1) {
    const exact = /^(?:===|==)(.+)$/.exec(clauses[0]!);
    if (exact && !exact[1]!.endsWith('*')) result.pinned = exact[1];
  }
  return result;
}
