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

/** Node flags the extension starts the server with (and other editors may pass too): a young
 * generation of 2 x 4 MB instead of V8's 2 x 16 MB. The server's young objects are one
 * keystroke's analysis; a larger young generation only holds more of them resident (~20 MB of
 * RSS on a dense file or a workspace's cold fetch, at no measured cost per keystroke). */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
