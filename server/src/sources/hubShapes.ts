// The shapes Hugging Face Hub answers must have before we believe them: the model info
// (`/api/models/{id}[/revision/{rev}]?securityStatus=true`) and paths-info with `expand`
// (per-file security status and last commit). The Hub's own structure (sha, siblings, tags,
// gating, security status) is checked strictly; `cardData` is the author's YAML, so its fields are
// read leniently later (a typo in a card is not an invalid answer). A `sha` must be 40 hex digits:
// it ends up in a code edit (`revision="<sha>"`).
import { anyObj, arr, bool, num, obj, oneOf, opt, pattern, str, validate, type Check } from './shape';

/** `org/name` or a legacy one-part id; the characters the Hub allows, bounded. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(?:\/[A-Za-z0-9._-]{1,96})?$/;
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

const sha = pattern(COMMIT_SHA, 'commit sha (40 hex digits)', 40);

const issue: Check = oneOf('file path or {path, level}', str, obj({ path: str, level: opt(str) }));

const modelInfo = obj({
  id: opt(pattern(MODEL_ID, 'model id')),
  modelId: opt(pattern(MODEL_ID, 'model id')),
  author: opt(str),
  sha: opt(sha),
  lastModified: opt(str),
  downloads: opt(num),
  likes: opt(num),
  private: opt(bool),
  gated: opt(oneOf('boolean or string', bool, str)),
  tags: opt(arr(str)),
  siblings: opt(arr(obj({ rfilename: str }))),
  cardData: opt(anyObj),
  config: opt(obj({ auto_map: opt(anyObj) })),
  securityRepoStatus: opt(obj({ scansDone: opt(bool), filesWithIssues: opt(arr(issue)) })),
});

/** Why a model-info answer is not one, or undefined. */
export function modelInfoProblem(doc: unknown): string | undefined {
  return validate(modelInfo, doc);
}

const pickleImport = obj({ module: str, name: str, safety: str });

const scanner = obj({ status: opt(str), message: opt(str), pickleImports: opt(arr(pickleImport)) });

const fileStatus = obj({
  status: opt(str),
  avScan: opt(scanner),
  pickleImportScan: opt(scanner),
  protectAiScan: opt(scanner),
  jFrogScan: opt(scanner),
  virusTotalScan: opt(scanner),
});

const pathInfo = obj({
  path: str,
  type: opt(str),
  securityFileStatus: opt(fileStatus),
  lastCommit: opt(obj({ id: opt(sha), date: opt(str), title: opt(str) })),
});

/** Why a paths-info answer is not one, or undefined. */
export function pathsInfoProblem(doc: unknown, maxEntries: number): string | undefined {
  return validate(arr(pathInfo, maxEntries), doc);
}

const lineageEntry = obj({ id: str, child: str, depth: num, relation: opt(str), license: opt(str), gated: opt(oneOf('gated', bool, str)), missing: opt(str) });

const storedModel = obj({
  id: str,
  sha: opt(sha),
  files: arr(str),
  security: opt(obj({ scansDone: bool, status: opt(str), filesWithIssues: opt(arr(str)) })),
  // Required: entries cached before these facts existed are fetched again once.
  weightFormats: arr(str),
  lineage: opt(arr(lineageEntry)),
  customCodeFiles: opt(arr(str)),
});

/** True when a value read back from the cache is a model as we store it. */
export function isStoredModel(v: unknown): boolean {
  return validate(storedModel, v) === undefined;
}

const storedScan = arr(obj({ path: str, status: str, flaggedBy: opt(arr(str)), pickleImports: opt(arr(pickleImport)) }));

export function isStoredScan(v: unknown): boolean {
  return validate(storedScan, v) === undefined;
}

/** The scanners named in a securityFileStatus (extra keys the Hub adds later are looked at too). */
export function scannerEntries(status: Record<string, unknown>): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (const [k, v] of Object.entries(status)) {
    if (k !== 'status' && v && typeof v === 'object' && !Array.isArray(v)) out.push([k, v as Record<string, unknown>]);
  }
  return out;
}
