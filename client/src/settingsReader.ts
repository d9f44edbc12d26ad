// Reads `aiDependencyRisk.*` from one configuration object, honouring scopes and workspace trust.
// Kept apart from settings.ts (which talks to the `vscode` module) so that it can be tested
// with a fake configuration object. Types only from `vscode`.
import type * as vscode from 'vscode';
import { USER_ONLY_WHEN_UNTRUSTED, type Settings } from '../../server/src/settings';

/** What the reader needs of a vscode.WorkspaceConfiguration. */
export type ConfigLike = Pick<vscode.WorkspaceConfiguration, 'get' | 'inspect'>;

/** Settings whose workspace-level values are ignored in untrusted workspaces (keep in sync
 * with `capabilities.untrustedWorkspaces.restrictedConfigurations` in package.json). */
export const RESTRICTED_KEYS: readonly string[] = USER_ONLY_WHEN_UNTRUSTED.filter((k) => k !== 'proxy');

/** Always user (machine) level or default, trusted or not: a repository cannot redirect
 * look-ups, shorten time-outs or widen what is read. */
export const MACHINE_KEYS: ReadonlySet<string> = new Set(['osvUrl', 'pypiUrl', 'npmUrl', 'hfUrl', 'requestTimeoutMs', 'allowOutsideIncludes']);

/** Every key the reader sends to the server. */
export const KEYS = [
  'enable',
  'severityOverrides',
  'disabledRules',
  'offline',
  'advisoryDb',
  'cacheTtlHours',
  'osvUrl',
  'pypiUrl',
  'npmUrl',
  'hfUrl',
  'requestTimeoutMs',
  'allowOutsideIncludes',
] as const satisfies readonly (keyof Settings)[];

function userLevel<T>(cfg: ConfigLike, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}

function value<T>(cfg: ConfigLike, key: string, trusted: boolean): T | undefined {
  if (MACHINE_KEYS.has(key) || (!trusted && RESTRICTED_KEYS.includes(key))) return userLevel<T>(cfg, key);
  return cfg.get<T>(key);
}

/** The settings for one resource. `http` is the `http` section for the proxy. */
export function readSettingsFrom(cfg: ConfigLike, trusted: boolean, http?: ConfigLike): Partial<Settings> {
  const s: Record<string, unknown> = {};
  for (const k of KEYS) s[k] = value(cfg, k, trusted);
  // `http.proxy` from a workspace could send every look-up through the repository's server.
  const proxy = http ? (trusted ? http.get<string>('proxy') : userLevel<string>(http, 'proxy')) : undefined;
  if (proxy) s.proxy = proxy;
  return s as Partial<Settings>;
}

/** Only the values the user set in user settings (no defaults, no workspace or folder values):
 * what the server uses for the restricted keys in an untrusted workspace. */
export function userSettingsFrom(cfg: ConfigLike, http?: ConfigLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) {
    const v = cfg.inspect(k)?.globalValue;
    if (v !== undefined) out[k] = v;
  }
  const proxy = http?.inspect<string>('proxy')?.globalValue;
  if (proxy) out.proxy = proxy;
  return out;
}
