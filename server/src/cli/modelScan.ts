// `aidr scan`'s model files: every candidate the walk found is scanned statically (a few at a
// time, never executed, bounded per file); a file whose content is a model format and whose scan
// has something to say becomes `unsafe-model-file` findings on the file itself, with a zero range.
import type { ModelFileScan } from '../domain';
import type { ModelFiles } from '../engine/modelFiles';
import { modelFileFindings } from '../rules/model/unsafeModelFile';
import type { JsonFinding } from './report';

export interface ScannedModel {
  path: string;
  scan: ModelFileScan;
}

/** Scans every candidate; keeps those whose content is a model format. */
export async function scanModelCandidates(paths: readonly string[], files: ModelFiles): Promise<ScannedModel[]> {
  const out: (ScannedModel | undefined)[] = await Promise.all(
    paths.map(async (p) => {
      const scan = await files.scan(p);
      return scan ? { path: p, scan } : undefined;
    }),
  );
  return out.filter((x): x is ScannedModel => !!x);
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** JSON findings for the model files themselves (`file` is the model file, range zero). */
export function modelFileJsonFindings(models: readonly ScannedModel[], rel: (abs: string) => string): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const m of models) {
    const file = rel(m.path);
    for (const f of modelFileFindings(m.scan, { range: { start: 0, end: 0 }, name: file })) {
      out.push({ rule: f.rule, severity: f.severity, file, range: ZERO, message: f.message });
    }
  }
  return out;
}
