// Adapter between the engine and the Python analysis: runs the code rules on a .py file or on a
// notebook's cells (one namespace), joined with the versions the workspace installs, and looks up
// Hub commit shas so the revision-pin fix can be offered.
import { analyzeNotebookCells, analyzePython, type ModelRef, type PythonContext } from './pythonAnalysis';
import { PythonParseCache } from '../python/parser';
import { CODE_RULES } from '../rules/code/index';
import type { InstalledPackage } from '../rules/code/types';
import { codePrefilter } from './codePrefilter';
import type { ModelProvider } from '../domain';
import type { EngineDocument } from './documents';
import type { Finding } from '../domain';

export type InstalledVersion = InstalledPackage;

export type CodeModelRef = ModelRef;

export interface CodeAnalysis {
  findings: Finding[];
  modelRefs: CodeModelRef[];
}

export interface CodeOptions {
  /** Parse cache for editor documents (incremental re-parse); the CLI passes none. */
  cache?: PythonParseCache;
  models?: ModelProvider;
  /** Look up Hub shas for unpinned model ids (revision fix). */
  fetchModelShas?: boolean;
  /** Give up on the Hub after this long; diagnostics must not wait on it. */
  modelShaTimeoutMs?: number;
  signal?: AbortSignal;
}

const SHA = /^[0-9a-f]{40}$/i;

async function lookupShas(refs: ModelRef[], opts: CodeOptions): Promise<Map<string, string> | undefined> {
  const ids = [...new Set(refs.flatMap((r) => (r.kind === 'hub' && (!r.revision || !SHA.test(r.revision)) ? [r.id] : [])))];
  if (!ids.length || !opts.models || !opts.fetchModelShas) return undefined;
  const lookup = opts.models.models(ids.map((id) => ({ id })), opts.signal, { detail: 'basic' }).catch(() => undefined);
  const ans = await Promise.race([lookup, new Promise<undefined>((r) => setTimeout(() => r(undefined), opts.modelShaTimeoutMs ?? 3000).unref())]);
  if (!ans) return undefined;
  const shas = new Map<string, string>();
  for (const [id, m] of ans.models) if (m.sha) shas.set(id, m.sha);
  return shas.size ? shas : undefined;
}

const mayFire = codePrefilter(CODE_RULES);

export async function analyzeCode(
  doc: EngineDocument,
  cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[] | undefined,
  installed: Map<string, InstalledVersion>,
  opts: CodeOptions = {},
): Promise<CodeAnalysis> {
  // Files that name no module, method or keyword the rules look for are not parsed at all.
  const source = doc.kind === 'notebook' ? (cells ?? []).map((c) => c.text).join('\n') : doc.text;
  if (!mayFire(source)) return { findings: [], modelRefs: [] };
  const base: PythonContext = { installed, ...(opts.cache ? { cache: opts.cache, cacheKey: doc.uri } : {}) };
  const run = async (ctx: PythonContext): Promise<{ findings: Finding[]; modelRefs: ModelRef[] }> => {
    if (doc.kind === 'notebook') {
      const inputs = (cells ?? []).map((c, i) => ({ source: c.text, kind: c.kind, ...(opts.cache ? { key: `${doc.uri}#cell${i}` } : {}) }));
      return analyzeNotebookCells(inputs, ctx);
    }
    return analyzePython(doc.text, ctx);
  };
  let res = await run(base);
  const shas = await lookupShas(res.modelRefs, opts);
  if (shas) res = await run({ ...base, modelShas: shas });
  return { findings: res.findings, modelRefs: res.modelRefs };
}
