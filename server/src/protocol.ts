// Custom messages between the VS Code client and the language server. Each is a namespace
// with a literal method name; the comment says which way it travels. Plain types only, so the
// client can import this file without pulling in server code.

export type ServerState = 'starting' | 'scanning' | 'ready' | 'offline' | 'stale' | 'error';

export interface StatusParams {
  state: ServerState;
  /** Open/scanned documents with findings by severity. */
  counts: { error: number; warning: number; info: number; hint: number };
  /** Documents analysed so far. */
  documents: number;
  /** One line for the status item's detail, e.g. "OSV unreachable; using data from 3 h ago". */
  detail?: string;
  /** Milliseconds since epoch of the oldest data used, when stale. */
  staleSince?: number;
}

/** server -> client: the language status item shows this. */
export namespace StatusNotification {
  export const method = 'aiDependencyRisk/status' as const;
}

/** What the client knows about workspace trust, in `initializationOptions` (as
 * `workspaceTrusted` and `userSettings`) and in WorkspaceTrustNotification. */
export interface WorkspaceTrustParams {
  trusted: boolean;
  /** The user-level (not workspace or folder) values of the settings, by key without the
   * `aiDependencyRisk.` prefix; in an untrusted workspace the server takes the settings that
   * could silence findings from here only. */
  userSettings?: Record<string, unknown>;
}

/** client -> server: trust was granted, or user settings changed while untrusted. */
export namespace WorkspaceTrustNotification {
  export const method = 'aiDependencyRisk/workspaceTrust' as const;
}

/** Commands the server executes (workspace/executeCommand). */
export const ServerCommands = {
  /** Scan every manifest, Python file and notebook in the workspace folders; diagnostics are
   * published for each file. Returns ScanSummary. Cancellable through the request's token. */
  scanWorkspace: 'aiDependencyRisk.server.scanWorkspace',
  /** Drop cached registry/advisory data and re-analyse open documents. */
  refreshAdvisories: 'aiDependencyRisk.server.refreshAdvisories',
  /** Apply a code action's follow-up (reserved). */
} as const;

export interface ScanSummary {
  files: number;
  findings: number;
  errors: string[];
  cancelled: boolean;
  durationMs: number;
}

/** The LSP diagnostic `source` for everything we publish. */
export const DIAGNOSTIC_SOURCE = 'ai-dependency-risk';

/** Where the rule pages live, relative to the extension (and npm package) root: `<id>.md` each.
 * The .vsix ships them (.vscodeignore), so links resolve offline. */
export const RULE_DOCS_FOLDER = 'docs/rules';

/** The link to a rule's page, given the docs folder as a URI ending in `/` (on the server: the
 * installed folder's `file:` URI, see server/src/ruleDocs.ts). */
export function ruleDocsLink(base: string, rule: string): string {
  return `${base}${encodeURIComponent(rule)}.md`;
}

// ---- Supply chain (the explorer's tree view) --------------------------------------------------

/** A range as numbers, `[startLine, startCharacter, endLine, endCharacter]` (0-based, as LSP). */
export type CompactRange = [number, number, number, number];

export type SupplyChainSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface SupplyChainParams {
  /** Run the engine over every manifest and code file of the workspace first (cancellable through
   * the request's token); otherwise answer from what the server already has. */
  refresh?: boolean;
  /** Only packages and models with findings (the caps apply after this filter). */
  onlyFindings?: boolean;
  /** Rows per group and project at most (default 200, at most 2,000); the rest are counted. */
  maxRows?: number;
}

/** Where a row is declared or loaded: an index into `SupplyChainResult.files`, and a range in that
 * file (in the cell, for a notebook). */
export interface SupplyChainLocation {
  file: number;
  range: CompactRange;
  /** Notebook cell (0-based). */
  cell?: number;
}

export interface SupplyChainFinding {
  rule: string;
  severity: SupplyChainSeverity;
  /** First 300 characters, secrets redacted. */
  message: string;
  advisories?: string[];
  at: SupplyChainLocation;
}

export interface SupplyChainPackage {
  ecosystem: 'PyPI' | 'npm';
  name: string;
  /** The version the rules evaluated: pinned, locked, or the newest the range allows. */
  version?: string;
  versionFrom?: 'pinned' | 'locked' | 'newest-allowed';
  /** The range as declared (PEP 440 or npm), when there is one. */
  specifier?: string;
  /** Declared by one of the project's manifests (or a member's, for a workspace lockfile), rather
   * than only pulled in through the lockfile. */
  direct: boolean;
  /** The declaration (manifest line), else the lockfile entry. */
  at: SupplyChainLocation;
  /** Other manifests and lockfiles that declare or lock the same version. */
  alsoIn?: number[];
  /** Not the registry package: `git`, `url`, `path`, ... */
  source?: string;
  worst?: SupplyChainSeverity;
  findings: SupplyChainFinding[];
}

