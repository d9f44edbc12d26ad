// Measures Python analysis on a generated 5,000-line file: full parse+analyse, and a keystroke
// (one-character edit) followed by incremental re-parse + analyse, against a bare tree-sitter
// parse of the same text in the same process. Wall time and this process's CPU time are both
// reported: on a shared machine the CPU time is the steadier figure. Also a 5,000-line file dense
// with loader calls (every line a finding). Run: npx tsx bench/python.bench.ts
import { performance } from 'node:perf_hooks';
import { analyzePython } from '../server/src/engine/pythonAnalysis';
import { analyzeNotebookCells, type CellInput } from '../server/src/engine/pythonAnalysis';
import { initPython, parsePython, PythonParseCache } from '../server/src/python/parser';

function generate(lines: number): string {
  const out = ['import os', 'import json', 'import torch', 'import numpy as np', 'import yaml', 'from transformers import AutoModel, AutoTokenizer', ''];
  let i = 0;
  while (out.length < lines) {
    i++;
    out.push(
      `class Block${i}(torch.nn.Module):`,
      `    """Block ${i}: torch.load(x) in a docstring is not a call."""`,
      `    def __init__(self, dim=${i}):`,
      `        super().__init__()`,
      `        self.proj = torch.nn.Linear(dim, dim * 2)`,
      `        self.cfg = json.load(open(os.path.join("cfg", "b${i}.json")))  # json is fine`,
      ``,
      `    def forward(self, x):`,
      `        y = self.proj(x).relu()`,
      `        return [v * 2 for v in y if v is not None]`,
      ``,
      `def load_${i}(path):`,
      i % 10 === 0 ? `    state = torch.load(path, map_location="cpu")` : `    state = torch.load(path, weights_only=True)`,
      i % 25 === 0 ? `    m = AutoModel.from_pretrained("org/model-${i}", trust_remote_code=True)` : `    m = np.load(path, allow_pickle=False)`,
      i % 40 === 0 ? `    cfg = yaml.load(open(path))` : `    cfg = yaml.safe_load(open(path))`,
      `    return state, m, cfg`,
      ``,
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}

const fmt = (n: number) => n.toFixed(2).padStart(7) + ' ms';

async function main(): Promise<void> {
  await initPython();
  const text = generate(5000);
  const runs = 40;

  const bare: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const p = await parsePython(text);
    bare.push(performance.now() - t0);
    p.tree.delete();
  }

  const full: number[] = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = await analyzePython(text, {});
    full.push(performance.now() - t0);
    findings = res.findings.length;
  }

  // Keystrokes: type characters into a comment near the middle, re-analysing after each.
  const cache = new PythonParseCache();
  await analyzePython(text, { cache, cacheKey: 'bench' });
  const at = text.indexOf('# json is fine', Math.floor(text.length / 2)) + 1;
  const incr: number[] = [];
  const incrCpu: number[] = [];
  let current = text;
  for (let r = 0; r < runs * 2; r++) {
    current = current.slice(0, at) + String.fromCharCode(97 + (r % 26)) + current.slice(at);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await analyzePython(current, { cache, cacheKey: 'bench' });
    incr.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    incrCpu.push((c.user + c.system) / 1000);
  }
  cache.clear();

  const b = stats(bare);
  const f = stats(full);
  const k = stats(incr);
  const kc = stats(incrCpu);
  console.log(`5,000-line Python file (${text.length} chars, ${findings} findings), ${runs} runs`);
  console.log(`  bare tree-sitter parse     median ${fmt(b.median)}  p95 ${fmt(b.p95)}`);
  console.log(`  full parse + analyse       median ${fmt(f.median)}  p95 ${fmt(f.p95)}  (${(f.median / b.median).toFixed(2)}x bare parse)`);
  console.log(`  keystroke: incremental     median ${fmt(k.median)}  p95 ${fmt(k.p95)}  (${(k.median / b.median).toFixed(2)}x bare parse; budget 20 ms)`);
  console.log(`  keystroke: CPU time        median ${fmt(kc.median)}  p95 ${fmt(kc.p95)}`);

  // Dense: every line a loader call at module level (5,000 findings), full analysis.
  const dense = ['import torch, pickle', ...Array.from({ length: 4999 }, (_, i) => (i % 2 ? `x${i} = torch.load(p${i})` : `y${i} = pickle.loads(b${i})`))].join('\n') + '\n';
  const denseRuns: number[] = [];
  let denseFindings = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    denseFindings = (await analyzePython(dense, {})).findings.length;
    denseRuns.push(performance.now() - t0);
  }
  console.log(`5,000-line file dense with loader calls (${denseFindings} findings): full parse + analyse median ${fmt(stats(denseRuns).median)}`);

  // A 200-cell notebook (25 lines a cell, magics included), one namespace across cells.
  const cellTexts = generate(200 * 25).split('\n');
  const cells: CellInput[] = [];
  for (let c = 0; c < 200; c++) {
    const body = cellTexts.slice(c * 25, c * 25 + 25).join('\n');
    cells.push({ source: (c % 7 === 0 ? '%pip install torch==2.6.0\n!nvidia-smi\n' : '') + body, key: `nb#${c}` });
  }
  const nbCache = new PythonParseCache();
  const nbFull: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await analyzeNotebookCells(cells, {});
    nbFull.push(performance.now() - t0);
  }
  await analyzeNotebookCells(cells, { cache: nbCache });
  const nbIncr: number[] = [];
  for (let r = 0; r < runs * 2; r++) {
    const cell = cells[100]!;
    cell.source = cell.source + String.fromCharCode(97 + (r % 26));
    const t0 = performance.now();
    await analyzeNotebookCells(cells, { cache: nbCache });
    nbIncr.push(performance.now() - t0);
  }
  nbCache.clear();
  const nf = stats(nbFull);
  const ni = stats(nbIncr);
  console.log(`200-cell notebook`);
  console.log(`  full parse + analyse       median ${fmt(nf.median)}  p95 ${fmt(nf.p95)}  (${(nf.median / b.median).toFixed(2)}x bare 5,000-line parse)`);
  console.log(`  keystroke in one cell      median ${fmt(ni.median)}  p95 ${fmt(ni.p95)}  (budget 20 ms)`);
}

void main();
