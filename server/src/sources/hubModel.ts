// Turns one validated Hub model-info document into the facts we keep: commit, files, weight
// formats (from file names), licence, gating, custom code (`.py` files, `auto_map`), the Hub's
// repo-level security status, and the direct base models with their relation. A scan that is not
// done means "unknown", never "safe".
import type { HubBaseRelation, HubLineageEntry, HubWeightFormat, ModelInfo } from '../domain';
import { INVALID_ANSWER, type Parsed } from './cachedLookup';
import { modelInfoProblem, MODEL_ID } from './hubShapes';
import { MAX_TEXT } from './limits';
import { clip } from './shape';

export type StoredModel = Omit<ModelInfo, 'freshness' | 'fileScans' | 'fileScansTruncated'>;

const MAX_FILES = 5_000;
const MAX_CODE_FILES = 20;
const MAX_BASES = 10;

const FORMAT_BY_EXTENSION: Record<string, HubWeightFormat> = {
  safetensors: 'safetensors',
  bin: 'pickle',
  pt: 'pickle',
  pth: 'pickle',
  ckpt: 'pickle',
  pkl: 'pickle',
  pickle: 'pickle',
  joblib: 'pickle',
  dill: 'pickle',
  sav: 'pickle',
  gguf: 'gguf',
  onnx: 'onnx',
  keras: 'keras',
  h5: 'hdf5',
  hdf5: 'hdf5',
  tflite: 'tflite',
  msgpack: 'msgpack',
  npy: 'numpy',
  npz: 'numpy',
};

const RELATIONS = new Set<HubBaseRelation>(['finetune', 'quantized', 'adapter', 'merge']);

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
/** A card field that may be a string or a list of strings; anything else is ignored. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

export function formatOf(file: string): HubWeightFormat | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : FORMAT_BY_EXTENSION[file.slice(dot + 1).toLowerCase()];
}

/** Files the Hub's pickle scanner is worth asking about. */
export function pickleFiles(files: string[]): string[] {
  return files.filter((f) => formatOf(f) === 'pickle');
}

export function weightFormatsOf(files: string[]): HubWeightFormat[] {
  const seen = new Set<HubWeightFormat>();
  for (const f of files) {
    const k = formatOf(f);
    if (k) seen.add(k);
  }
  return [...seen].sort();
}

/** Direct base models: the card's `base_model` (string or list) and `base_model:[<relation>:]<id>` tags. */
export function baseModelsOf(card: Record<string, unknown>, tags: string[]): { id: string; relation?: HubBaseRelation }[] {
  const cardRelation = str(card.base_model_relation)?.toLowerCase() as HubBaseRelation | undefined;
  const relationOf = new Map<string, HubBaseRelation | undefined>();
  const add = (id: string, relation?: HubBaseRelation): void => {
    if (!MODEL_ID.test(id) || relationOf.size >= MAX_BASES) return;
    if (!relationOf.has(id) || (relation && !relationOf.get(id))) relationOf.set(id, relation);
  };
  for (const t of tags) {
    if (!t.startsWith('base_model:')) continue;
    const parts = t.split(':');
    if (parts.length === 2) add(parts[1]);
    else if (parts.length === 3 && RELATIONS.has(parts[1] as HubBaseRelation)) add(parts[2], parts[1] as HubBaseRelation);
  }
  for (const id of strings(card.base_model)) add(id, cardRelation && RELATIONS.has(cardRelation) ? cardRelation : undefined);
  return [...relationOf].map(([id, relation]) => (relation ? { id, relation } : { id }));
}

function securityOf(v: unknown): ModelInfo['security'] {
  const s = obj(v);
  if (!s) return undefined;
  const scansDone = s.scansDone === true;
  const LEVELS = ['unsafe', 'suspicious', 'caution'];
  const files: string[] = [];
  let worst: string | undefined;
  for (const i of Array.isArray(s.filesWithIssues) ? s.filesWithIssues : []) {
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

export function parseModel(id: string, doc: unknown): Parsed<StoredModel> {
  const problem = modelInfoProblem(doc);
  if (problem) return { kind: 'error', code: INVALID_ANSWER, message: `Hugging Face: invalid answer for model "${id}" (${problem})` };
  const root = obj(doc) ?? {};
  const card = obj(root.cardData) ?? {};
  const tags = strings(root.tags);
  const allFiles = (Array.isArray(root.siblings) ? root.siblings : []).map((x) => str(obj(x)?.rfilename)).filter((x): x is string => !!x);
  const files = allFiles.length > MAX_FILES ? allFiles.slice(0, MAX_FILES) : allFiles;
  const cardLicense = strings(card.license);
  const tagLicense = tags.filter((t) => t.startsWith('license:')).map((t) => t.slice('license:'.length));
  const license = clip(cardLicense.length ? cardLicense.join(', ') : tagLicense.length ? tagLicense.join(', ') : undefined, MAX_TEXT);
  const autoMap = !!obj(obj(root.config)?.auto_map);
  const codeFiles = allFiles.filter((f) => f.endsWith('.py'));
  const gated = typeof root.gated === 'boolean' || typeof root.gated === 'string' ? root.gated : undefined;
  const bases = baseModelsOf(card, tags);
  const askedId = str(root.id) ?? str(root.modelId) ?? id;
  const lineage: HubLineageEntry[] = bases.map((b) => ({ id: b.id, child: askedId, depth: 1, ...(b.relation ? { relation: b.relation } : {}) }));
  const formats = weightFormatsOf(allFiles);
  const sha = str(root.sha);
  const lastModified = str(root.lastModified);
  const value: StoredModel = {
    id: askedId,
    author: clip(str(root.author), 100),
    sha,
    lastModified,
    downloads: typeof root.downloads === 'number' ? root.downloads : undefined,
    likes: typeof root.likes === 'number' ? root.likes : undefined,
    license,
    gated: typeof gated === 'string' ? clip(gated, 40) : gated,
    private: typeof root.private === 'boolean' ? root.private : undefined,
    files,
    customCode: autoMap || codeFiles.length > 0,
    customCodeFiles: codeFiles.length ? codeFiles.slice(0, MAX_CODE_FILES) : undefined,
    autoMap: autoMap || undefined,
    baseModels: bases.length ? bases.map((b) => b.id) : undefined,
    lineage: lineage.length ? lineage : undefined,
    security: securityOf(root.securityRepoStatus),
    weightFormats: formats,
    pickleOnly: formats.includes('pickle') && formats.every((f) => f === 'pickle' || f === 'numpy'),
    lastCommit: sha ? { sha, ...(lastModified ? { date: lastModified } : {}) } : undefined,
  };
  return { kind: 'ok', value };
}
