// Fingerprints survive what does not change a finding (lines inserted above, edits elsewhere,
// reformatting) and tell apart what does (a new finding, a second identical call, another package).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fingerprintFindings } from '../../../server/src/cli/fingerprint';
import { toJsonFinding, type JsonFinding } from '../../../server/src/cli/report';
import { analyzeNotebookCells, analyzePython } from '../../../server/src/engine/pythonAnalysis';
import { LineIndex } from '../../../server/src/engine/lineIndex';

const FILE = 'app.py';

async function scan(text: string, file = FILE): Promise<{ findings: JsonFinding[]; fps: string[] }> {
  const lines = new LineIndex(text);
  const findings = (await analyzePython(text)).findings.map((f) => toJsonFinding(f, file, lines, (u) => u));
  return { findings, fps: fingerprintFindings(findings, (f) => (f === file ? text : undefined)) };
}

/** rule -> sorted fingerprints, the shape compared across edits. */
function byRule(r: { findings: JsonFinding[]; fps: string[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  r.findings.forEach((f, i) => (out[f.rule] ??= []).push(r.fps[i]!));
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

const BASE = [
  'import torch, yaml, pickle',
  'from transformers import AutoModel',
  '',
  'def load(path):',
  '    state = torch.load(path)  # checkpoint',
  '    cfg = yaml.load(open("c.yml"))',
  '    m = AutoModel.from_pretrained("org/model", trust_remote_code=True)',
  '    return state, cfg, m',
  '',
].join('\n');

describe('finding fingerprints', () => {
  it('are stable when lines are inserted above, other lines are edited or reformatted', async () => {
    const before = await scan(BASE);
    assert.ok(before.findings.length >= 4, JSON.stringify(before.findings.map((f) => f.rule)));
    const shifted = '"""Module docstring with a ( paren."""\n# a comment )\nimport os\n\n\n' + BASE;
    const edited = BASE.replace('    return state, cfg, m', '    print("done")\n    return   state,cfg,m');
    const reformattedCall = BASE.replace('torch.load(path)  # checkpoint', 'torch.load(\n        path,  # the file\n    )');
    for (const variant of [shifted, edited, reformattedCall]) assert.deepEqual(byRule(await scan(variant)), byRule(before));
  });

  it('a new finding of the same rule in the same file gets a new fingerprint; the old ones stay', async () => {
    const before = await scan(BASE);
    const after = await scan(BASE.replace('    return state', '    extra = torch.load("other.pt")\n    return state'));
    const old = new Set(before.fps);
    const added = after.fps.filter((fp) => !old.has(fp));
    assert.equal(added.length, 1);
    assert.equal(after.findings[after.fps.indexOf(added[0]!)]!.rule, 'unsafe-torch-load');
    for (const fp of before.fps) assert.ok(after.fps.includes(fp));
  });

  it('two identical calls get distinct fingerprints, kept when lines move', async () => {
    const twice = 'import torch\na = torch.load(p)\nb = torch.load(p)\n';
    const r = await scan(twice);
    const fps = r.fps.filter((_, i) => r.findings[i]!.rule === 'unsafe-torch-load');
    assert.equal(fps.length, 2);
    assert.notEqual(fps[0], fps[1]);
    const moved = await scan('import torch\n\n\nx = 1\na = torch.load(p)\n\nb = torch.load(p)\n');
    assert.deepEqual(byRule(moved)['unsafe-torch-load'], [...fps].sort());
  });

  it('a changed call is a different finding', async () => {
    const a = await scan('import torch\ntorch.load(p)\n');
    const b = await scan('import torch\ntorch.load(q)\n');
    assert.notDeepEqual(byRule(a)['unsafe-torch-load'], byRule(b)['unsafe-torch-load']);
  });

  it('parentheses in strings and comments do not shift which call a finding belongs to', async () => {
    const plain = await scan('import yaml\nx = yaml.load(f)\n');
    const noisy = await scan('import yaml\ns = ")))("; t = \'\'\'(\n(\'\'\'  # ((\nx = yaml.load(f)\n');
    assert.deepEqual(byRule(noisy)['unsafe-yaml-load'], byRule(plain)['unsafe-yaml-load']);
  });

  it('the same call in another file, or another rule, is another finding', async () => {
    const a = await scan(BASE, 'a.py');
    const b = await scan(BASE, 'b.py');
    assert.ok(!a.fps.some((x) => b.fps.includes(x)));
    assert.equal(new Set(a.fps).size, a.fps.length);
  });

  it('notebook findings keep their fingerprint when a cell is inserted before them', async () => {
    const run = async (cells: string[]) => {
      const res = await analyzeNotebookCells(cells.map((source) => ({ source, kind: 'code' as const })));
      const findings = res.findings.map((f) => toJsonFinding(f, 'nb.ipynb', new LineIndex(cells[f.cell ?? 0]!), (u) => u));
      return { findings, fps: fingerprintFindings(findings, (_f, cell) => cells[cell ?? 0]) };
    };
    const before = await run(['import torch', 'm = torch.load("a.pt")']);
    const after = await run(['import torch', '# setup\nprint(1)', 'x = 0\nm = torch.load("a.pt")']);
    assert.equal(before.fps.length, 1);
    assert.deepEqual(after.fps, before.fps);
  });

  it('dependency findings: by package, version, advisories and the name they are on, not the line', () => {
    const f = (line: number, over: Partial<JsonFinding> = {}): JsonFinding => ({
      rule: 'vulnerable-dependency', severity: 'error', file: 'requirements.txt', range: { start: { line, character: 0 }, end: { line, character: 5 } },
      message: 'm', package: { ecosystem: 'PyPI', name: 'torch', version: '2.0.0' }, advisories: ['GHSA-b', 'GHSA-a'], ...over,
    });
    const t1 = 'torch==2.0.0\n';
    const t2 = '# pins\n\nnumpy==1.0\ntorch==2.0.0\n';
    const [a] = fingerprintFindings([f(0)], () => t1);
    const [b] = fingerprintFindings([f(3)], () => t2);
    assert.equal(a, b);
    assert.equal(fingerprintFindings([f(0, { advisories: ['GHSA-a', 'GHSA-b'] })], () => t1)[0], a, 'advisory order does not matter');
    assert.notEqual(fingerprintFindings([f(0, { advisories: ['GHSA-a', 'GHSA-b', 'GHSA-c'] })], () => t1)[0], a, 'a new advisory is news');
    assert.notEqual(fingerprintFindings([f(0, { package: { ecosystem: 'PyPI', name: 'torch', version: '2.0.1' } })], () => t1)[0], a);
  });

  it('a finding with neither code nor package (a model file) is identified by rule, file and message', () => {
    const f = (message: string, line = 0): JsonFinding => ({ rule: 'unsafe-model-file', severity: 'error', file: 'm.pkl', range: { start: { line, character: 0 }, end: { line, character: 0 } }, message });
    const [a, b] = fingerprintFindings([f('imports posix.system'), f('imports builtins.eval')], () => undefined);
    assert.notEqual(a, b);
    assert.equal(fingerprintFindings([f('imports posix.system', 5)], () => undefined)[0], a);
  });

  it('property: inserting unrelated lines anywhere between statements keeps every fingerprint', async function () {
    this.timeout(60_000);
    const stmts = ['import torch, yaml, pickle, numpy as np', 'a = torch.load(p)', 'b = yaml.load(s)', 'c = pickle.loads(d)', 'e = np.load(f, allow_pickle=True)', 'g = torch.load(p)'];
    const base = byRule(await scan(stmts.join('\n') + '\n'));
    const filler = fc.constantFrom('', '# note (', 'x = "(("', 'def f():\n    return 1', 'print( 1 )', '"""doc)"""');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: stmts.length }), filler), { maxLength: 6 }), async (inserts) => {
        const lines = stmts.map((s) => [s]);
        for (const [at, text] of inserts) lines[at - 1]!.push(text);
        assert.deepEqual(byRule(await scan(lines.flat().join('\n') + '\n')), base);
      }),
      { numRuns: 40 },
    );
  });

  it('is linear on hostile files: deep nesting, long strings, many findings', function () {
    this.timeout(30_000);
    const n = 400_000;
    const nested = '('.repeat(n) + 'x' + ')'.repeat(n);
    const open = '('.repeat(n);
    const text = `${nested}\n${open}\n"${'s'.repeat(n)}\n${'#'.repeat(n)}\n`;
    const lines = new LineIndex(text);
    const findings: JsonFinding[] = [];
    for (let i = 0; i < 5_000; i++) {
      const at = lines.positionAt((i * 997) % text.length);
      findings.push({ rule: 'pickle-deserialization', severity: 'warning', file: 'h.py', range: { start: at, end: at }, message: 'm' });
    }
    const fps = fingerprintFindings(findings, () => text);
    assert.equal(fps.length, findings.length);
  });
});
