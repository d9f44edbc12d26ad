import assert from 'node:assert/strict';
import { redactDeep, redactReport } from '../../../server/src/cli/redactReport';
import { renderSarif, renderText, type JsonReport } from '../../../server/src/cli/report';

const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };

function report(): JsonReport {
  return {
    version: 1,
    findings: [
      {
        rule: 'unknown-package',
        severity: 'warning',
        file: 'requirements.txt',
        range: R,
        message: 'internal is not on PyPI; index https://alice:s3cret@pypi.corp/simple',
        fixes: [
          { title: 'Pin to 2.0 (https://bob:hunter2@h/x)', edits: [{ file: 'requirements.txt', range: R, newText: '==2.0' }] },
          // A fix that would write a credential is dropped rather than printed or corrupted.
          { title: 'Replace', edits: [{ file: 'requirements.txt', range: R, newText: 'x @ https://u:tok@h/x.whl' }] },
        ],
        related: [{ file: 'a.txt', range: R, message: 'pinned by https://TOKEN@github.com/o/r' }],
      },
    ],
    errors: [{ file: 'requirements.txt', message: "line 2: Remote include 'https://u:p4ss@h/r.txt?token=abc' is not fetched" }],
  };
}

describe('CLI report redaction', () => {
  it('hides credentials in every string of the report, in every format', () => {
    const r = redactReport(report());
    const outputs = [JSON.stringify(r), renderText(r, false), JSON.stringify(renderSarif(r, '0'))];
    for (const out of outputs) {
      for (const secret of ['s3cret', 'hunter2', 'TOKEN', 'p4ss', 'token=abc', 'u:tok']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
      assert.ok(out.includes('https://***@pypi.corp/simple'));
    }
  });

  it('keeps fix edits exact and drops a fix whose edit text carries a secret', () => {
    const r = redactReport(report());
    const fixes = r.findings[0]!.fixes!;
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0]!.edits[0]!.newText, '==2.0');
    assert.equal(fixes[0]!.title, 'Pin to 2.0 (https://***@h/x)');
    // The input is not mutated.
    assert.equal(report().findings[0]!.fixes!.length, 2);
  });

  it('redactDeep leaves numbers, booleans and structure alone', () => {
    const v = { a: 1, b: true, c: null, d: ['https://u:p@h', { newText: 'https://u:p@h' }] };
    assert.deepEqual(redactDeep(v), { a: 1, b: true, c: null, d: ['https://***@h', { newText: 'https://u:p@h' }] });
  });
});
