// Adapter between the engine and the Python analysis: runs the code rules on a .py file or on a
// notebook's cells (one namespace), joined with the versions the workspace installs; online, asks
// the Hub about the repositories it loads (its scan verdicts become findings on the call, and the
// current commit makes the revision-pin fix possible).
import { analyzeNotebookCells, analyzePython, type CodeParseProblem, type ModelRef, type PythonContext } from './pythonAnalysis';
import { PythonParseCache } from '../python/parser';
import type { InstalledPackage } from '../rules/code/types';
import { mayHaveCodeFindings } from './codePrefilter';
import type { ModelInfo, ModelProvider } from '../domain';
import { hubModelFindings } from '../rules/model/hubModel';
import { modelKey } from '../sources/huggingface';
import { applySuppressions } from './suppression';
import type { EngineDocument } from './documents';
import type { Finding } from '../domain';

export type InstalledVersion = InstalledPackage;

export type CodeModelRef = ModelRef;

export interface CodeAnalysis {
  findings: Finding[];
  modelRefs: CodeModelRef[];
  /** Why the file (or a cell) was not analysed: the parser refused or failed on it. */
  parseProblems: CodeParseProblem[];
}

export interface CodeOptions {
  /** Parse cache for editor documents (incremental re-parse); the CLI passes none. */
  cache?: PythonParseCache;
  models?: ModelProvider;
  /** Ask the Hub about the models the code loads (online): security scan, weight formats, and the
   * current commit for the revision-pin fix. */
  fetchModelShas?: boolean;
  /** Give up on the Hub after this long; diagnostics must not wait on it (cached for next time). */
  modelShaTimeoutMs?: number;
  signal?: AbortSignal;
}

const SHA = /^[0-9a-f]{40}$/i;

type HubRef = Extract<ModelRef, { kind: 'hub' }>;

/** Hub facts for every repository the code loads, within the time budget; undefined offline. */
async function lookupHub(refs: HubRef[], opts: CodeOptions): Promise<Map<string, ModelInfo> | undefined> {
  if (!refs.length || !opts.models || !opts.fetchModelShas) return undefined;
  const asks = new Map<string, { id: string; revision?: string }>();
  for (const r of refs) asks.set(modelKey(r.id, r.revision), { id: r.id, ...(r.revision ? { revision: r.revision } : {}) });
  const lookup = opts.models.models([...asks.values()], opts.signal).catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), opts.modelShaTimeoutMs ?? 3000)));
  const ans = await Promise.race([lookup, late]).finally(() => clearTimeout(timer));
  return ans?.models;
}

export async function analyzeCode(
  doc: EngineDocument,
  cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[] | undefined,
  installed: Map<string, InstalledVersion>,
  opts: CodeOptions = {},
): Promise<CodeAnalysis> {
  // Files that name no module, method or keyword the rules look for are not parsed at all.
  const source = doc.kind === 'notebook' ? (cells ?? []).map((c) => c.text).join('\n') : doc.text;
  if (!doc.prefiltered && !mayHaveCodeFindings(source)) return { findings: [], modelRefs: [], parseProblems: [] };
  const base: PythonContext = { installed, ...(opts.cache ? { cache: opts.cache, cacheKey: doc.uri } : {}) };
  const run = async (ctx: PythonContext): Promise<{ findings: Finding[]; modelRefs: ModelRef[]; parseProblems: CodeParseProblem[] }> => {
    if (doc.kind === 'notebook') {
      const inputs = (cells ?? []).map((c, i) => ({ source: c.text, kind: c.kind, ...(opts.cache ? { key: `${doc.uri}#cell${i}` } : {}) }));
      return analyzeNotebookCells(inputs, ctx);
    }
    return analyzePython(doc.text, ctx);
  };
  let res = await run(base);
  const hubRefs = res.modelRefs.filter((r): r is HubRef => r.kind === 'hub');
  const hub = await lookupHub(hubRefs, opts);
  if (!hub) return { findings: res.findings, modelRefs: res.modelRefs, parseProblems: res.parseProblems };
  // The revision-pin fix needs the current commit of every unpinned repository.
  const shas = new Map<string, string>();
  for (const r of hubRefs) {
    const sha = hub.get(modelKey(r.id, r.revision))?.sha;
    if (sha && (!r.revision || !SHA.test(r.revision))) shas.set(r.id, sha);
  }
  if (shas.size) res = await run({ ...base, modelShas: shas });
  const hubFindings = hubRefs.flatMap((r) => hubModelFindings(r, hub.get(modelKey(r.id, r.revision))));
  const kept = hubFindings.filter((f) => applySuppressions(f.cell !== undefined ? cells?.[f.cell]?.text ?? '' : doc.text, [f]).length > 0);
  return { findings: [...res.findings, ...kept], modelRefs: res.modelRefs, parseProblems: res.parseProblems };
}
