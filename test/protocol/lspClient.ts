// A minimal LSP client for protocol tests: starts the BUILT server (server/out/server.js --stdio)
// as a child process and speaks JSON-RPC to it; collects published diagnostics and notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeParams,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  HoverRequest,
  CodeActionRequest,
  ExecuteCommandRequest,
  RegistrationRequest,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'server/out/server.js');

export interface LspClientOptions {
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  initializationOptions?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags for the server process (profiling, heap limits). */
  execArgv?: string[];
}

export class LspClient {
  readonly conn: ProtocolConnection;
  private readonly proc: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly notifications: { method: string; params: unknown }[] = [];
  private waiters: (() => void)[] = [];
  stderr = '';

  constructor(private readonly opts: LspClientOptions = {}) {
    this.proc = spawn(process.execPath, [...(opts.execArgv ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.wake();
    });
    for (const method of ['aiDependencyRisk/status', 'window/logMessage', 'window/showMessage']) {
      this.conn.onNotification(method, (params: unknown) => {
        this.notifications.push({ method, params });
        this.wake();
      });
    }
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => this.opts.settings ?? {}));
    this.conn.onRequest(RegistrationRequest.type, () => undefined);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  /** The server's process id (benchmarks read its peak memory from /proc). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async initialize(): Promise<void> {
    const folder = this.opts.workspaceFolder;
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).toString() : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).toString(), name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true }, codeAction: { dataSupport: true } },
      },
      initializationOptions: this.opts.initializationOptions ?? {},
    };
    await this.conn.sendRequest(InitializeRequest.type, params);
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async replace(uri: string, text: string, version: number): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves when `pred` holds for a notification received so far or later; rejects on time-out. */
  async waitFor<T>(probe: () => T | undefined, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nserver stderr:\n${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for diagnostics for `uri` (optionally of a given document version) that satisfy `pred`. */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => {
      const p = this.diagnostics.get(uri);
      return p && pred(p) ? p : undefined;
    }, timeoutMs, `diagnostics for ${uri}`);
  }

  hover(uri: string, line: number, character: number) {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, diagnostics: PublishDiagnosticsParams['diagnostics'], only?: string[]) {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  executeCommand(command: string, args: unknown[] = []) {
    return this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
  }
}

/** A diagnostic's message as plain text (LSP 3.18 allows markup). */
export function text(m: string | { value: string }): string {
  return typeof m === 'string' ? m : m.value;
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
