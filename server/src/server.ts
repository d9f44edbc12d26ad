// Language server entry: connection, capabilities and handler wiring only.
// `node server/out/server.js --stdio` runs it standalone for any LSP client.
import os from 'node:os';
import path from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RuntimePool } from './engine/runtime';
import { AnalysisService, type Logger } from './handlers/analysis';
import { FIX_ALL_KIND, onCodeAction, onCodeActionResolve } from './handlers/codeActions';
import { scanWorkspace } from './handlers/commands';
import { uriToPath } from './handlers/convert';
import { onHover } from './handlers/hover';
import { WorkspaceModels } from './handlers/modelFiles';
import { SettingsResolver } from './handlers/settings';
import { onEnvironment, WorkspaceEnvironments } from './handlers/environment';
import { SupplyChainService } from './handlers/supplyChain';
import { WorkspaceWatch } from './handlers/watch';
import { redactSecrets } from './domain/redact';
import {
  EnvironmentRequest,
  ServerCommands,
  SupplyChainChangedNotification,
  SupplyChainRequest,
  WorkspaceTrustNotification,
  type EnvironmentParams,
  type SupplyChainParams,
  type WorkspaceTrustParams,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);
const settings = new SettingsResolver(connection);

let logLevel: 'debug' | 'info' | 'warn' | 'error' = 'info';
const LEVELS = { debug: 0, info: 1, warn: 2, error: 3 } as const;
const log: Logger = (level, msg) => {
  if (LEVELS[level] < LEVELS[logLevel]) return;
  const line = `[${level}] ${redactSecrets(msg)}`;
  if (level === 'error') connection.console.error(line);
  else if (level === 'warn') connection.console.warn(line);
  else if (level === 'info') connection.console.info(line);
  else connection.console.log(line);
};

// Both are built in onInitialize (the cache folder comes from initializationOptions); every
// handler below runs after it.
let runtimes: RuntimePool;
let analysis: AnalysisService;
let models: WorkspaceModels;
let supplyChain: SupplyChainService;
let watch: WorkspaceWatch;
const environments = new WorkspaceEnvironments();
let watchDynamic = false;
let configDynamic = false;
/** The client resolves code actions lazily (edits built only for the action picked). */
let resolveEdits = false;

connection.onInitialize((params): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as { cacheDir?: string; globalStoragePath?: string; logLevel?: string; debounceMs?: number };
  const cacheDir =
    init.cacheDir ?? (init.globalStoragePath ? path.join(init.globalStoragePath, 'cache') : path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ai-dependency-risk'));
  runtimes = new RuntimePool({ cacheDir, log });
  analysis = new AnalysisService(connection, documents, notebooks, settings, runtimes, log);
  if (init.logLevel === 'debug' || init.logLevel === 'info' || init.logLevel === 'warn' || init.logLevel === 'error') logLevel = init.logLevel;
  if (typeof init.debounceMs === 'number') analysis.debounceMs = init.debounceMs;
  const caps = params.capabilities;
  settings.configure(params.initializationOptions, !!caps.workspace?.configuration);
  watchDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  configDynamic = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  resolveEdits = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') && !!caps.textDocument.codeAction.dataSupport;
  const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) {
    const p = uriToPath(params.rootUri);
    if (p) folders.push(p);
  }
  analysis.setWorkspaceFolders(folders);
  models = new WorkspaceModels(connection, settings, log);
  models.setFolders(folders);
  analysis.modelFiles = () => models.files;
  supplyChain = new SupplyChainService({ analysis, models, settings, runtimes, environments, log });
  watch = new WorkspaceWatch({
    connection,
    analysis,
    settings,
    runtimes,
    supplyChain,
    log,
    canShowDocument: !!caps.window?.showDocument?.support,
    // New advisories: open documents show them now, and a visible tree asks again.
    onNews: () => {
      reanalyseAll();
      void connection.sendNotification(SupplyChainChangedNotification.method);
    },
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      notebookDocumentSync: {
        notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }, { notebook: '*', cells: [{ language: 'python' }] }],
      },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      executeCommandProvider: { commands: [ServerCommands.scanWorkspace, ServerCommands.refreshAdvisories] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'ai-dependency-risk', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (configDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'aiDependencyRisk' });
  if (watchDynamic) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/{requirements*.txt,requirements/*.txt,constraints*.txt,*.in,pyproject.toml,uv.lock,poetry.lock,Pipfile,Pipfile.lock,pdm.lock,setup.cfg,environment.yml,environment.yaml,package.json,package-lock.json,npm-shrinkwrap.json,pnpm-lock.yaml,yarn.lock,aidr.toml}' },
        { globPattern: '**/pylock.{toml,*.toml}' },
        { globPattern: '**/bun.lock' },
        { globPattern: '**/*.{pt,pth,bin,ckpt,pkl,pickle,joblib,dill,npy,npz,h5,hdf5,keras,safetensors,gguf,onnx,pb,msgpack,sav}' },
      ],
    });
  }
  void analysis.indexWorkspace().then(
    () => {
      analysis.rescheduleCode();
      // The watch's baseline needs the manifest index.
      void watch.configure();
    },
    (e: unknown) => log('warn', `workspace index failed: ${(e as Error).message}`),
  );
  // Model files are scanned in the background; loading calls are re-joined once they are known.
  void models.index().then(
    () => analysis.rescheduleCode(),
    (e: unknown) => log('warn', `model file scan failed: ${(e as Error).message}`),
  );
  analysis.sendStatus();
});

