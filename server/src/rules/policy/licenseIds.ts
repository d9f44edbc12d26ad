// Reads a declared licence (an SPDX expression, PyPI classifier names, a Hub licence id, or a
// common free-text name) as alternatives of required parts, each part an id the policy's licence
// patterns can match: `MIT OR (Apache-2.0 AND BSD-3-Clause)` -> [[mit], [apache-2.0, bsd-3-clause]].
// Unrecognised text stays as written (lower case), so an allow list reports it rather than guess.

/** Common non-SPDX names (PyPI classifiers, free text) -> SPDX ids, lower case. */
const ALIASES: Record<string, string> = {
  'mit license': 'mit',
  'the mit license': 'mit',
  'mit-0': 'mit-0',
  'apache software license': 'apache-2.0',
  'apache license': 'apache-2.0',
  'apache 2.0': 'apache-2.0',
  'apache 2': 'apache-2.0',
  'apache-2': 'apache-2.0',
  'apache2': 'apache-2.0',
  'apache license 2.0': 'apache-2.0',
  'apache license version 2.0': 'apache-2.0',
  'apache license, version 2.0': 'apache-2.0',
  'asl 2.0': 'apache-2.0',
  'bsd license': 'bsd',
  'new bsd license': 'bsd-3-clause',
  'simplified bsd license': 'bsd-2-clause',
  'isc license (iscl)': 'isc',
  'isc license': 'isc',
  'python software foundation license': 'psf-2.0',
  'mozilla public license 2.0 (mpl 2.0)': 'mpl-2.0',
  'the unlicense (unlicense)': 'unlicense',
  'gnu general public license v2 (gplv2)': 'gpl-2.0',
  'gnu general public license v2 or later (gplv2+)': 'gpl-2.0-or-later',
  'gnu general public license v3 (gplv3)': 'gpl-3.0',
  'gnu general public license v3 or later (gplv3+)': 'gpl-3.0-or-later',
  'gnu lesser general public license v2 (lgplv2)': 'lgpl-2.0',
  'gnu lesser general public license v2 or later (lgplv2+)': 'lgpl-2.0-or-later',
  'gnu lesser general public license v3 (lgplv3)': 'lgpl-3.0',
  'gnu lesser general public license v3 or later (lgplv3+)': 'lgpl-3.0-or-later',
  'gnu affero general public license v3': 'agpl-3.0',
  'gnu affero general public license v3 or later (agplv3+)': 'agpl-3.0-or-later',
  gplv2: 'gpl-2.0',
  gplv3: 'gpl-3.0',
  lgplv3: 'lgpl-3.0',
  agplv3: 'agpl-3.0',
};

/** Longest licence text read; longer text is cut (a pasted licence file says nothing more). */
const MAX_LICENSE = 300;
const MAX_ALTERNATIVES = 64;
const MAX_DEPTH = 16;

function normalise(id: string): string {
  const lower = id.trim().toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** A small SPDX expression reader (AND binds tighter than OR; `X WITH exception` is X), to
 * disjunctive form. Multi-word names between operators are one id (`MIT License OR GPLv3`). */
class Expression {
  private i = 0;

  constructor(private readonly toks: string[]) {}

  private peek(): string | undefined {
    return this.toks[this.i];
  }

  private op(name: 'and' | 'or' | 'with'): boolean {
    if (this.peek()?.toLowerCase() !== name) return false;
    this.i++;
    return true;
  }

  or(depth: number): string[][] {
    let alts = this.and(depth);
    while (this.op('or')) alts = [...alts, ...this.and(depth)].slice(0, MAX_ALTERNATIVES);
    return alts;
  }

  private and(depth: number): string[][] {
    let alts = this.atom(depth);
    while (this.op('and')) {
      const right = this.atom(depth);
      alts = alts.flatMap((a) => right.map((b) => [...a, ...b])).slice(0, MAX_ALTERNATIVES);
    }
    return alts;
  }

  private atom(depth: number): string[][] {
    if (this.peek() === '(' && depth < MAX_DEPTH) {
      this.i++;
      const inner = this.or(depth + 1);
      if (this.peek() === ')') this.i++;
      return inner;
    }
    const words: string[] = [];
    for (let t = this.peek(); t !== undefined && t !== '(' && t !== ')' && !/^(and|or|with)$/i.test(t); t = this.peek()) {
      words.push(t);
      this.i++;
    }
    if (this.op('with')) {
      const t = this.peek();
      if (t !== undefined && t !== '(' && t !== ')') this.i++;
    }
    if (words.length === 0) {
      // A stray parenthesis or operator: step over it so reading always moves forward.
      if (this.peek() !== undefined) this.i++;
      return [[]];
    }
    return [[normalise(words.join(' '))]];
  }

  get done(): boolean {
    return this.i >= this.toks.length;
  }
}

/** Alternatives (any one may be chosen), each a list of parts that all apply. Commas and
 * semicolons separate alternatives too (PyPI classifiers, joined). */
export function licenseAlternatives(license: string): string[][] {
  // A comma inside the common Apache name is not a list separator.
  const text = license.slice(0, MAX_LICENSE).replace(/apache license,\s*version 2\.0/gi, 'Apache-2.0');
  const out: string[][] = [];
  for (const piece of text.split(/[,;]/)) {
    // Classifier names hold parentheses that are not grouping: `... v3 (GPLv3)`.
    const known = ALIASES[piece.trim().toLowerCase()];
    if (known) {
      out.push([known]);
      continue;
    }
    const toks = piece.split(/([()])|\s+/).filter((t): t is string => t !== undefined && t !== '');
    if (toks.length === 0) continue;
    const e = new Expression(toks);
    while (!e.done && out.length < MAX_ALTERNATIVES) out.push(...e.or(0));
  }
  return out.map((a) => a.filter((p) => p !== '')).filter((a) => a.length > 0);
}
