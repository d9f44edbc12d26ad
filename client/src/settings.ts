// Reads `aiDependencyRisk.*` per resource and answers the server's workspace/configuration
// requests. Endpoint URLs are machine-scoped, and in an untrusted workspace the
// workspace-level values of endpoint and advisory-database settings are ignored, so a cloned
// repository cannot redirect look-ups or feed its own advisory data.
import * as vscode from 'vscode';
import type { ConfigurationParams } from 'vscode-languageclient';
import type { Middleware } from 'vscode-languageclient/node';
import type { Settings } from '../../server/src/settings';

export const SECTION = 'aiDependencyRisk';

/** Settings whose workspace-level values are ignored in untrusted workspaces (keep in sync
 * with `capabilities.untrustedWorkspaces.restrictedConfigurations` in package.json). */
export const RESTRICTED_KEYS = ['osvUrl', 'pypiUrl', 'npmUrl', 'hfUrl', 'advisoryDb'] as const;
type RestrictedKey = (typeof RESTRICTED_KEYS)[number];

/** Endpoint URLs: only ever taken from user (machine) settings or defaults. */
const MACHINE_KEYS = new Set<string>(['osvUrl', 'pypiUrl', 'npmUrl', 'hfUrl', 'requestTimeoutMs']);

function userLevel<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}

function value<T>(cfg: vscode.WorkspaceConfiguration, key: string, trusted: boolean): T | undefined {
  if (MACHINE_KEYS.has(key) || (!trusted && (RESTRICTED_KEYS as readonly string[]).includes(key as RestrictedKey))) {
    return userLevel<T>(cfg, key);
  }
  return cfg.get<T>(key);
}

/** The settings for one resource (a file, a notebook cell, or the workspace when undefined). */
export function readSettings(scope?: vscode.Uri): Partial<Settings> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const trusted = vscode.workspace.isTrusted;
  const s: Partial<Settings> = {
    enable: value<boolean>(cfg, 'enable', trusted),
    severityOverrides: value<Settings['severityOverrides']>(cfg, 'severityOverrides', trusted),
    disabledRules: value<Settings['disabledRules']>(cfg, 'disabledRules', trusted),
    offline: value<boolean>(cfg, 'offline', trusted),
    advisoryDb: value<string[]>(cfg, 'advisoryDb', trusted),
    cacheTtlHours: value<number>(cfg, 'cacheTtlHours', trusted),
    osvUrl: value<string>(cfg, 'osvUrl', trusted),
    pypiUrl: value<string>(cfg, 'pypiUrl', trusted),
    npmUrl: value<string>(cfg, 'npmUrl', trusted),
    hfUrl: value<string>(cfg, 'hfUrl', trusted),
    requestTimeoutMs: value<number>(cfg, 'requestTimeoutMs', trusted),
  };
  const proxy = vscode.workspace.getConfiguration('http', scope).get<string>('proxy');
  if (proxy) s.proxy = proxy;
  return s;
}

/** Sent in initializationOptions so the server has sane settings before its first request. */
export function initializationSettings(): Partial<Settings> {
  return readSettings(undefined);
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