export type ModelScanVerdict = 'safe' | 'caution' | 'unsafe' | 'unknown' | 'not-checked';

export interface SupplyChainModel {
  /** `hub`: a Hub id in a loading call; `local`: a literal path in one that resolves to no scanned
   * file; `file`: a model file in the tree (with the calls that load it, if any). */
  kind: 'hub' | 'local' | 'file';
  /** Hub id, the path as written, or the file's path relative to its workspace folder. */
  name: string;
  revision?: string;
  /** The revision is a commit sha: a reproducible pin. */
  pinnedToCommit?: boolean;
  license?: string;
  /** Weight formats (the Hub's file list) or the file's format (static scan). */
  formats?: string[];
  scan?: { by: 'static' | 'hub'; verdict: ModelScanVerdict; detail?: string };
  /** Approved by the workspace policy; undefined until a policy decides. */
  approved?: boolean;
  /** The first loading call, or the model file itself (zero range). */
  at: SupplyChainLocation;
  /** The model file, for a `file` row. */
  modelFile?: number;
  /** Loading calls that refer to it. */
  calls: number;
  worst?: SupplyChainSeverity;
  findings: SupplyChainFinding[];
}

export interface SupplyChainProject {
  /** Index into `files` of the project's root folder. */
  root: number;
  /** The root relative to its workspace folder (`.` for the folder itself). */
  name: string;
  /** Lockfiles, then manifests, that decide the project's versions (indexes into `files`). */
  decidedBy: number[];
  packages: SupplyChainPackage[];
  models: SupplyChainModel[];
  /** Rows left out by the cap (after the filter). */
  morePackages: number;
  moreModels: number;
  /** Totals before the filter and the cap. */
  counts: { packages: number; models: number; withFindings: number };
  worst?: SupplyChainSeverity;
}

export interface SupplyChainResult {
  /** URIs, referred to by index from rows (each file once). */
  files: string[];
  projects: SupplyChainProject[];
  /** True once a refresh analysed the workspace's files: before that, rows come from open
   * documents, parsed manifests (or the watch's analyses of them) and model-file scans. */
  complete: boolean;
  /** When the data was gathered (ms since epoch). */
  generatedAt: number;
  offline: boolean;
  /** A refresh was asked for and cancelled: the answer is what the server had. */
  cancelled?: boolean;
  errors: string[];
}

/** client -> server: the supply-chain tree (projects -> packages and models). */
export namespace SupplyChainRequest {
  export const method = 'aiDependencyRisk/supplyChain' as const;
}

/** server -> client: the supply-chain data changed (the watch found something new); a visible
 * view asks again. No params. */
export namespace SupplyChainChangedNotification {
  export const method = 'aiDependencyRisk/supplyChainChanged' as const;
}

// ---- Environment of a file ---------------------------------------------------------------------

export interface EnvironmentParams {
  uri: string;
}

export interface EnvironmentFile {
  uri: string;
  role: 'lockfile' | 'manifest';
  ecosystem: 'PyPI' | 'npm';
  /** For a lockfile shared by a workspace (uv, npm, pnpm, yarn): the workspace root's folder URI. */
  sharedFrom?: string;
}

export interface EnvironmentResult {
  uri: string;
  /** What the server makes of the file. */
  kind: 'manifest' | 'code' | 'other';
  /** The project root folder (URI); undefined when no project encloses the file. */
  projectRoot?: string;
  /** The editor's workspace folder holding the file (URI). */
  workspaceFolder?: string;
  /** The files that decide the versions, in decision order: lockfiles first, then manifests. */
  decidedBy: EnvironmentFile[];
  /** One line about the answer (why there is no project, or what wins over the files). */
  note?: string;
}

/** client -> server: the environment (project) of a file and the files that decide its versions. */
export namespace EnvironmentRequest {
  export const method = 'aiDependencyRisk/environment' as const;
}

/** Node flags the extension starts the server with (and other editors may pass too): a young
 * generation of 2 x 8 MB instead of V8's 2 x 16 MB. The server's young objects are one
 * keystroke's analysis: 2 x 4 MB made the dense file's keystrokes spend ~20 ms each in scavenges
 * (p95 ~110 ms); 2 x 8 MB brings p95 under 90 ms for ~8 MB more peak RSS (133 MB on the dense
 * file, 142 MB on the cold 100-manifest workspace; budget 150 MB). `bench/lsp.bench.ts`. */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
