// `aidr inventory`'s models: every model the scanned tree uses — Hub repositories named by loading
// calls (with the revision asked for and whether it is a commit sha), local model files and
// folders named by literal paths, and model files present in the tree (found by name and by
// content) — each with where it is used, its format, and what its static scan found.
import path from 'node:path';
import type { ModelFileScan, OffsetRange } from '../domain';
import { analyzeCode } from '../engine/code';
import type { EngineDocument } from '../engine/documents';
import { LineIndex } from '../engine/lineIndex';
import type { ModelFiles } from '../engine/modelFiles';
import { resolveModelPaths } from '../engine/modelJoin';
import { parseNotebook } from '../python/notebook';
import { modelFileFindings } from '../rules/model/unsafeModelFile';

type JsonRange = { start: { line: number; character: number }; end: { line: number; character: number } };

export interface ModelUse {
  file: string;
  cell?: number;
  range: JsonRange;
  /** The loader's canonical name. */
  call: string;
}

export interface InventoryModel {
  kind: 'hub' | 'file' | 'local';
  /** Hub repository id (kind `hub`). */
  id?: string;
  /** Path relative to the scanned root (kinds `file` and `local`; `local` = named but not found). */
  path?: string;
  revision?: string;
  /** The revision is a full commit sha (reproducible). */
  pinned?: boolean;
  format?: ModelFileScan['format'];
  size?: number;
  /** Denied and unknown imports a pickle would perform. */
  imports?: { module: string; name: string; verdict: 'denied' | 'unknown' }[];
  findings?: { rule: 'unsafe-model-file'; severity: string; message: string }[];
  complete?: boolean;
  environment?: string;
  usedIn: ModelUse[];
}

export interface InventoryModelInput {
  docs: readonly EngineDocument[];
  /** Candidate model files from the walk. */
  candidates: readonly string[];
  files: ModelFiles;
  root: string;
  rel: (abs: string) => string;
  environmentOf: (doc: EngineDocument) => string | undefined;
  projectRootOf: (doc: EngineDocument) => string | undefined;
}

export async function inventoryModels(input: InventoryModelInput): Promise<InventoryModel[]> {
  const byKey = new Map<string, InventoryModel>();
  const fileEntry = (abs: string, scan: ModelFileScan | undefined): InventoryModel => {
    const key = `file\0${abs}`;
    let m = byKey.get(key);
    if (!m) {
      m = { kind: scan ? 'file' : 'local', path: input.rel(abs), usedIn: [] };
      if (scan) describe(m, scan, input.rel(abs));
      byKey.set(key, m);
    }
    return m;
  };
  for (const doc of input.docs) {
    if (!doc.path || (doc.kind !== 'python' && doc.kind !== 'notebook')) continue;
    const cells = doc.kind === 'notebook' ? parseNotebook(doc.text).cells.map((c) => ({ text: c.source, kind: c.kind })) : undefined;
    const { modelRefs } = await analyzeCode(doc, cells, new Map());
    const file = input.rel(doc.path);
    const lines = new Map<number, LineIndex>();
    const rangeOf = (r: OffsetRange, cell?: number): JsonRange => {
      const k = cell ?? -1;
      let idx = lines.get(k);
      if (!idx) lines.set(k, (idx = new LineIndex(cell !== undefined ? cells?.[cell]?.text ?? '' : doc.text)));
      return idx.range(r);
    };
    const environment = input.environmentOf(doc);
    for (const r of modelRefs) {
      const use: ModelUse = { file, ...(r.cell !== undefined ? { cell: r.cell } : {}), range: rangeOf(r.range, r.cell), call: r.call };
      if (r.kind === 'hub') {
        const key = `hub\0${r.id}\0${r.revision ?? ''}`;
        let m = byKey.get(key);
        if (!m) byKey.set(key, (m = { kind: 'hub', id: r.id, ...(r.revision ? { revision: r.revision } : {}), pinned: r.isCommitSha, usedIn: [] }));
        if (environment !== undefined && m.environment === undefined) m.environment = environment;
        m.usedIn.push(use);
        continue;
      }
      const found = await resolveModelPaths(r, { file: doc.path, projectRoot: input.projectRootOf(doc), roots: [input.root] });
      if (found.length === 0) {
        // Named but not in the tree (downloaded at run time, or a typo): listed as written.
        const key = `local\0${r.base}\0${r.path}`;
        let m = byKey.get(key);
        if (!m) byKey.set(key, (m = { kind: 'local', path: r.base === 'file' ? input.rel(path.resolve(path.dirname(doc.path), r.path)) : r.path, usedIn: [] }));
        m.usedIn.push(use);
        continue;
      }
      for (const abs of found) {
        const m = fileEntry(abs, await input.files.scan(abs));
        if (environment !== undefined && m.environment === undefined) m.environment = environment;
        m.usedIn.push(use);
      }
    }
  }
  for (const abs of input.candidates) {
    const scan = await input.files.scan(abs);
    if (scan) fileEntry(abs, scan);
  }
  return [...byKey.values()].sort((a, b) => (a.kind === b.kind ? (a.id ?? a.path ?? '').localeCompare(b.id ?? b.path ?? '') : a.kind.localeCompare(b.kind)));
}

function describe(m: InventoryModel, scan: ModelFileScan, name: string): void {
  m.format = scan.format;
  m.size = scan.size;
  m.complete = scan.complete;
  const risky = scan.imports.filter((i) => i.verdict !== 'allowed');
  const seen = new Set<string>();
  m.imports = [];
  for (const i of risky) {
    const k = `${i.module}.${i.name}`;
    if (seen.has(k) || m.imports.length >= 50) continue;
    seen.add(k);
    m.imports.push({ module: i.module, name: i.name, verdict: i.verdict as 'denied' | 'unknown' });
  }
  m.findings = modelFileFindings(scan, { range: { start: 0, end: 0 }, name }).map((f) => ({ rule: 'unsafe-model-file' as const, severity: f.severity, message: f.message }));
}
