// Test harness for code rules: analyse a snippet, list findings compactly, apply fixes.
import assert from 'node:assert/strict';
import type { Finding, Fix } from '../../../../server/src/domain';
import { analyzePython, type PythonContext } from '../../../../server/src/engine/pythonAnalysis';

export async function findings(src: string, ctx: PythonContext = {}): Promise<Finding[]> {
  return (await analyzePython(src, ctx)).findings;
}

/** `rule severity "flagged text"` per finding, in order. */
export async function summary(src: string, ctx: PythonContext = {}, rule?: string): Promise<string[]> {
  const fs = await findings(src, ctx);
  return fs.filter((f) => !rule || f.rule === rule).map((f) => `${f.rule} ${f.severity} ${JSON.stringify(src.slice(f.range.start, f.range.end))}`);
}

export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

/** Apply the fix whose title matches on the only finding of `rule`. */
export async function fixed(src: string, rule: string, title: RegExp, ctx: PythonContext = {}): Promise<string> {
  const fs = (await findings(src, ctx)).filter((f) => f.rule === rule);
  assert.equal(fs.length, 1, `expected one ${rule} finding, got ${fs.length}`);
  const fix = fs[0]!.fixes?.find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title} among ${fs[0]!.fixes?.map((f) => f.title).join(', ')}`);
  return applyFix(src, fix);
}

export const installed = (entries: Record<string, string>) =>
  new Map(
    Object.entries(entries).map(([name, version]) => [
      name,
      {
        version,
        location: {
          uri: 'file:///ws/requirements.txt',
          range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } },
          message: '',
        },
      },
    ]),
  );
