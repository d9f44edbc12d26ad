// Line/character positions for offsets in the policy file, so findings in other files can point at
// the policy entry that decided them (related locations are line/character, like LSP).
import type { OffsetRange, PolicySpan } from '../domain';

export class Positions {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  span(range: OffsetRange): PolicySpan {
    return { range, lines: { start: this.position(range.start), end: this.position(range.end) } };
  }
}
