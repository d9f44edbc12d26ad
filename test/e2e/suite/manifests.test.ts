// requirements.txt and pyproject.toml: vulnerable pins reported on the package name with the
// rule code, a hover naming the advisories, and the "pin safe version" quick fix.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apply, codeOf, hoverText, open, ours, quickFixes, rangeOf, showRange, waitFor } from './helpers';

const RULE = 'vulnerable-dependency';

export function defineManifestTests(): void {
  describe('requirements.txt', () => {
    it('is a pip-requirements document', async () => {
      const doc = await open('requirements.txt');
      assert.equal(doc.languageId, 'pip-requirements');
    });

    it('reports the vulnerable pin on the package name, with code and docs link', async () => {
      const doc = await open('requirements.txt');
      const [d] = await waitFor(`${RULE} in requirements.txt`, () => ours(doc.uri, RULE).length > 0 && ours(doc.uri, RULE));
      const expected = rangeOf(doc, 'requests');
      assert.equal(showRange(d.range), showRange(expected), 'range is the name `requests` on line 2');
      assert.ok(d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning, `severity ${d.severity}`);
      assert.match(d.message, /requests/i);
      const code = d.code;
      assert.ok(code && typeof code === 'object' && /docs\/rules\/vulnerable-dependency/.test(code.target.toString()), 'codeDescription links the rule page');
      const numpyLine = rangeOf(doc, 'numpy').start.line;
      assert.equal(ours(doc.uri, RULE).filter((x) => x.range.start.line === numpyLine).length, 0, 'numpy>=1.26 is not vulnerable');
    });

    it('hover names the advisories', async () => {
      const doc = await open('requirements.txt');
      await waitFor(`${RULE} in requirements.txt`, () => ours(doc.uri, RULE).length > 0);
      const text = await hoverText(doc.uri, rangeOf(doc, 'requests').start.translate(0, 2));
      assert.match(text, /PYSEC-2018-28|CVE-2018-18074|GHSA-x84v-xcm2-53pg/);
      assert.match(text, /PYSEC-2023-74|CVE-2023-32681|GHSA-j8r2-6x86-q33q/);
    });

    it('"pin safe version" changes the file and the diagnostic goes away', async () => {
      const doc = await open('requirements.txt');
      const [d] = await waitFor(`${RULE} in requirements.txt`, () => ours(doc.uri, RULE).length > 0 && ours(doc.uri, RULE));
      const fixes = await waitFor('quick fixes', async () => {
        const f = (await quickFixes(doc.uri, d.range)).filter((a) => /pin|safe/i.test(a.title));
        return f.length > 0 && f;
      });
      const fix = fixes.find((a) => a.isPreferred) ?? fixes[0];
      await apply(fix);
      const line = doc.lineAt(d.range.start.line).text;
      assert.match(line, /^requests==2\.3[12]\.\d+\s*$/, `line after "${fix.title}": ${line}`);
      await waitFor('the diagnostic to go away', () => ours(doc.uri, RULE).every((x) => x.range.start.line !== d.range.start.line));
      assert.ok(ours(doc.uri).every((x) => codeOf(x) !== RULE));
    });
  });

  describe('pyproject.toml', () => {
    it('reports the vulnerable pin inside the dependency string', async () => {
      const doc = await open('pyproject.toml');
      const [d] = await waitFor(`${RULE} in pyproject.toml`, () => ours(doc.uri, RULE).length > 0 && ours(doc.uri, RULE));
      assert.equal(showRange(d.range), showRange(rangeOf(doc, 'requests')), 'range is `requests` in "requests[socks]==2.25.1"');
      const text = await hoverText(doc.uri, d.range.start.translate(0, 1));
      assert.match(text, /PYSEC-2023-74|CVE-2023-32681/);
      assert.match(d.message, /PYSEC-2023-74|CVE-2023-32681|1 known/, `message: ${d.message}`);
      assert.doesNotMatch(d.message, /PYSEC-2018-28/, '2.25.1 is past the 2.20.0 fix');
    });
  });
}
