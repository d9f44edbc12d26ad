import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { applySuppressions, suppressionEdit } from '../../../server/src/engine/suppression';
import type { Finding } from '../../../server/src/domain';

describe('LineIndex', () => {
  it('maps offsets and positions for LF, CRLF and CR line ends', () => {
    const t = 'ab\r\ncd\nef\rgh';
    const l = new LineIndex(t);
    assert.equal(l.lineCount, 4);
    assert.deepEqual(l.positionAt(t.indexOf('c')), { line: 1, character: 0 });
    assert.deepEqual(l.positionAt(t.indexOf('h')), { line: 3, character: 1 });
    assert.equal(l.offsetAt({ line: 2, character: 1 }), t.indexOf('f'));
    assert.equal(l.offsetAt({ line: 9, character: 0 }), t.length);
    assert.equal(l.lineText(0), 'ab');
    assert.deepEqual(l.positionAt(999), { line: 3, character: 2 });
  });
});

describe('manifest suppressions', () => {
  const f = (text: string, needle: string, rule: Finding['rule'] = 'vulnerable-dependency'): Finding => ({ rule, severity: 'warning', range: { start: text.indexOf(needle), end: text.indexOf(needle) + needle.length }, message: '' });

  it('adds a comment at the end of the line, or extends an existing list', () => {
    const t = 'jinja2==2.10\n';
    const e = suppressionEdit(t, f(t, 'jinja2'));
    assert.equal(t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), 'jinja2==2.10  # aidr: ignore[vulnerable-dependency]\n');
    const t2 = 'jinja2==2.10  # aidr: ignore[unpinned-dependency]\n';
    const e2 = suppressionEdit(t2, f(t2, 'jinja2'));
    assert.equal(t2.slice(0, e2.range.start) + e2.newText + t2.slice(e2.range.end), 'jinja2==2.10  # aidr: ignore[unpinned-dependency, vulnerable-dependency]\n');
  });

  it('a trailing comment on the previous requirement does not suppress the next line', () => {
    const t = 'a==1  # aidr: ignore\nb==2\n';
    assert.equal(applySuppressions(t, [f(t, 'b==2')]).length, 1);
    assert.equal(applySuppressions(t, [f(t, 'a==1')]).length, 0);
  });
});

describe('LineIndex on hostile text', () => {
  it('lineText drops \\n, \\r\\n and \\r endings without scanning the line', function () {
    this.timeout(20_000);
    const long = 'a'.repeat(1_000_000);
    const index = new LineIndex(`${long}\r\n${long}\r${long}\n${long}`);
    for (let i = 0; i < 4; i++) for (let k = 0; k < 1_000; k++) assert.equal(index.lineText(i).length, 1_000_000);
    assert.equal(new LineIndex('a\r\r\nb').lineText(0), 'a');
    assert.equal(new LineIndex('a\r\r\nb').lineText(1), '');
  });
});
