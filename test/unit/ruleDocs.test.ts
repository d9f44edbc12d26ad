// Rule pages: every rule id has one, links resolve to existing files wherever the code runs from
// (sources under tsx, or the bundles in server/out), and the hover links the same page.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleId } from '../../server/src/domain';
import { findingHover } from '../../server/src/engine/hover';
import { toDiagnostic } from '../../server/src/handlers/convert';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { ruleDocsLink, RULE_DOCS_FOLDER } from '../../server/src/protocol';
import { findRuleDocsDir, readRuleDoc, ruleDocPath, ruleDocUri } from '../../server/src/ruleDocs';

const ROOT = path.resolve(__dirname, '../..');

// Exhaustive by construction: adding a RuleId without listing it here fails the type-check, and
// listing it fails the test below until docs/rules/<id>.md exists.
const ALL_RULES: Record<RuleId, true> = {
  'vulnerable-dependency': true,
  'malicious-package': true,
  'typosquat-suspect': true,
  'unknown-package': true,
  'yanked-version': true,
  'deprecated-package': true,
  'unpinned-dependency': true,
  'license-notice': true,
  'unsafe-torch-load': true,
  'pickle-deserialization': true,
  'numpy-allow-pickle': true,
  'trust-remote-code': true,
  'unpinned-model-revision': true,
  'unsafe-keras-load': true,
  'unsafe-yaml-load': true,
  'torch-hub-load': true,
  'dangerous-deserialization-flag': true,
  'insecure-model-source': true,
  'unsafe-model-file': true,
  'package-denied': true,
  'model-not-approved': true,
  'license-policy': true,
  'new-release': true,
  'parse-error': true,
};

describe('rule documentation pages', () => {
  it('every rule id has a page in docs/rules with the expected sections', () => {
    const missing: string[] = [];
    for (const id of Object.keys(ALL_RULES)) {
      const p = path.join(ROOT, RULE_DOCS_FOLDER, `${id}.md`);
      if (!existsSync(p)) {
        missing.push(id);
        continue;
      }
      const text = readFileSync(p, 'utf8');
      assert.match(text, new RegExp(`^# \`${id}\``), `${id}: title`);
      assert.match(text, /## What it detects/, `${id}: section`);
    }
    assert.deepEqual(missing, []);
  });

  it('finds the docs folder from the sources and from the bundle folder, and not elsewhere', () => {
    const fromSrc = findRuleDocsDir(path.join(ROOT, 'server/src'));
    const fromOut = findRuleDocsDir(path.join(ROOT, 'server/out'));
    assert.equal(fromSrc, path.join(ROOT, 'docs/rules'));
    assert.equal(fromOut, path.join(ROOT, 'docs/rules'));
    const lonely = mkdtempSync(path.join(os.tmpdir(), 'aidr-nodocs-'));
    try {
      mkdirSync(path.join(lonely, 'a/b/c'), { recursive: true });
      assert.equal(findRuleDocsDir(path.join(lonely, 'a/b/c')), undefined);
      // A folder without our pages is not mistaken for ours.
      mkdirSync(path.join(lonely, 'a/docs/rules'), { recursive: true });
      writeFileSync(path.join(lonely, 'a/docs/rules/README.md'), 'x');
      assert.equal(findRuleDocsDir(path.join(lonely, 'a/b')), undefined);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('links are file: URIs of existing pages; unknown or hostile ids get no link', () => {
    const uri = ruleDocUri('unsafe-torch-load')!;
    assert.match(uri, /^file:\/\//);
    assert.ok(existsSync(fileURLToPath(uri)));
    assert.equal(fileURLToPath(uri), ruleDocPath('unsafe-torch-load'));
    assert.equal(ruleDocUri('no-such-rule'), undefined);
    assert.equal(ruleDocPath('../../package'), undefined);
    assert.equal(ruleDocUri('vulnerable-dependency', '/nonexistent/docs'), undefined);
    assert.match(readRuleDoc('unsafe-torch-load')!, /weights_only=True/);
    assert.equal(ruleDocsLink('file:///x/docs/rules/', 'a-b'), 'file:///x/docs/rules/a-b.md');
  });

  it('a diagnostic links the page; a hover on the finding links the same page', () => {
    const f = { rule: 'unsafe-yaml-load' as const, severity: 'warning' as const, range: { start: 0, end: 9 }, message: 'yaml.load' };
    const d = toDiagnostic(f, new LineIndex('yaml.load(x)\n'));
    assert.equal(d.codeDescription?.href, ruleDocUri('unsafe-yaml-load'));
    assert.ok(existsSync(fileURLToPath(d.codeDescription!.href)));
    const md = findingHover(f, undefined, undefined, ruleDocUri(f.rule));
    assert.ok(md.startsWith(`**[unsafe-yaml-load](${d.codeDescription!.href})**`), md);
    assert.ok(findingHover(f).startsWith('**unsafe-yaml-load**'));
  });
});
