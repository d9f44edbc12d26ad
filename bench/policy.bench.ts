// Measures what the project policy costs: parsing and validating a realistic aidr.toml and a
// generated large one, and the engine's per-analysis overhead of a policy (rules, levels, ignores)
// on a 300-line requirements file and on a dense Python file of model loads, with the same
// analysis without a policy as the baseline. Warm engine, in-memory sources.
// Run: npx tsx bench/policy.bench.ts
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Engine } from '../server/src/engine/engine';
import type { EngineDocument } from '../server/src/engine/documents';
import { parseTomlIndexed } from '../server/src/manifests/tomlIndex';
import { parsePolicy } from '../server/src/policy/parse';
import { resolveSettings } from '../server/src/settings';
import { MemoryAdvisories, MemoryRegistry } from '../test/unit/engine/helpers';

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}

async function time(runs: number, f: () => unknown): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 3; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return stats(out);
}

const fmt = (s: { median: number; p95: number }) => `median ${s.median.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`;

async function main(): Promise<void> {
  const sample = readFileSync(path.join(__dirname, '../test/fixtures/policy/aidr.toml'), 'utf8');
  const parse = (text: string) => parsePolicy(text, parseTomlIndexed(text), { uri: '/ws/aidr.toml', dir: '/ws', source: 'aidr.toml' });
  console.log(`parse+validate sample policy (${sample.length} chars): ${fmt(await time(200, () => parse(sample)))}`);
  const big = `[packages]\ndeny = [${Array.from({ length: 2000 }, (_, i) => `"pkg-${i}-*"`).join(', ')}]\n${Array.from({ length: 500 }, (_, i) => `[[ignore]]\nrule = "unknown-package"\npackage = "p${i}"\nreason = "r"\n`).join('')}`;
  console.log(`parse+validate 2,000 denies + 500 ignores (${big.length} chars): ${fmt(await time(20, () => parse(big)))}`);

  const names = Array.from({ length: 300 }, (_, i) => `package-${i}`);
  const req: EngineDocument = { uri: '/ws/requirements.txt', path: '/ws/requirements.txt', text: names.map((n, i) => `${n}==1.${i}`).join('\n') + '\n', kind: 'requirements', version: 1 };
  const policy: EngineDocument = {
    uri: '/ws/aidr.toml',
    path: '/ws/aidr.toml',
    kind: 'policy',
    text: `[packages]\ndeny = [${Array.from({ length: 100 }, (_, i) => `"evil-${i}-*"`).join(', ')}]\nallow = ["package-*"]\n[rules]\nunpinned-dependency = "off"\n${Array.from({ length: 50 }, (_, i) => `[[ignore]]\nrule = "unknown-package"\npackage = "package-${i}"\nreason = "internal"\n`).join('')}`,
  };
  const registry = new MemoryRegistry(Object.fromEntries(names.map((n, i) => [n, [`1.${i}`]])));
  const engine = new Engine({ advisories: new MemoryAdvisories([]), registries: { PyPI: registry } }, resolveSettings({}));
  const base = await time(100, () => engine.analyze([req], { roots: ['/ws'], metadataForAll: true }));
  const withPolicy = await time(100, () => engine.analyze([req], { roots: ['/ws'], metadataForAll: true, context: [policy] }));
  console.log(`300-line requirements.txt, no policy:   ${fmt(base)}`);
  console.log(`300-line requirements.txt, with policy: ${fmt(withPolicy)}`);

  const lines = ['from transformers import AutoModel'];
  for (let i = 0; i < 1000; i++) lines.push(`m${i} = AutoModel.from_pretrained(`, `    "acme/m${i}",`, `    trust_remote_code=True,`, `)`, '');
  const py: EngineDocument = { uri: '/ws/dense.py', path: '/ws/dense.py', text: lines.join('\n') + '\n', kind: 'python', version: 1 };
  const modelPolicy: EngineDocument = { uri: '/ws/aidr.toml', path: '/ws/aidr.toml', kind: 'policy', text: '[models]\nallow = ["acme/*"]\nrequire-revision = true\n[[ignore]]\nrule = "trust-remote-code"\nmodel = "acme/m1*"\nreason = "reviewed"\n' };
  const codeEngine = new Engine({ advisories: new MemoryAdvisories([]), registries: {} }, resolveSettings({}));
  const pyBase = await time(20, () => codeEngine.analyze([py], { roots: ['/ws'] }));
  const pyPolicy = await time(20, () => codeEngine.analyze([py], { roots: ['/ws'], context: [modelPolicy] }));
  console.log(`5,000-line Python, 1,000 model loads, no policy:   ${fmt(pyBase)}`);
  console.log(`5,000-line Python, 1,000 model loads, with policy: ${fmt(pyPolicy)}`);
}

void main();
