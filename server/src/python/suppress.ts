// Suppression comments: `# aidr: ignore[rule-id]`, `# aidr: ignore[a, b]` or a bare
// `# aidr: ignore` on a finding's line or the line before silences it. Comments are found in
// the syntax tree, so the same text inside a string does not count. Lines end at `\n`, `\r\n` or
// a lone `\r` (as Python and VS Code read them); per-line work is done once per line, so a
// one-line file full of findings stays linear.
import type { Finding, Fix, TextEditOffsets } from '../domain';
import type { TreeIndex } from './treeIndex';

const MARK = /aidr:[ \t]*ignore(?:\[([^\]\n\r]*)\])?/;

/** Line number -> the rule ids ignored there ('all' for a bare ignore). */
export type Suppressions = Map<number, Set<string> | 'all'>;

export class Lines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    if (text.indexOf('\r') === -1) {
      // The common case: native search for `\n` only.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
  /** End of the line's content (before `\r\n`, `\n` or `\r`). */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }
}

export function parseSuppression(comment: string): Set<string> | 'all' | undefined {
  const m = MARK.exec(comment);
  if (!m) return undefined;
  if (m[1] === undefined) return 'all';
  return new Set(m[1].split(',').map((s) => s.trim()).filter(Boolean));
}

export function collectSuppressions(ix: TreeIndex, lines: Lines): Suppressions {
  const out: Suppressions = new Map();
  const { text } = lines;
  const at: number[] = [];
  for (let i = text.indexOf('aidr:'); i !== -1; i = text.indexOf('aidr:', i + 5)) at.push(i);
  ix.locate(at.map((i) => [i, i + 5] as const)).forEach((node) => {
    if (node?.type !== 'comment') return;
    // Comments end at the line end, so the mark is read from a bounded slice.
    const s = parseSuppression(node.text);
    if (s) out.set(lines.lineOf(node.startIndex), s);
  });
  return out;
}

function ignores(s: Set<string> | 'all' | undefined, rule: string): boolean {
  return s === 'all' || (s !== undefined && s.has(rule));
}

export function isSuppressed(finding: Finding, lines: Lines, sup: Suppressions): boolean {
  if (sup.size === 0) return false;
  const line = lines.lineOf(finding.range.start);
  return ignores(sup.get(line), finding.rule) || (line > 0 && ignores(sup.get(line - 1), finding.rule));
}

/** Where a line's suppression goes: into an existing `ignore[...]` list, or at the line end. */
interface LineSlot {
  at: number;
  /** Inserting into an existing list (with or without ids already). */
  list?: { empty: boolean };
}

/** Builds suppression fixes, reading each line once however many findings it has. */
export class SuppressionFixes {
  private readonly slots = new Map<number, LineSlot>();
  constructor(private readonly lines: Lines) {}

  private slot(line: number): LineSlot {
    let s = this.slots.get(line);
    if (s) return s;
    const { text } = this.lines;
    const start = this.lines.lineStart(line);
    const end = this.lines.lineEnd(line);
    let hash = start;
    while (hash < end && text.charCodeAt(hash) !== 35 /* # */) hash++;
    s = { at: end };
    if (hash < end) {
      const m = /aidr:[ \t]*ignore\[([^\]\n\r]*)\]/.exec(text.slice(hash, end));
      if (m) s = { at: hash + m.index + m[0].length - 1, list: { empty: m[1]!.trim() === '' } };
    }
    this.slots.set(line, s);
    return s;
  }

  /** A fix that adds (or extends) `# aidr: ignore[rule]` on the finding's line. */
  fix(finding: Finding): Fix {
    const s = this.slot(this.lines.lineOf(finding.range.start));
    const title = `Ignore ${finding.rule} on this line`;
    const edit: TextEditOffsets = s.list
      ? { range: { start: s.at, end: s.at }, newText: `${s.list.empty ? '' : ', '}${finding.rule}` }
      : { range: { start: s.at, end: s.at }, newText: `  # aidr: ignore[${finding.rule}]` };
    return { title, edits: [edit] };
  }
}
