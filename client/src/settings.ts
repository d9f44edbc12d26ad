// Reads `aiDependencyRisk.*` per resource and answers the server's workspace/configuration
// requests. Endpoint URLs are machine-scoped, and in an untrusted workspace the workspace-level
// values of every setting that could silence findings, redirect look-ups or feed advisory data
// are ignored (settingsReader.ts holds the rules). The server is told about trust too, with the
// user-level values, so it does not take workspace values from any other path.
import * as vscode from 'vscode';
import type { ConfigurationParams } from 'vscode-languageclient';
import type { Middleware } from 'vscode-languageclient/node';
import { WorkspaceTrustNotification, type WorkspaceTrustParams } from '../../server/src/protocol';
import type { Settings } from '../../server/src/settings';
import { readSettingsFrom, userSettingsFrom } from './settingsReader';

export { RESTRICTED_KEYS } from './settingsReader';
export const SECTION = 'aiDependencyRisk';

/** The settings for one resource (a file, a notebook cell, or the workspace when undefined). */
export function readSettings(scope?: vscode.Uri): Partial<Settings> {
  return readSettingsFrom(vscode.workspace.getConfiguration(SECTION, scope), vscode.workspace.isTrusted, vscode.workspace.getConfiguration('http', scope));
}

/** Sent in initializationOptions so the server has sane settings before its first request. */
export function initializationSettings(): Partial<Settings> {
  return readSettings(undefined);
}

/** Trust and user-level settings, for initializationOptions (`workspaceTrusted`,
 * `userSettings`) and WorkspaceTrustNotification. */
export function trustParams(): WorkspaceTrustParams {
  return {
    trusted: vscode.workspace.isTrusted,
    userSettings: userSettingsFrom(vscode.workspace.getConfiguration(SECTION), vscode.workspace.getConfiguration('http')),
  };
}

/** Keeps the server's view of trust current: on a grant, and on a settings change while
 * untrusted (the server then reads restricted settings from the user values sent here). */
export function watchTrust(send: (method: string, params: WorkspaceTrustParams) => void): vscode.Disposable[] {
  return [
    vscode.workspace.onDidGrantWorkspaceTrust(() => send(WorkspaceTrustNotification.method, trustParams())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!vscode.workspace.isTrusted && (e.affectsConfiguration(SECTION) || e.affectsConfiguration('http.proxy'))) {
        send(WorkspaceTrustNotification.method, trustParams());
      }
    }),
  ];
}

function toUri(scopeUri: string | undefined): vscode.Uri | undefined {
  if (!scopeUri) return undefined;
  try {
    return vscode.Uri.parse(scopeUri);
  } catch {
    return undefined;
  }
}

/** Answers items for our section ourselves; passes anything else to the default handler. */
export const configurationMiddleware: NonNullable<NonNullable<Middleware['workspace']>['configuration']> = async (
  params: ConfigurationParams,
  token,
  next,
) => {
  const ours = params.items.map((item) => item.section === SECTION);
  const others = params.items.filter((_, i) => !ours[i]);
  let rest: unknown[] = [];
  if (others.length > 0) {
    const r = await next({ items: others }, token);
    rest = Array.isArray(r) ? r : others.map(() => null);
  }
  let j = 0;
  return params.items.map((item, i) => (ours[i] ? readSettings(toUri(item.scopeUri)) : rest[j++]));
};
