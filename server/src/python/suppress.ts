// Suppression comments: `# aidr: ignore[rule-id]`, `# aidr: ignore[a, b]` or a bare
// `# aidr: ignore` on a finding's line or the line before silences it. Comments are found in
// the syntax tree, so the same text inside a string does not count.
import type { Tree } from './parser';
import type { Finding, Fix } from '../domain';

const MARK = /aidr:\s*ignore(?:\[([^\]]*)\])?/;

/** Line number -> the rule ids ignored there ('all' for a bare ignore). */
export type Suppressions = Map<number, Set<string> | 'all'>;

export class Lines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
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
  /** End of the line's content (before `\r\n` or `\n`). */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }
}

export function parseSuppression(comment: string): Set<string> | 'all' | undefined {
  const m = MARK.exec(comment);
  if (!m) return undefined;
  if (m[1] === undefined) return 'all';
  return new Set(m[1].split(',').map((s) => s.trim()).filter(Boolean));
}

export function collectSuppressions(tree: Tree, lines: Lines): Suppressions {
  const out: Suppressions = new Map();
  const { text } = lines;
  for (let i = text.indexOf('aidr:'); i !== -1; i = text.indexOf('aidr:', i + 5)) {
    const node = tree.rootNode.descendantForIndex(i, i + 5);
    if (node?.type !== 'comment') continue;
    const s = parseSuppression(node.text);
    if (s) out.set(lines.lineOf(node.startIndex), s);
  }
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

/** A fix that adds (or extends) `# aidr: ignore[rule]` at the end of the finding's line. */
export function suppressionFix(finding: Finding, lines: Lines): Fix {
  const line = lines.lineOf(finding.range.start);
  const start = line === 0 ? 0 : lines.lineEnd(line - 1) + (lines.text.charCodeAt(lines.lineEnd(line - 1)) === 13 ? 2 : 1);
  const end = lines.lineEnd(line);
  const content = lines.text.slice(start, end);
  const title = `Ignore ${finding.rule} on this line`;
  const existing = /aidr:\s*ignore\[([^\]]*)\]/.exec(content);
  const hash = content.indexOf('#');
  if (existing && hash !== -1 && existing.index > hash) {
    const at = start + existing.index + existing[0].length - 1;
    const sep = existing[1]!.trim() === '' ? '' : ', ';
    return { title, edits: [{ range: { start: at, end: at }, newText: `${sep}${finding.rule}` }] };
  }
  return { title, edits: [{ range: { start: end, end }, newText: `  # aidr: ignore[${finding.rule}]` }] };
}