function reanalyseAll(): void {
  for (const uri of new Set([...analysis.openUris(), ...documents.all().map((d) => d.uri)])) analysis.schedule(uri);
}

connection.onDidChangeConfiguration(() => {
  settings.clear();
  void models.republish();
  reanalyseAll();
  void watch.configure();
});

connection.onNotification(WorkspaceTrustNotification.method, (p: WorkspaceTrustParams) => {
  settings.setTrust(p);
  reanalyseAll();
  void watch.configure();
});

connection.onDidChangeWatchedFiles((p) => {
  for (const c of p.changes) {
    const deleted = c.type === FileChangeType.Deleted;
    void models.changed(c.uri, deleted).then((isModel) => (isModel ? analysis.rescheduleCode() : analysis.fileChanged(c.uri, deleted)));
  }
});

documents.onDidOpen((e) => analysis.schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => analysis.schedule(e.document.uri));
documents.onDidClose((e) => {
  settings.clear(e.document.uri);
  analysis.close(e.document.uri);
});

notebooks.onDidOpen((nb) => analysis.schedule(nb.uri, 0));
notebooks.onDidChange((e) => analysis.schedule(e.notebookDocument.uri));
notebooks.onDidClose((nb) => analysis.close(nb.uri, nb.cells.map((c) => c.document)));

connection.onHover((p) => onHover(p, analysis, settings, runtimes));
connection.onCodeAction((p) => onCodeAction(p, (uri) => analysis.findingSource(uri), resolveEdits));
connection.onCodeActionResolve((a) => onCodeActionResolve(a, (uri) => analysis.findingSource(uri)));

connection.onRequest(SupplyChainRequest.method, (p: SupplyChainParams, token) => supplyChain.onRequest(p, token));
connection.onRequest(EnvironmentRequest.method, (p: EnvironmentParams) =>
  onEnvironment(p, {
    analysed: (uri) => analysis.results.get(uri)?.analysis.environment,
    manifests: () => analysis.context(),
    roots: () => analysis.workspaceRoots(),
    environments,
  }),
);

connection.onExecuteCommand(async (p, token) => {
  if (p.command === ServerCommands.scanWorkspace) return scanWorkspace(connection, analysis, settings, runtimes, token);
  if (p.command === ServerCommands.refreshAdvisories) {
    settings.clear();
    const uris = analysis.openUris();
    await runtimes.refresh(() => Promise.all(uris.map((u) => analysis.run(u))));
    return { refreshed: uris.length };
  }
  return null;
});

connection.onShutdown(async () => {
  watch.dispose();
  await runtimes.clear();
});

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
