import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { invalidJsonProblem, jsonDepth, MAX_JSON_DEPTH, stringContents } from '../../../server/src/manifests/jsonTree';

const result = () => ({ format: 'package.json' as const, dependencies: [], includes: [], indexUrls: [], problems: [] as { message: string }[] });

describe('jsonTree', () => {
  it('jsonDepth counts nesting outside strings (a string ends at its quote or a line break)', () => {
    assert.equal(jsonDepth('{"a": [1, {"b": [[]]}]}'), 5);
    assert.equal(jsonDepth('{"a": "[[[[\\"[[["}'), 1);
    assert.equal(jsonDepth('{"a": "[[[\n[['), 3);
    assert.equal(jsonDepth(']]]]{'), 1);
    // Comments are skipped as jsonc-parser skips them: a quote in one must not hide what follows.
    assert.equal(jsonDepth('/* " */ [[[ // "\n[]]]'), 4);
    assert.equal(jsonDepth('/* [[[ */ [ // [[[\n]'), 1);
    assert.equal(jsonDepth('[ /* unclosed [[['), 1);
  });

  it('refuses nesting that would overflow jsonc-parser (it recursed once per level)', () => {
    const r = result();
    assert.equal(invalidJsonProblem('['.repeat(100_000), r as never), undefined);
    assert.match(r.problems[0]!.message, new RegExp(`nested more than ${MAX_JSON_DEPTH}`));
    const commented = result();
    assert.equal(invalidJsonProblem(`/* " */${'['.repeat(100_000)}`, commented as never), undefined, 'a quote in a block comment hid the brackets (a stack overflow)');
    const ok = result();
    assert.ok(invalidJsonProblem(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, ok as never));
    assert.equal(ok.problems.length, 0);
  });

  it('stringContents has no range for an unterminated string', () => {
    const text = '{"a": "\n}';
    const node = parseTree(text)!.children![0]!.children![1]!;
    assert.equal(stringContents(text, node), undefined);
    const good = '{"a": "1.0"}';
    assert.deepEqual(stringContents(good, parseTree(good)!.children![0]!.children![1]!), { start: 7, end: 10 });
  });
});
