// Settings resolved per resource through workspace/configuration (cached per URI, cleared on
// change), falling back to initializationOptions for clients without configuration support.
// In a workspace the client reports as untrusted, the settings that could silence findings or
// redirect look-ups come from the user-level values the client sends, never from the workspace:
// a cloned repository's .vscode/settings.json cannot turn the scanner off.
import type { Connection } from 'vscode-languageserver';
import type { WorkspaceTrustParams } from '../protocol';
import { resolveSettings, withUserOnlyKeys, type Settings } from '../settings';

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export class SettingsResolver {
  private readonly cache = new Map<string, Promise<Settings>>();
  private initOptions: unknown;
  private canAsk = false;
  /** Clients that say nothing about trust (other editors) are trusted, as before. */
  private trusted = true;
  private userSettings: Record<string, unknown> | undefined;

  constructor(private readonly connection: Pick<Connection, 'workspace'>) {}

  configure(initOptions: unknown, canAsk: boolean): void {
    const io = initOptions as { settings?: unknown; workspaceTrusted?: unknown; userSettings?: unknown } | undefined;
    this.initOptions = io && typeof io === 'object' && 'settings' in io ? io.settings : initOptions;
    this.canAsk = canAsk;
    if (io && typeof io === 'object') this.setTrust({ trusted: io.workspaceTrusted !== false, userSettings: isRecord(io.userSettings) ? io.userSettings : undefined });
  }

  /** From initializationOptions or WorkspaceTrustNotification; clears the cache. */
  setTrust(params: WorkspaceTrustParams): void {
    this.trusted = params.trusted !== false;
    if (isRecord(params.userSettings)) this.userSettings = { ...params.userSettings };
    this.cache.clear();
  }

  isTrusted(): boolean {
    return this.trusted;
  }

  get(scopeUri?: string): Promise<Settings> {
    const key = scopeUri ?? '';
    let s = this.cache.get(key);
    if (!s) {
      s = this.fetch(scopeUri);
      this.cache.set(key, s);
    }
    return s;
  }

  /** The global (machine/user) settings: endpoints and offline mode come from here. */
  global(): Promise<Settings> {
    return this.get(undefined);
  }

  clear(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }

  private async fetch(scopeUri?: string): Promise<Settings> {
    let base: Record<string, unknown> = {};
    if (isRecord(this.initOptions)) base = { ...this.initOptions };
    if (this.canAsk) {
      try {
        const [cfg] = (await this.connection.workspace.getConfiguration([{ scopeUri, section: 'aiDependencyRisk' }])) as unknown[];
        if (isRecord(cfg)) base = { ...base, ...cfg };
      } catch {
        // A client that fails the request keeps the init options.
      }
    }
    const trusted = this.trusted;
    const s = resolveSettings(trusted ? base : withUserOnlyKeys(base, this.userSettings));
    s.workspaceTrusted = trusted;
    return s;
  }
}
