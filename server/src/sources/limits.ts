// Every bound the data sources put on what a registry may send us, in one place: body caps per
// endpoint (an answer over its cap is an error, never parsed, never cached) and caps on what one
// answer may make us keep or ask for next. Generous against real traffic, tight against abuse.
const MB = 1024 * 1024;

export const MAX_BYTES = {
  /** 1,000 queries a call; a real answer is a few hundred KB. */
  osvQuerybatch: 32 * MB,
  /** One advisory; real records are under 100 KB. */
  osvVuln: 2 * MB,
  /** Projects with thousands of releases and wheels stay well under this. */
  pypi: 32 * MB,
  /** Full packuments of the busiest packages (thousands of versions) fit; abusive ones do not. */
  npm: 48 * MB,
  /** Model info with thousands of files. */
  hfModel: 8 * MB,
  /** paths-info for at most MAX_SCAN_PATHS files. */
  hfPaths: 4 * MB,
} as const;

/** Advisory ids kept per package query, across all pages. */
export const MAX_VULNS_PER_QUERY = 5_000;
/** Releases kept per package: more is not a registry we believe. */
export const MAX_RELEASES = 25_000;
/** Pickle-based files of one model whose Hub scan we ask for (one paths-info call). */
export const MAX_SCAN_PATHS = 64;
/** Imports kept per scanned file. */
export const MAX_IMPORTS_PER_FILE = 200;
/** Base-model lineage: levels followed, and models looked up per call at most. */
export const MAX_LINEAGE_DEPTH = 3;
export const MAX_LINEAGE_LOOKUPS = 12;
/** Longest free text kept from an answer (summaries, licences, messages). */
export const MAX_TEXT = 500;
/** Longest advisory `details` kept. */
export const MAX_DETAILS = 16_000;
