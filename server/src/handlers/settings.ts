// Settings resolved per resource through workspace/configuration (cached per URI, cleared on
// change), falling back to initializationOptions for clients without configuration support.
import type { Connection } from 'vscode-languageserver';
import { resolveSettings, type Settings } from '../settings';

export class SettingsResolver {
  private readonly cache = new Map<string, Promise<Settings>>();
  private initOptions: unknown;
  private canAsk = false;

  constructor(private readonly connection: Connection) {}

  configure(initOptions: unknown, canAsk: boolean): void {
    const io = initOptions as { settings?: unknown } | undefined;
    this.initOptions = io && typeof io === 'object' && 'settings' in io ? io.settings : initOptions;
    this.canAsk = canAsk;
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
    if (this.initOptions && typeof this.initOptions === 'object') base = { ...(this.initOptions as Record<string, unknown>) };
    if (this.canAsk) {
      try {
        const [cfg] = (await this.connection.workspace.getConfiguration([{ scopeUri, section: 'aiDependencyRisk' }])) as unknown[];
        if (cfg && typeof cfg === 'object') base = { ...base, ...(cfg as Record<string, unknown>) };
      } catch {
        // A client that fails the request keeps the init options.
      }
    }
    return resolveSettings(base);
  }
}
