// Hugging Face Hub client. Per model: the model info (`/api/models/{id}[/revision/{rev}]` with
// `securityStatus=true`), the Hub's per-file scan of its pickle-based files (paths-info with
// `expand`, at the resolved commit), and its base-model lineage followed a few levels up (each base
// is one more model-info lookup, shared with the cache). Every answer is size-capped, validated and
// cached like any other; a scan that is not done means "unknown", never "safe".
import type { HubFileScan, HubLineageEntry, ModelAnswer, ModelInfo, ModelLookupOptions, ModelProvider } from '../domain';
import { cachedLookup, type LookupDeps, type LookupItem, type LookupResult, type Parsed } from './cachedLookup';
import type { HttpResponse } from './http';
import { isStoredModel, isStoredScan } from './hubShapes';
import { parseModel, pickleFiles, type StoredModel } from './hubModel';
import { parsePathsInfo } from './hubScan';
import { MAX_BYTES, MAX_LINEAGE_DEPTH, MAX_LINEAGE_LOOKUPS, MAX_SCAN_PATHS } from './limits';

export { parseModel } from './hubModel';

export interface HuggingFaceClientOptions extends LookupDeps {
  hfUrl: string;
}

/** Key of a model in ModelAnswer.models: the id, plus `@revision` when one was asked. */
export function modelKey(id: string, revision?: string): string {
  return revision ? `${id}@${revision}` : id;
}

const SOURCE = 'Hugging Face';

function idPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

export class HuggingFaceClient implements ModelProvider {
  private readonly base: string;

  constructor(private readonly opts: HuggingFaceClientOptions) {
    this.base = opts.hfUrl.replace(/\/+$/, '');
  }

  async models(ids: { id: string; revision?: string }[], signal?: AbortSignal, opts: ModelLookupOptions = {}): Promise<ModelAnswer> {
    const answer: ModelAnswer = { models: new Map(), notFound: new Set(), errors: [] };
    const asked = new Map<string, { id: string; revision?: string }>();
    for (const x of ids) asked.set(modelKey(x.id, x.revision), x);

    const docs = await cachedLookup<StoredModel>(SOURCE, [...asked].map(([key, x]) => this.modelItem(key, x.id, x.revision)), this.opts, signal, 'model');
    answer.errors.push(...docs.errors);

    const found = new Map<string, { id: string; revision?: string; doc: Extract<LookupResult<StoredModel>, { kind: 'ok' }> }>();
    for (const [key, r] of docs.results) {
      if (r.kind === 'ok') found.set(key, { ...asked.get(key)!, doc: r });
      else if (r.kind === 'notFound') answer.notFound.add(key);
    }

    const full = opts.detail !== 'basic';
    const [scans, lineage] = full
      ? await Promise.all([this.fileScans(found, signal), this.lineage([...found.values()].map((f) => f.doc.value), signal)])
      : [undefined, undefined];
    answer.errors.push(...(scans?.errors ?? []), ...(lineage?.errors ?? []));

    for (const [key, f] of found) {
      const scan = scans?.results.get(key);
      const pickled = pickleFiles(f.doc.value.files);
      const info: ModelInfo = { ...f.doc.value, freshness: f.doc.freshness };
      const chain = lineage?.chain(f.doc.value);
      if (chain?.length) info.lineage = chain;
      if (scan) {
        info.fileScans = scan;
        if (pickled.length > MAX_SCAN_PATHS) info.fileScansTruncated = true;
      }
      answer.models.set(key, info);
    }
    return answer;
  }

  private modelItem(key: string, id: string, revision?: string): LookupItem<StoredModel> {
    const rev = revision ? `/revision/${encodeURIComponent(revision)}` : '';
    return {
      key,
      cacheKey: `hf:model:${key}`,
      url: `${this.base}/api/models/${idPath(id)}${rev}?securityStatus=true`,
      maxBytes: MAX_BYTES.hfModel,
      accept: (v: unknown): v is StoredModel => isStoredModel(v),
      parse: (res: HttpResponse): Parsed<StoredModel> => {
        if (res.status === 200) return parseModel(id, res.body);
        if (res.status === 401 || res.status === 403) {
          // Without a token the Hub answers 401 for private, gated-without-access and missing repos alike.
          return { kind: 'error', message: `Hugging Face: model "${id}" is private, gated or does not exist (HTTP ${res.status})` };
        }
        return { kind: 'error', message: `Hugging Face answered HTTP ${res.status} for model "${id}"` };
      },
    };
  }

