// The join of code and artifacts: a loading call whose literal path resolves to a model file in
// the workspace gets that file's scan as a finding on the call ("models/clf.pkl imports
// os.system"), with relatedInformation pointing at the file. A path naming a folder
// (`from_pretrained("./checkpoints/run1")`) joins with the model files directly inside it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, LocalModelReference, ModelFileScan, OffsetRange } from '../domain';
import { isModelFileName } from '../models';
import { modelFileFindings } from '../rules/model/unsafeModelFile';
import { candidatePaths, type ModelFiles } from './modelFiles';

/** A loading call's path resolved to a scanned model file (hovers read these). */
export interface ResolvedModelFile {
  range: OffsetRange;
  cell?: number;
  /** Absolute path of the model file. */
  path: string;
}

export interface JoinContext {
  /** The analysed file (absolute). */
  file: string;
  /** Its project root, when it has one. */
  projectRoot?: string;
  roots: readonly string[];
  files: ModelFiles;
  /** The analysed document's uri scheme decides how related locations are written. */
  uriStyle: 'file-uri' | 'path';
}

const MAX_FOLDER_FILES = 20;

async function folderModels(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && isModelFileName(e.name))
      .map((e) => path.join(dir, e.name))
      .sort()
      .slice(0, MAX_FOLDER_FILES);
  } catch {
    return [];
  }
}

/** The model files a reference names: the first candidate path that exists, or its folder's models. */
export async function resolveModelPaths(ref: LocalModelReference, ctx: Pick<JoinContext, 'file' | 'projectRoot' | 'roots'>): Promise<string[]> {
  for (const c of candidatePaths(ref.path, ref.base, path.dirname(ctx.file), ctx.projectRoot, ctx.roots)) {
    const st = await fs.stat(c).catch(() => undefined);
    if (!st) continue;
    if (st.isFile()) return [c];
    if (st.isDirectory()) return folderModels(c);
  }
  return [];
}

function display(abs: string, roots: readonly string[]): string {
  const root = roots.filter((r) => abs.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  return (root ? path.relative(root, abs) : path.basename(abs)).split(path.sep).join('/');
}

/**
 * Findings on loading calls for the model files they load (errors and warnings only: the call's
 * own rule already says that a pickle-based format can run code), and where each path resolved.
 */
export async function joinModelFiles(refs: readonly (LocalModelReference & { cell?: number })[], ctx: JoinContext): Promise<{ findings: Finding[]; resolved: ResolvedModelFile[] }> {
  const findings: Finding[] = [];
  const resolved: ResolvedModelFile[] = [];
  for (const ref of refs) {
    const files = await resolveModelPaths(ref, ctx);
    for (const abs of files) {
      let scan: ModelFileScan | undefined;
      try {
        scan = await ctx.files.scan(abs);
      } catch {
        scan = undefined;
      }
      if (!scan) continue;
      resolved.push({ range: ref.range, ...(ref.cell !== undefined ? { cell: ref.cell } : {}), path: abs });
      const name = display(abs, ctx.roots);
      const uri = ctx.uriStyle === 'file-uri' ? pathToFileURL(abs).toString() : abs;
      for (const f of modelFileFindings(scan, { range: ref.range, name })) {
        if (f.severity === 'info') continue;
        findings.push({
          ...f,
          ...(ref.cell !== undefined ? { cell: ref.cell } : {}),
          related: [{ uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${name} (${scan.format})` }],
        });
      }
    }
  }
  return { findings, resolved };
}
