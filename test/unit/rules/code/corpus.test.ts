// The annotated corpus (test/fixtures/corpus: bandit examples, cases in the style of semgrep /
// trailofbits / Sonar tests, and notebooks): every `ruleid` case is flagged with its rule, and no
// `ok` case gets a warning or error. Also checks the scorer itself, so a wrong score cannot pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initPython } from '../../../../server/src/python/parser';
import { annotatedCases, describe as describeCase, evaluateCorpus, type CorpusReport } from './corpusEval';

const RULES = [
  'unsafe-torch-load',
  'pickle-deserialization',
  'numpy-allow-pickle',
  'trust-remote-code',
  'unpinned-model-revision',
  'unsafe-keras-load',
  'unsafe-yaml-load',
  'torch-hub-load',
  'dangerous-deserialization-flag',
  'insecure-model-source',
];

describe('annotated corpus', () => {
  let report: CorpusReport;
  before(async () => {
    report = await evaluateCorpus();
  });

  it('covers every code rule with unsafe and safe cases, in files and notebooks', () => {
    for (const rule of RULES) {
      const unsafe = report.outcomes.filter((o) => o.case.ruleid.includes(rule)).length;
      const safe = report.outcomes.filter((o) => o.case.ok.includes(rule)).length;
      assert.ok(unsafe >= 4, `${rule}: only ${unsafe} unsafe cases`);
      assert.ok(safe >= 2, `${rule}: only ${safe} safe cases`);
    }
    assert.ok(report.outcomes.filter((o) => o.case.cell !== undefined).length >= 40);
    assert.ok(report.unsafe >= 140 && report.safe >= 150, `${report.unsafe} unsafe / ${report.safe} safe cases`);
  });

  it('flags every call marked unsafe with the right rule', () => {
    const missed = report.outcomes.filter((o) => o.missed.length > 0).map(describeCase);
    assert.deepEqual(missed, []);
    assert.equal(report.recall, 1);
  });

  it('puts no warning or error on calls marked safe', () => {
    const flagged = report.outcomes.filter((o) => o.falsePositives.length > 0).map(describeCase);
    assert.deepEqual(flagged, []);
    assert.equal(report.fpRate, 0);
  });
});

describe('corpus scorer', () => {
  before(() => initPython());

  it('maps an annotation to the statement after it, spanning its lines (a compound one: its header)', () => {
    const src = [
      '# ruleid: a, b',
      '# ok: c',
      '',
      'x = f(',
      '    1,',
      ')',
      '# ok: a',
      'with open(',
      '    p,',
      ') as fh:',
      '    y = 1',
      'z = 2',
    ].join('\n');
    const cases = annotatedCases('t.py', src, src);
    assert.deepEqual(
      cases.map((c) => [c.line, c.endLine, c.ruleid, c.ok]),
      [
        [4, 6, ['a', 'b'], ['c']],
        [8, 10, [], ['a']],
      ],
    );
  });

  it('counts a miss, a wrong rule, an info-only finding and a warning on a safe call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aidr-corpus-'));
    try {
      writeFileSync(
        path.join(dir, 'probe.py'),
        [
          'import torch, pickle',
          'from transformers import AutoModel',
          '# ruleid: unsafe-torch-load',
          'torch.save(m, "x.pt")',
          '# ruleid: pickle-deserialization',
          'torch.load("x.pt")',
          '# ruleid: unpinned-model-revision',
          'AutoModel.from_pretrained("org/name")',
          '# ok: pickle-deserialization',
          'pickle.loads(blob)',
          '# ok: unpinned-model-revision',
          'AutoModel.from_pretrained("org/name", revision="main")',
          '',
        ].join('\n'),
      );
      const r = await evaluateCorpus(dir);
      assert.deepEqual(
        r.outcomes.map((o) => [o.case.line, o.missed, o.falsePositives]),
        [
          [4, ['unsafe-torch-load'], []],
          [6, ['pickle-deserialization'], []],
          [8, [], []],
          [10, [], ['pickle-deserialization warning']],
          [12, [], []],
        ],
      );
      assert.equal(r.unsafe, 3);
      assert.equal(r.caught, 1);
      assert.equal(r.flaggedSafe, 1);
      assert.equal(r.safe, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
