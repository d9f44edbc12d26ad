// `# aidr: ignore[rule-id]` (or a bare `# aidr: ignore`) on a finding's line or the line before
// silences it. Used for manifests; Python code has its own, comment-node based, check.
import type { Finding } from '../domain';
import { LineIndex } from './lineIndex';

const MARK = /#\s*aidr:\s*ignore(?:\[([^\]]*)\])?/i;

function suppresses(line: string, rule: string): boolean {
  const m = MARK.exec(line);
  if (!m) return false;
  if (m[1] === undefined) return true;
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .includes(rule);
}

export function applySuppressions(text: string, findings: Finding[], index = new LineIndex(text)): Finding[] {
  if (!text.includes('aidr:')) return findings;
  return findings.filter((f) => {
    const line = index.positionAt(f.range.start).line;
    return !suppresses(index.lineText(line), f.rule) && !(line > 0 && /^\s*#/.test(index.lineText(line - 1)) && suppresses(index.lineText(line - 1), f.rule));
  });
}

/** The edit that adds a suppression comment at the end of the finding's line. */
export function suppressionEdit(text: string, f: Finding, index = new LineIndex(text)): { range: { start: number; end: number }; newText: string } {
  const line = index.positionAt(f.range.start).line;
  const lineText = index.lineText(line);
  const end = index.offsetAt({ line, character: lineText.length });
  const m = MARK.exec(lineText);
  if (m && m[1] !== undefined) {
    // Extend an existing list rather than add a second comment.
    const start = index.offsetAt({ line, character: m.index });
    return { range: { start, end: start + m[0].length }, newText: `# aidr: ignore[${m[1].trim()}, ${f.rule}]` };
  }
  return { range: { start: end, end }, newText: `${/\s$/.test(lineText) || lineText === '' ? '' : '  '}# aidr: ignore[${f.rule}]` };
}