  /** The Hub's scan of each found model's pickle-based files, at the commit its facts describe. */
  private async fileScans(found: Map<string, { id: string; revision?: string; doc: { value: StoredModel } }>, signal?: AbortSignal): Promise<{ results: Map<string, HubFileScan[]>; errors: string[] }> {
    const items: LookupItem<HubFileScan[]>[] = [];
    for (const [key, f] of found) {
      const paths = pickleFiles(f.doc.value.files).slice(0, MAX_SCAN_PATHS);
      if (!paths.length) continue;
      const rev = f.doc.value.sha ?? f.revision ?? 'main';
      items.push({
        key,
        cacheKey: `hf:scan:${f.id}@${rev}`,
        url: `${this.base}/api/models/${idPath(f.id)}/paths-info/${encodeURIComponent(rev)}`,
        post: { paths, expand: true },
        maxBytes: MAX_BYTES.hfPaths,
        accept: (v: unknown): v is HubFileScan[] => isStoredScan(v),
        parse: (res: HttpResponse): Parsed<HubFileScan[]> =>
          res.status === 200 ? parsePathsInfo(f.id, paths, res.body) : { kind: 'error', code: `HTTP ${res.status}`, message: `Hugging Face: no file scan for model "${f.id}" (HTTP ${res.status})` },
      });
    }
    const out = new Map<string, HubFileScan[]>();
    if (!items.length) return { results: out, errors: [] };
    const { results, errors } = await cachedLookup<HubFileScan[]>(SOURCE, items, this.opts, signal, 'model');
    for (const [key, r] of results) if (r.kind === 'ok') out.set(key, r.value);
    return { results: out, errors };
  }

  /**
   * Looks up base models level by level (at most MAX_LINEAGE_DEPTH levels, MAX_LINEAGE_LOOKUPS
   * models per call) and returns a function that builds one model's chain from what was found.
   */
  private async lineage(roots: StoredModel[], signal?: AbortSignal): Promise<{ chain: (m: StoredModel) => HubLineageEntry[]; errors: string[] }> {
    const known = new Map<string, LookupResult<StoredModel>>();
    const errors: string[] = [];
    let frontier = [...new Set(roots.flatMap((r) => (r.lineage ?? []).map((e) => e.id)))];
    let lookups = 0;
    for (let depth = 1; depth <= MAX_LINEAGE_DEPTH && frontier.length && lookups < MAX_LINEAGE_LOOKUPS; depth++) {
      const take = frontier.filter((id) => !known.has(id)).slice(0, MAX_LINEAGE_LOOKUPS - lookups);
      lookups += take.length;
      if (!take.length) break;
      const r = await cachedLookup<StoredModel>(SOURCE, take.map((id) => this.modelItem(id, id)), this.opts, signal, 'model');
      // A base that is private or gone is a fact of the chain, not a problem to report on its own.
      errors.push(...r.failures);
      for (const [id, res] of r.results) known.set(id, res);
      frontier = [...new Set(take.flatMap((id) => {
        const res = known.get(id);
        return res?.kind === 'ok' ? (res.value.lineage ?? []).map((e) => e.id) : [];
      }))];
    }
    const chain = (m: StoredModel): HubLineageEntry[] => {
      const out: HubLineageEntry[] = [];
      const seen = new Set([m.id]);
      let level = (m.lineage ?? []).filter((e) => !seen.has(e.id));
      for (let depth = 1; depth <= MAX_LINEAGE_DEPTH && level.length; depth++) {
        const next: HubLineageEntry[] = [];
        for (const e of level) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          const res = known.get(e.id);
          const entry: HubLineageEntry = { id: e.id, child: e.child, depth, ...(e.relation ? { relation: e.relation } : {}) };
          if (res?.kind === 'ok') {
            if (res.value.license) entry.license = res.value.license;
            if (res.value.gated !== undefined) entry.gated = res.value.gated;
            for (const p of res.value.lineage ?? []) next.push({ ...p, child: e.id });
          } else entry.missing = res?.kind === 'notFound' ? 'not-found' : 'unknown';
          out.push(entry);
        }
        level = next;
      }
      return out;
    };
    return { chain, errors };
  }
}
