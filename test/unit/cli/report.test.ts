// Report renderings: SARIF carries line-independent partialFingerprints and each rule's page as
// `help`; text names each rule's page and what the baseline hid.
import assert from 'node:assert/strict';
import { markdownToText, renderSarif, renderText, type JsonReport, type RuleDocs } from '../../../server/src/cli/report';
import { readRuleDoc, ruleDocPath } from '../../../server/src/ruleDocs';

const R = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });
const report = (): JsonReport => ({
  version: 1,
  findings: [
    { rule: 'unsafe-torch-load', severity: 'error', file: 'a.py', range: R(3), message: 'torch.load', fingerprint: 'f'.repeat(32) },
    { rule: 'vulnerable-dependency', severity: 'warning', file: 'requirements.txt', range: R(0), message: 'vuln', package: { ecosystem: 'PyPI', name: 'x', version: '1' }, fingerprint: 'e'.repeat(32) },
  ],
  errors: [],
});
const DOCS: RuleDocs = { path: (r) => ruleDocPath(r), text: (r) => readRuleDoc(r) };

interface SarifRule {
  id: string;
  helpUri?: string;
  help?: { text: string; markdown: string };
}

describe('report renderings', () => {
  it('SARIF: partialFingerprints are the fingerprints, not line-based', () => {
    const sarif = renderSarif(report(), '1.0.0', DOCS) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
    const fps = sarif.runs[0]!.results.map((r) => r.partialFingerprints);
    assert.deepEqual(fps, [{ 'aidrFingerprint/v1': 'f'.repeat(32) }, { 'aidrFingerprint/v1': 'e'.repeat(32) }]);
    const moved = report();
    moved.findings[0]!.range = R(40);
    const again = renderSarif(moved, '1.0.0', DOCS) as typeof sarif;
    assert.deepEqual(again.runs[0]!.results.map((r) => r.partialFingerprints), fps);
  });

  it('SARIF: every rule embeds its page as help text and Markdown, and links nothing that would not resolve', () => {
    const sarif = renderSarif(report(), '1.0.0', DOCS) as { runs: { tool: { driver: { rules: SarifRule[] } } }[] };
    const rules = sarif.runs[0]!.tool.driver.rules;
    assert.deepEqual(rules.map((r) => r.id), ['unsafe-torch-load', 'vulnerable-dependency']);
    for (const r of rules) {
      assert.equal(r.helpUri, undefined);
      assert.equal(r.help!.markdown, readRuleDoc(r.id));
      assert.ok(r.help!.text.length > 100);
      // No Markdown emphasis or headings left (`**kwargs` inside a code span is Python, not markup).
      assert.ok(!/\*\*[^*\s][^*]*\*\*/.test(r.help!.text) && !r.help!.text.includes('## '), r.help!.text);
    }
    assert.match(rules[0]!.help!.text, /weights_only=True/);
    // Without docs installed, no help (and still no broken link).
    const bare = renderSarif(report(), '1.0.0') as typeof sarif;
    assert.ok(bare.runs[0]!.tool.driver.rules.every((r) => r.help === undefined && r.helpUri === undefined));
  });

  it('markdownToText drops the syntax and keeps the words', () => {
    assert.equal(markdownToText('# `x`\n\n**Applies to:** code.\n\n```python\nf(a)\n```\n'), 'x\n\nApplies to: code.\n\nf(a)');
  });

  it('text: each rule with the path of its page, and the baseline count', () => {
    const r = { ...report(), suppressedByBaseline: 3 };
    const text = renderText(r, false, DOCS);
    assert.ok(text.includes(`unsafe-torch-load      ${ruleDocPath('unsafe-torch-load')}`), text);
    assert.ok(text.includes(`vulnerable-dependency  ${ruleDocPath('vulnerable-dependency')}`));
    assert.match(text, /3 finding\(s\) suppressed by the baseline/);
    assert.ok(!/suppressed/.test(renderText(report(), false, DOCS)));
    assert.match(renderText(report(), false), /unsafe-torch-load +\(no documentation page installed\)/);
  });
});
