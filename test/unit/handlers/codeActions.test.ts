import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../../../server/src/domain';
import { LineIndex } from '../../../server/src/engine/lineIndex';
import { FIX_ALL_KIND, onCodeAction, onCodeActionResolve, type FindingSource } from '../../../server/src/handlers/codeActions';
import { toDiagnostic } from '../../../server/src/handlers/convert';

const TEXT = 'jinja2==2.10\nrequests==2.0\nx==1\n';
const lines = new LineIndex(TEXT);

function finding(start: number, end: number, fix?: { at: number; text: string }): Finding {
  return {
    rule: 'vulnerable-dependency',
    severity: 'error',
    range: { start, end },
    message: 'old',
    ...(fix ? { fixes: [{ title: `Pin to ${fix.text}`, isPreferred: true, edits: [{ range: { start: fix.at, end: fix.at + 6 }, newText: fix.text }] }] } : {}),
  };
}

const findings = [finding(0, 6, { at: 6, text: '==3.1.4' }), finding(13, 21, { at: 21, text: '==2.32.3' }), finding(27, 28)];
const src = (version = 7): FindingSource => ({ findings, text: TEXT, lines, version });
const diags = findings.map((f, i) => toDiagnostic(f, lines, i));
const params = (ds: Diagnostic[], only?: string[]) => ({ textDocument: { uri: 'file:///r.txt' }, range: ds[0]!.range, context: { diagnostics: ds, ...(only ? { only } : {}) } });

describe('code actions from stored findings', () => {
  it('publishes a small data payload: rule and id — no edits, no version (the same bytes while the finding is unchanged)', () => {
    assert.deepEqual(diags[0]!.data, { rule: 'vulnerable-dependency', id: 0 });
    assert.ok(JSON.stringify(diags[0]).length < 400);
  });

  it('builds the fix, a suppression and fix-all eagerly for clients without resolve', () => {
    const actions = onCodeAction(params([diags[0]!]), () => src());
    const pin = actions.find((a) => a.title === 'Pin to ==3.1.4')!;
    assert.deepEqual(pin.edit?.changes?.['file:///r.txt'], [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 12 } }, newText: '==3.1.4' }]);
    assert.equal(pin.isPreferred, true);
    const ignore = actions.find((a) => /aidr: ignore/.test(a.title))!;
    assert.equal(ignore.edit?.changes?.['file:///r.txt']?.[0]?.newText, '  # aidr: ignore[vulnerable-dependency]');
    const all = actions.find((a) => /Fix all/.test(a.title))!;
    assert.equal(all.edit?.changes?.['file:///r.txt']?.length, 2, 'both preferred fixes, from the stored findings');
  });

  it('defers edits to codeAction/resolve when the client supports it', () => {
    const actions = onCodeAction(params([diags[1]!], [FIX_ALL_KIND]), () => src(), true);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.edit, undefined);
    const resolved = onCodeActionResolve(actions[0]!, () => src());
    assert.equal(resolved.edit?.changes?.['file:///r.txt']?.length, 2);
    const quick = onCodeAction(params([diags[1]!]), () => src(), true).find((a) => a.title === 'Pin to ==2.32.3')!;
    assert.deepEqual(onCodeActionResolve(quick, () => src()).edit?.changes?.['file:///r.txt']?.[0]?.newText, '==2.32.3');
  });

  it('offers nothing for a diagnostic it cannot match, and does not resolve against another version', () => {
    const moved: Diagnostic = { ...diags[0]!, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } };
    assert.deepEqual(onCodeAction(params([moved]), () => src()).filter((a) => a.title.startsWith('Pin')), []);
    const lazy = onCodeAction(params([diags[0]!]), () => src(), true)[0] as CodeAction;
    assert.equal(onCodeActionResolve(lazy, () => src(8)).edit, undefined);
  });

  it('finds the finding by rule and range when the id is stale (an older version of the list)', () => {
    const stale: Diagnostic = { ...diags[1]!, data: { rule: 'vulnerable-dependency', id: 0 } };
    const pin = onCodeAction(params([stale]), () => src()).find((a) => a.title.startsWith('Pin'));
    assert.equal(pin?.title, 'Pin to ==2.32.3');
  });

  it('ignores foreign diagnostics and malformed data', () => {
    assert.deepEqual(onCodeAction(params([{ ...diags[0]!, source: 'other' }]), () => src()).filter((a) => a.title.startsWith('Pin')), []);
    assert.deepEqual(onCodeAction(params([{ ...diags[0]!, data: { rule: 1 } }]), () => src()).filter((a) => a.title.startsWith('Pin')), []);
    assert.deepEqual(onCodeAction(params([diags[0]!]), () => undefined), []);
  });
});
