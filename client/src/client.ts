// Builds the LanguageClient that runs the bundled language server (server/out/server.js)
// over IPC, with the document selector, notebook sync, the settings middleware and the
// status item wired in.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS, StatusNotification, type StatusParams } from '../../server/src/protocol';
import { configurationMiddleware, initializationSettings, trustParams, watchTrust } from './settings';
import { StatusItem } from './status';

export const CLIENT_ID = 'aiDependencyRisk';
export const CLIENT_NAME = 'AI Dependency Risk';

/** Manifests by file pattern (any language id), Python files and notebook cells. */
type Filter = { scheme: string; language?: string; pattern?: string };
export const DOCUMENT_SELECTOR: Filter[] = [
  { scheme: 'file', pattern: '**/requirements*.txt' },
  { scheme: 'file', pattern: '**/requirements/*.txt' },
  { scheme: 'file', pattern: '**/constraints*.txt' },
  { scheme: 'file', pattern: '**/*-requirements.txt' },
  { scheme: 'file', language: 'pip-requirements' },
  { scheme: 'file', pattern: '**/pyproject.toml' },
  { scheme: 'file', pattern: '**/uv.lock' },
  { scheme: 'file', pattern: '**/poetry.lock' },
  { scheme: 'file', pattern: '**/Pipfile.lock' },
  { scheme: 'file', pattern: '**/Pipfile' },
  { scheme: 'file', pattern: '**/pdm.lock' },
  { scheme: 'file', pattern: '**/pylock.{toml,*.toml}' },
  { scheme: 'file', pattern: '**/setup.cfg' },
  { scheme: 'file', pattern: '**/environment.{yml,yaml}' },
  { scheme: 'file', pattern: '**/package.json' },
  { scheme: 'file', pattern: '**/package-lock.json' },
  { scheme: 'file', pattern: '**/npm-shrinkwrap.json' },
  { scheme: 'file', pattern: '**/pnpm-lock.yaml' },
  { scheme: 'file', pattern: '**/yarn.lock' },
  { scheme: 'file', pattern: '**/bun.lock' },
  { scheme: 'file', pattern: '**/aidr.toml' },
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'vscode-notebook-cell', language: 'python' },
];

export interface ClientHandle {
  readonly log: vscode.LogOutputChannel;
  readonly status: StatusItem;
  client(): LanguageClient;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export function createClient(context: vscode.ExtensionContext): ClientHandle {
  const log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new StatusItem(DOCUMENT_SELECTOR);
  context.subscriptions.push(log, status);

  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: log,
    traceOutputChannel: log,
    synchronize: { configurationSection: [CLIENT_ID, 'http.proxy'] },
    // A function, so a restart sends the trust and settings of that moment.
    initializationOptions: () => {
      const trust = trustParams();
      return {
        settings: initializationSettings(),
        workspaceTrusted: trust.trusted,
        userSettings: trust.userSettings,
        globalStoragePath: context.globalStorageUri.fsPath,
      };
    },
    middleware: { workspace: { configuration: configurationMiddleware } },
    diagnosticCollectionName: CLIENT_ID,
  };

  const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  // Registered before start, so the handler survives restarts.
  context.subscriptions.push(
    client.onNotification(StatusNotification.method, (params: StatusParams) => status.update(params)),
  );

  // A workspace granted trust later must re-read the workspace-level settings it ignored; while
  // untrusted, the server takes restricted settings from the user values sent with the trust.
  context.subscriptions.push(
    ...watchTrust((method, params) => {
      if (client.isRunning()) void client.sendNotification(method, params);
    }),
  );

  return {
    log,
    status,
    client: () => client,
    async start() {
      status.starting();
      try {
        await client.start();
      } catch (err) {
        status.failed(err instanceof Error ? err.message : String(err));
        log.error(`language server failed to start: ${String(err)}`);
      }
    },
    async stop() {
      if (client.needsStop()) await client.stop();
    },
    async restart() {
      log.info('restarting the language server');
      status.starting();
      if (client.needsStop()) await client.restart();
      else await this.start();
    },
  };
}
