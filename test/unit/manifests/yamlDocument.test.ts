import assert from 'node:assert/strict';
import { MAX_YAML_FLOW_DEPTH, MAX_YAML_LINE_NESTING, parseYamlDocument, yamlRefusal } from '../../../server/src/manifests/yamlDocument';

const NO_CAP = { maxChars: Infinity };

describe('yamlDocument', () => {
  it('lets real files through and parses them', () => {
    const text = 'name: ml\nchannels: [pytorch, conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n    - "torch[cuda]>=2.1 ; sys_platform == \'linux\'"\n';
    assert.equal(yamlRefusal(text, NO_CAP), undefined);
    const r = parseYamlDocument(text, NO_CAP);
    assert.ok(r.ok && r.doc.errors.length === 0);
  });

  it('refuses size, flow nesting and per-line block nesting past the limits', () => {
    assert.match(yamlRefusal('a: 1\n', { maxChars: 3 })!, /too large/);
    assert.equal(yamlRefusal(`${'['.repeat(MAX_YAML_FLOW_DEPTH)}${']'.repeat(MAX_YAML_FLOW_DEPTH)}`, NO_CAP), undefined);
    assert.match(yamlRefusal('['.repeat(MAX_YAML_FLOW_DEPTH + 1), NO_CAP)!, /flow collections/);
    assert.match(yamlRefusal(`a: 1\n${'- '.repeat(MAX_YAML_LINE_NESTING + 1)}x`, NO_CAP)!, /on one line/);
    assert.match(yamlRefusal(`${' '.repeat(MAX_YAML_LINE_NESTING + 1)}x`, NO_CAP)!, /on one line/);
    // Balanced brackets over many lines, and many lines of shallow items, are fine.
    assert.equal(yamlRefusal(`${'[a, [b]]\n'.repeat(10_000)}${'  - a: b\n'.repeat(10_000)}`, NO_CAP), undefined);
  });

  it('errors are plain (no prettified source excerpts) and the stack trace limit is restored', () => {
    const before = Error.stackTraceLimit;
    const r = parseYamlDocument('a: [b\n', NO_CAP);
    assert.equal(Error.stackTraceLimit, before);
    assert.ok(r.ok && r.doc.errors.length > 0);
    assert.ok(r.ok && r.doc.errors.every((e) => !e.message.includes(' at line ')));
  });
});
