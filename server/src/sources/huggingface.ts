// Hugging Face Hub model client: `/api/models/<id>[/revision/<rev>]?securityStatus=true` gives the
// commit sha, files, gating, license, base models, custom-code hints and the Hub's security scan.
// A scan that is not done means "unknown", never "safe".
import type { ModelAnswer, ModelInfo, ModelProvider } from '../domain';
import { cachedLookup, type LookupDeps, type Parsed } from './cachedLookup';
import type { HttpResponse } from './http';

export interface HuggingFaceClientOptions extends LookupDeps {
  hfUrl: string;
}

type Stored = Omit<ModelInfo, 'freshness'>;

/** Key of a model in ModelAnswer.models: the id, plus `@revision` when one was asked. */
export function modelKey(id: string, revision?: string): string {
  return revision ? `${id}@${revision}` : id;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function strings(v: unknown): string[] {
  if (typeof v === 'string') return v ? [v] : [];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const LEVELS = ['unsafe', 'suspicious', 'caution'];

function securityOf(v: unknown): ModelInfo['security'] {
  const s = obj(v);
  if (!s) return undefined;
  const scansDone = s.scansDone === true;
  const issues = Array.isArray(s.filesWithIssues) ? s.filesWithIssues : [];
  const files: string[] = [];
  let worst: string | undefined;
  for (const i of issues) {
    if (typeof i === 'string') files.push(i);
    const o = obj(i);
    if (!o) continue;
    const p = str(o.path);
    if (p) files.push(p);
    const level = str(o.level)?.toLowerCase();
    if (level && (worst === undefined || (LEVELS.includes(level) && LEVELS.indexOf(level) < LEVELS.indexOf(worst)))) worst = level;
  }
  const status = !scansDone ? 'unknown' : files.length ? (worst ?? 'issues') : 'safe';
  return { scansDone, status, filesWithIssues: files };
}

export function parseModel(id: string, doc: unknown): Parsed<Stored> {
  const root = obj(doc);
  if (!root) return { kind: 'error', message: `Hugging Face: unexpected answer for model "${id}"` };
  const card = obj(root.cardData) ?? {};
  const tags = strings(root.tags);
  const files = (Array.isArray(root.siblings) ? root.siblings : [])
    .map((x) => str(obj(x)?.rfilename))
    .filter((x): x is string => !!x);
  const cardLicense = strings(card.license);
  const tagLicense = tags.filter((t) => t.startsWith('license:')).map((t) => t.slice('license:'.length));
  const license = cardLicense.length ? cardLicense.join(', ') : tagLicense.length ? tagLicense.join(', ') : undefined;
  const autoMap = obj(obj(root.config)?.auto_map);
  const gated = root.gated === true || typeof root.gated === 'string' ? (root.gated as boolean | string) : root.gated === false ? false : undefined;
  const baseModels = strings(card.base_model);
  const value: Stored = {
    id: str(root.id) ?? str(root.modelId) ?? id,
    author: str(root.author),
    sha: str(root.sha),
    lastModified: str(root.lastModified),
    downloads: num(root.downloads),
    likes: num(root.likes),
    license,
    gated,
    private: typeof root.private === 'boolean' ? root.private : undefined,
    files,
    customCode: !!autoMap || files.some((f) => f.endsWith('.py')),
    baseModels: baseModels.length ? baseModels : undefined,
    security: securityOf(root.securityRepoStatus),
  };
  return { kind: 'ok', value };
}

export class HuggingFaceClient implements ModelProvider {
  constructor(private readonly opts: HuggingFaceClientOptions) {}

  async models(ids: { id: string; revision?: string }[], signal?: AbortSignal): Promise<ModelAnswer> {
    const answer: ModelAnswer = { models: new Map(), notFound: new Set(), errors: [] };
    const base = this.opts.hfUrl.replace(/\/+$/, '');
    const seen = new Set<string>();
    const items = [];
    for (const { id, revision } of ids) {
      const key = modelKey(id, revision);
      if (seen.has(key)) continue;
      seen.add(key);
      const idPath = id.split('/').map(encodeURIComponent).join('/');
      const rev = revision ? `/revision/${encodeURIComponent(revision)}` : '';
      items.push({
        key,
        cacheKey: `hf:model:${key}`,
        url: `${base}/api/models/${idPath}${rev}?securityStatus=true`,
        parse: (res: HttpResponse): Parsed<Stored> => {
          if (res.status === 200) return parseModel(id, res.body);
          if (res.status === 401 || res.status === 403) {
            // Without a token the Hub answers 401 for private, gated-without-access and missing repos alike.
            return { kind: 'error', message: `Hugging Face: model "${id}" is private, gated or does not exist (HTTP ${res.status})` };
          }
          return { kind: 'error', message: `Hugging Face answered HTTP ${res.status} for model "${id}"` };
        },
      });
    }
    const { results, errors } = await cachedLookup<Stored>('Hugging Face', items, this.opts, signal, 'model');
    for (const [key, r] of results) {
      if (r.kind === 'ok') answer.models.set(key, { ...r.value, freshness: r.freshness });
      else if (r.kind === 'notFound') answer.notFound.add(key);
    }
    answer.errors.push(...errors);
    return answer;
  }
}
