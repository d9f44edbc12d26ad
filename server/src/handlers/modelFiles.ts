// Model files in the workspace: found when the workspace is indexed (by name and by content),
// scanned statically in the background, and reported on the file itself in the Problems panel
// (`unsafe-model-file`, at the start of the file). The same scans feed the engine's join with
// loading calls, so a call that loads `models/evil.pt` shows what the file imports.
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { applySettings } from '../engine/engine';
import { LineIndex } from '../engine/lineIndex';
import { ModelFileCache } from '../engine/modelFiles';
import { walk } from '../engine/walk';
import { isModelFileName } from '../models';
import { modelFileFindings } from '../rules/model/unsafeModelFile';
import { toDiagnostic, toUri, uriToPath } from './convert';
import type { SettingsResolver } from './settings';
import path from 'node:path';

const EMPTY = new LineIndex('');
const MAX_MODEL_FILES = 2000;

export class WorkspaceModels {
  private cache = new ModelFileCache([]);
  private folders: string[] = [];
  /** Model files known to the workspace, and whether diagnostics were published for each. */
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsResolver,
    private readonly log: (level: 'info' | 'warn', msg: string) => void,
  ) {}

  /** The scans, for the engine's join and for hovers. */
  get files(): ModelFileCache {
    return this.cache;
  }

  /** Model files known to the workspace (absolute paths). */
  knownFiles(): string[] {
    return [...this.known.keys()];
  }

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.cache = new ModelFileCache(folders);
  }

  /** Finds the workspace's model files and scans them, publishing as each scan completes. */
  async index(): Promise<void> {
    const found: string[] = [];
    for (const folder of this.folders) {
      const w = await walk(folder, { kinds: () => false, models: true, maxSniffed: 1000 });
      found.push(...w.models);
    }
    for (const p of found.slice(0, MAX_MODEL_FILES)) this.known.set(p, false);
    await Promise.all(found.slice(0, MAX_MODEL_FILES).map((p) => this.rescan(p)));
    const models = [...this.known].filter(([, v]) => v).length;
    this.log('info', `scanned ${found.length} candidate model file(s); ${models} with findings`);
  }

  /** A file changed or appeared on disk (the watcher); returns whether it is a model file. */
  async changed(uri: string, deleted: boolean): Promise<boolean> {
    const p = uriToPath(uri);
    if (!p || (!isModelFileName(p) && !this.known.has(p))) return false;
    this.cache.forget(p);
    if (deleted) {
      this.known.delete(p);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return true;
    }
    this.known.set(p, false);
    await this.rescan(p);
    return true;
  }

  /** Re-publish every model file's diagnostics (settings changed). */
  async republish(): Promise<void> {
    await Promise.all([...this.known.keys()].map((p) => this.rescan(p)));
  }

  private async rescan(p: string): Promise<void> {
    const scan = await this.cache.scan(p).catch(() => undefined);
    const uri = toUri(p);
    const settings = await this.settings.get(uri);
    const rel = this.displayName(p);
    const findings = scan && settings.enable ? applySettings(modelFileFindings(scan, { range: { start: 0, end: 0 }, name: rel }), settings) : [];
    const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(f, EMPTY));
    const had = this.known.get(p) ?? false;
    if (diagnostics.length || had) void this.connection.sendDiagnostics({ uri, diagnostics });
    this.known.set(p, diagnostics.length > 0);
  }

  private displayName(p: string): string {
    const root = this.folders.filter((f) => p.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
    return root ? path.relative(root, p).split(path.sep).join('/') : path.basename(p);
  }
}
