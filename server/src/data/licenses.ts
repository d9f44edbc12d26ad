// Classifies a declared licence (SPDX expression, classifier names or free text) as restrictive
// for a dependency - copyleft that reaches your code, network copyleft, source-available or
// non-commercial terms - or as missing. Permissive and weak-copyleft (LGPL, MPL) licences pass.
export interface LicenseConcern {
  kind: 'restrictive' | 'missing';
  /** Completes "X is licensed under <license>, ...". */
  why: string;
}

const RULES: { test: RegExp; why: string }[] = [
  { test: /\bAGPL|Affero/i, why: 'network copyleft: offering software that uses it as a service obliges you to publish your source' },
  { test: /\bSSPL|Server Side Public License/i, why: 'not open source: offering it as a service obliges you to publish your whole service stack' },
  { test: /\bBUSL|Business Source License/i, why: 'source-available, not open source: production use may need a commercial licence' },
  { test: /\bElastic-2\.0|Elastic License|Commons Clause/i, why: 'source-available, not open source: it restricts offering or selling the software' },
  {
    test: /\bCC-BY(-SA)?-NC|\bNC-(SA|ND)\b|non-?commercial|NonCommercial|research[- ]only|academic (use|research) only|not for commercial/i,
    why: 'non-commercial or research-only: using it in a product may need a separate licence',
  },
  { test: /Proprietary/i, why: 'proprietary: check that its terms allow your use' },
  { test: /^UNLICENSED$/i, why: 'npm\'s UNLICENSED: its authors grant no right to use it' },
];

/** Strong copyleft (GPL without a linking exception; not LGPL). */
const GPL = /\bGPL|General Public License/i;
const WEAK_OR_EXCEPTION = /\bLGPL|Lesser General|Library General|linking exception|classpath-exception|GCC-exception|WITH\s+[\w.-]*exception/i;
const GPL_WHY = 'strong copyleft: distributing software that links it may oblige you to release your code under the GPL';

function concernOf(text: string): string | undefined {
  for (const r of RULES) if (r.test.test(text)) return r.why;
  if (GPL.test(text) && !WEAK_OR_EXCEPTION.test(text)) return GPL_WHY;
  return undefined;
}

/** Undefined when the licence is fine for a dependency. Alternatives (`MIT OR GPL-3.0`, several
 * licence classifiers) let you choose the permissive one, so they pass. */
export function licenseConcern(license: string | undefined): LicenseConcern | undefined {
  const text = license?.trim() ?? '';
  if (text === '' || /^(unknown|none|n\/a)$/i.test(text)) return { kind: 'missing', why: '' };
  const alternatives = text
    .replace(/^\((.*)\)$/, '$1')
    .split(/\s+OR\s+|,\s*|\s*;\s*/i)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const concerns = alternatives.map(concernOf);
  if (concerns.some((c) => c === undefined)) return undefined;
  return { kind: 'restrictive', why: concerns[0]! };
}
