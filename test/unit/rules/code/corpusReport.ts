// Prints the corpus scores (recall on `ruleid` cases, warning/error rate on `ok` cases) and every
// failing case: `npx tsx test/unit/rules/code/corpusReport.ts [--cli]`. With --cli the findings
// come from the built CLI (`node scripts/build.mjs` first), exactly as `aidr scan` reports them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CORPUS_DIR, cliFindings, describe, evaluateCorpus } from './corpusEval';

async function main(): Promise<void> {
  let source;
  if (process.argv.includes('--cli')) {
    const cli = path.resolve(__dirname, '../../../../server/out/cli.js');
    const json = execFileSync(process.execPath, [cli, 'scan', CORPUS_DIR, '--offline', '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    source = cliFindings(json);
  }
  const r = await evaluateCorpus(undefined, source);
  const byFile = new Map<string, { unsafe: number; caught: number; safe: number; fp: number }>();
  for (const o of r.outcomes) {
    const s = byFile.get(o.case.file) ?? { unsafe: 0, caught: 0, safe: 0, fp: 0 };
    s.unsafe += o.case.ruleid.length;
    s.caught += o.case.ruleid.length - o.missed.length;
    if (o.case.ok.length) {
      s.safe++;
      if (o.falsePositives.length) s.fp++;
    }
    byFile.set(o.case.file, s);
  }
  for (const [f, s] of byFile) console.log(`${f.padEnd(44)} unsafe ${s.caught}/${s.unsafe}  safe-flagged ${s.fp}/${s.safe}`);
  console.log(`\nrecall ${(r.recall * 100).toFixed(1)}% (${r.caught}/${r.unsafe})   false-positive rate ${(r.fpRate * 100).toFixed(1)}% (${r.flaggedSafe}/${r.safe})`);
  const failing = r.outcomes.filter((o) => o.missed.length || o.falsePositives.length);
  if (failing.length) console.log('\nfailing cases:\n' + failing.map(describe).join('\n'));
}

void main();
