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
  freshness: Freshness;
}

export interface ModelAnswer {
  models: Map<string, ModelInfo>;
  notFound: Set<string>;
  errors: string[];
}

export interface ModelProvider {
  models(ids: { id: string; revision?: string }[], signal?: AbortSignal): Promise<ModelAnswer>;
}
