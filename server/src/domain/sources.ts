// Contracts between the engine and the data sources (OSV online/offline, PyPI, npm, Hugging Face):
// the OSV record shapes, registry and Hub facts, and the provider interfaces. Rules never do I/O.
import type { Ecosystem } from './types';

/** An OSV record (https://ossf.github.io/osv-schema/), the fields we use. */
export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: { type: string; score: string }[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown> & { severity?: string };
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: { type: string; score: string }[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: { introduced?: string; fixed?: string; last_affected?: string; limit?: string }[];
}

export interface PackageQuery {
  ecosystem: Ecosystem;
  /** Normalised name. */
  name: string;
  /** Omit to ask for every advisory of the package. */
  version?: string;
}

/** How fresh a piece of data is. */
export interface Freshness {
  /** When the data was fetched from its origin (ms since epoch). */
  fetchedAt: number;
  /** True when the origin could not be reached and an expired cache entry was used. */
  stale: boolean;
  /** 'network' | 'cache' | 'offline-db' */
  origin: 'network' | 'cache' | 'offline-db';
}

export interface AdvisoryAnswer {
  /** Full records (withdrawn ones already removed), one list per query, same order as asked. */
  results: OsvRecord[][];
  freshness: Freshness;
  /** Human-readable problems (network down, rate limited, ...). Empty when all went well. */
  errors: string[];
}

export interface AdvisoryProvider {
  query(queries: PackageQuery[], signal?: AbortSignal): Promise<AdvisoryAnswer>;
}

export interface ReleaseInfo {
  version: string;
  /** PyPI: every file of the release is yanked. npm: never. */
  yanked: boolean;
  yankedReason?: string;
  /** ISO time of the first upload. */
  uploadTime?: string;
}

export interface PackageMetadata {
  ecosystem: Ecosystem;
  name: string;
  /** Newest non-yanked, non-pre-release version, per the registry. */
  latest?: string;
  releases: ReleaseInfo[];
  license?: string;
  summary?: string;
  /** npm `deprecated` message. */
  deprecated?: string;
  homepage?: string;
  freshness: Freshness;
}

export interface RegistryAnswer {
  /** Keyed by normalised name. A missing key means unknown (error or not asked). */
  packages: Map<string, PackageMetadata>;
  /** Names the registry answered 404 for (the package does not exist there). */
  notFound: Set<string>;
  errors: string[];
}

export interface RegistryProvider {
  metadata(ecosystem: Ecosystem, names: string[], signal?: AbortSignal): Promise<RegistryAnswer>;
}

/** Weight formats recognised from a Hub repo's file names (siblings). */
export type HubWeightFormat = 'safetensors' | 'pickle' | 'gguf' | 'onnx' | 'keras' | 'hdf5' | 'tflite' | 'msgpack' | 'numpy';

/** How a model derives from its base, as the Hub states it (`base_model:<relation>:<id>` tags or
 * the card's `base_model_relation`). */
export type HubBaseRelation = 'finetune' | 'quantized' | 'adapter' | 'merge';

/** One global the Hub's pickle scanner found in a file, with the Hub's own verdict. */
export interface HubPickleImport {
  module: string;
  name: string;
  /** `dangerous` can run code on load; `unknown` when the Hub gave a value we do not know. */
  safety: 'innocuous' | 'suspicious' | 'dangerous' | 'unknown';
}

/** The Hub's scan of one file. Only `safe` is safe: `unscanned`, `queued`, `error` and `unknown`
 * mean nobody knows. */
export interface HubFileScan {
  path: string;
  status: 'safe' | 'caution' | 'suspicious' | 'unsafe' | 'unscanned' | 'queued' | 'error' | 'unknown';
  /** Scanners (pickleImportScan, protectAiScan, jFrogScan, avScan, ...) that flagged the file. */
  flaggedBy?: string[];
  /** Imports found by the Hub's pickle scanner; undefined when it did not report any scan. */
  pickleImports?: HubPickleImport[];
  /** Imports beyond what we keep were dropped. */
  pickleImportsTruncated?: boolean;
  /** The commit that last changed the file. */
  lastCommit?: { sha: string; date?: string };
}

/** One ancestor in a model's base-model lineage. */
export interface HubLineageEntry {
  id: string;
  /** The model whose base this is (the asked model at depth 1). */
  child: string;
  depth: number;
  /** How `child` derives from this model, when the Hub says. */
  relation?: HubBaseRelation;
  license?: string;
  gated?: boolean | string;
  /** `not-found`: the Hub has no such model; `unknown`: it could not be asked (error, limit). */
  missing?: 'not-found' | 'unknown';
}

/** Hugging Face model facts for hovers and the revision-pin fix. */
export interface ModelInfo {
  id: string;
  author?: string;
  /** Commit sha of the asked revision (default branch when none). */
  sha?: string;
  lastModified?: string;
  downloads?: number;
  likes?: number;
  license?: string;
  gated?: boolean | string;
  private?: boolean;
  /** File names in the repo (siblings). */
  files: string[];
  /** Repo has custom code (auto_map in config, or .py files). */
  customCode?: boolean;
  baseModels?: string[];
  /** Hub security scan: undefined = not asked/unknown. */
  security?: { scansDone: boolean; status?: string; filesWithIssues?: string[] };
  /** Weight formats present, from file names. */
  weightFormats?: HubWeightFormat[];
  /** Pickle-based weights and no other weight format: loading the model means unpickling. */
  pickleOnly?: boolean;
  /** `.py` files in the repo (capped list): code that `trust_remote_code=True` may run. */
  customCodeFiles?: string[];
  /** config.json has `auto_map`: transformers imports the repo's own classes. */
  autoMap?: boolean;
  /** Base models followed a few levels up (depth 1 = `baseModels`), closest first. */
  lineage?: HubLineageEntry[];
  /** The Hub's per-file scan of the pickle-based files (undefined: none, or not available). */
  fileScans?: HubFileScan[];
  /** There were more pickle-based files than we asked the Hub about. */
  fileScansTruncated?: boolean;
  /** The commit the facts describe and when it was made (the Hub's `sha` and `lastModified`). */
  lastCommit?: { sha: string; date?: string };
  freshness: Freshness;
}

export interface ModelAnswer {
  models: Map<string, ModelInfo>;
  notFound: Set<string>;
  errors: string[];
}

export interface ModelLookupOptions {
  /** `basic`: the model info only (sha, files, licence, repo-level scan, direct bases) — one request
   * per model, for the revision-pin fix. `full` (default): also the per-file Hub scan and the
   * lineage followed a few levels, for hovers and the inventory. */
  detail?: 'basic' | 'full';
}

export interface ModelProvider {
  models(ids: { id: string; revision?: string }[], signal?: AbortSignal, opts?: ModelLookupOptions): Promise<ModelAnswer>;
}
