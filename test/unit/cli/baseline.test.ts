import assert from 'node:assert/strict';
import { applyBaseline, baselineOf, BaselineError, parseBaseline, serializeBaseline } from '../../../server/src/cli/baseline';
import type { JsonFinding, JsonReport } from '../../../server/src/cli/report';

const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const f = (fingerprint: string | undefined, rule = 'unsafe-torch-load', file = 'a.py'): JsonFinding => ({ rule, severity: 'error', file, range: R, message: 'm', ...(fingerprint ? { fingerprint } : {}) });
const FP = (c: string) => c.repeat(32);

describe('baselines', () => {
  it('are sorted, de-duplicated and byte-stable whatever the finding order', () => {
    const a = [f(FP('b'), 'r2', 'z.py'), f(FP('a'), 'r1', 'a.py'), f(FP('c'), 'r1', 'a.py'), f(FP('a'), 'r1', 'a.py'), f(undefined)];
    const text = serializeBaseline(baselineOf(a));
    assert.equal(text, serializeBaseline(baselineOf([...a].reverse())));
    const doc = JSON.parse(text) as { version: number; tool: string; findings: { fingerprint: string; file: string }[] };
    assert.equal(doc.version, 1);
    assert.equal(doc.tool, 'ai-dependency-risk');
    assert.deepEqual(doc.findings.map((e) => e.fingerprint), [FP('a'), FP('c'), FP('b')]);
    assert.ok(!/"line"|timestamp/.test(text));
    assert.ok(text.endsWith('}\n'));
  });

  it('round-trip: what is written is what is read', () => {
    const set = parseBaseline(serializeBaseline(baselineOf([f(FP('a')), f(FP('b'))])));
    assert.deepEqual([...set].sort(), [FP('a'), FP('b')]);
    assert.deepEqual([...parseBaseline('{"version":1,"findings":[]}')], []);
  });

  it('refuses what it did not write, saying why', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['[]', /expected an object/],
      ['{"version":2,"findings":[]}', /unsupported version 2/],
      ['{"version":1}', /"findings" must be an array/],
      ['{"version":1,"findings":[{"fingerprint":"xyz"}]}', /findings\[0\]/],
      ['{"version":1,"findings":[{"rule":"a"}]}', /findings\[0\]/],
    ];
    for (const [text, why] of cases) assert.throws(() => parseBaseline(text), (e: unknown) => e instanceof BaselineError && why.test(e.message), text);
  });

  it('hides only recorded findings and counts them; findings without a fingerprint always show', () => {
    const report: JsonReport = { version: 1, findings: [f(FP('a')), f(FP('b')), f(undefined)], errors: [] };
    const { report: kept, suppressed } = applyBaseline(report, new Set([FP('a'), FP('d')]));
    assert.equal(suppressed, 1);
    assert.deepEqual(kept.findings.map((x) => x.fingerprint), [FP('b'), undefined]);
    assert.equal(report.findings.length, 3, 'the input is not changed');
  });

  it('no credential in a recorded file path', () => {
    const text = serializeBaseline(baselineOf([f(FP('a'), 'r', 'https://user:hunter2@h/x.py')]));
    assert.ok(!text.includes('hunter2'));
  });
});
