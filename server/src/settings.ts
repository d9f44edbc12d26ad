// Settings shared by the language server and the CLI, with their defaults.
// A setting lives in four places: package.json `contributes.configuration`, this type and
// default, the client's reader (client/src/settings.ts), and its use site.
import type { RuleId, Severity } from './domain';

export interface Settings {
  enable: boolean;
  /** Per-rule severity overrides; 'off' disables the rule. */
  severityOverrides: Partial<Record<RuleId, Severity | 'off'>>;
  /** Rules to disable. */
  disabledRules: RuleId[];
  /** Never touch the network; use only advisory DBs and the cache. */
  offline: boolean;
  /** OSV export zips or folders of OSV JSON records. */
  advisoryDb: string[];
  /** Cache time-to-live in hours. */
  cacheTtlHours: number;
  /** Endpoint URLs (machine-scoped in the editor). */
  osvUrl: string;
  pypiUrl: string;
  npmUrl: string;
  hfUrl: string;
  /** Per-request time-out in ms. */
  requestTimeoutMs: number;
  /** Proxy URL (from `http.proxy` in the editor, HTTPS_PROXY in the CLI). */
  proxy?: string;
  /** Follow `-r`/`-c` includes outside the workspace folders (machine-scoped; off by default). */
  allowOutsideIncludes: boolean;
  /** False when the editor says the workspace is untrusted. Set by the language server from what
   * the client reports, never read from a settings object: a workspace cannot vouch for itself.
   * Whatever could silence findings from the workspace (a policy file) must check it. */
  workspaceTrusted: boolean;
}

/** Settings that, in an untrusted workspace, come from user settings (or defaults) only: each
 * could silence findings (enable, offline, disabledRules, severityOverrides, cacheTtlHours,
 * requestTimeoutMs), redirect or feed look-ups (endpoints, proxy, advisoryDb), or widen what is
 * read (allowOutsideIncludes). Keep in sync with package.json
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`. */
export const USER_ONLY_WHEN_UNTRUSTED = [
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
  'proxy',
  'allowOutsideIncludes',
] as const satisfies readonly (keyof Settings)[];

/** For an untrusted workspace: `merged` (whatever the editor answered, workspace values
 * included) with every user-only key replaced by the user's own value, or dropped so that the
 * default applies. */
export function withUserOnlyKeys(merged: Record<string, unknown>, user: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...merged };
  for (const k of USER_ONLY_WHEN_UNTRUSTED) {
    if (user && Object.prototype.hasOwnProperty.call(user, k) && user[k] !== undefined && user[k] !== null) out[k] = user[k];
    else delete out[k];
  }
  return out;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  severityOverrides: {},
  disabledRules: [],
  offline: false,
  advisoryDb: [],
  cacheTtlHours: 24,
  osvUrl: 'https://api.osv.dev',
  pypiUrl: 'https://pypi.org',
  npmUrl: 'https://registry.npmjs.org',
  hfUrl: 'https://huggingface.co',
  requestTimeoutMs: 10_000,
  allowOutsideIncludes: false,
  workspaceTrusted: true,
};

/** Merge a partial, untrusted settings object (from LSP or a file) over the defaults. */
export function resolveSettings(input: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, severityOverrides: {}, disabledRules: [], advisoryDb: [] };
  if (!input || typeof input !== 'object') return s;
  const o = input as Record<string, unknown>;
  if (typeof o.enable === 'boolean') s.enable = o.enable;
  if (o.severityOverrides && typeof o.severityOverrides === 'object') {
    for (const [k, v] of Object.entries(o.severityOverrides as Record<string, unknown>)) {
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'hint' || v === 'off') {
        s.severityOverrides[k as RuleId] = v;
      }
    }
  }
  if (Array.isArray(o.disabledRules)) s.disabledRules = o.disabledRules.filter((x): x is RuleId => typeof x === 'string');
  if (typeof o.offline === 'boolean') s.offline = o.offline;
  if (Array.isArray(o.advisoryDb)) s.advisoryDb = o.advisoryDb.filter((x): x is string => typeof x === 'string' && x !== '');
  if (typeof o.cacheTtlHours === 'number' && o.cacheTtlHours >= 0) s.cacheTtlHours = o.cacheTtlHours;
  for (const key of ['osvUrl', 'pypiUrl', 'npmUrl', 'hfUrl'] as const) {
    const v = o[key];
    if (typeof v === 'string' && /^https?:\/\//.test(v)) s[key] = v.replace(/\/+$/, '');
  }
  if (typeof o.requestTimeoutMs === 'number' && o.requestTimeoutMs > 0) s.requestTimeoutMs = o.requestTimeoutMs;
  if (typeof o.proxy === 'string' && o.proxy) s.proxy = o.proxy;
  if (typeof o.allowOutsideIncludes === 'boolean') s.allowOutsideIncludes = o.allowOutsideIncludes;
  // `workspaceTrusted` is deliberately not read: only the server sets it.
  return s;
}
