// The client's settings reader against a fake vscode configuration object: which level each
// setting is read from, trusted and untrusted.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { KEYS, MACHINE_KEYS, RESTRICTED_KEYS, readSettingsFrom, userSettingsFrom, type ConfigLike } from '../../../client/src/settingsReader';
import { DEFAULT_SETTINGS, USER_ONLY_WHEN_UNTRUSTED } from '../../../server/src/settings';

type Levels = { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown };

/** A configuration section as VS Code layers it: folder over workspace over user over default. */
function fakeConfig(levels: Record<string, Levels>): ConfigLike & { reads: string[] } {
  const reads: string[] = [];
  const cfg = {
    reads,
    get: <T>(key: string, fallback?: T): T | undefined => {
      reads.push(`get:${key}`);
      const l = levels[key] ?? {};
      return (l.workspaceFolderValue ?? l.workspaceValue ?? l.globalValue ?? l.defaultValue ?? fallback) as T | undefined;
    },
    inspect: <T>(key: string) => {
      reads.push(`inspect:${key}`);
      const l = levels[key];
      return l ? ({ key, ...l } as { key: string; defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T }) : undefined;
    },
  };
  return cfg as unknown as ConfigLike & { reads: string[] };
}

/** Defaults as package.json declares them, plus a hostile workspace that silences everything. */
function hostileWorkspace(user: Record<string, unknown> = {}): Record<string, Levels> {
  const hostile: Record<string, unknown> = {
    enable: false,
    offline: true,
    disabledRules: ['vulnerable-dependency', 'malicious-package'],
    severityOverrides: { 'malicious-package': 'off' },
    cacheTtlHours: 100000,
    advisoryDb: ['./fake-advisories'],
    osvUrl: 'https://attacker.example',
    pypiUrl: 'https://attacker.example',
    npmUrl: 'https://attacker.example',
    hfUrl: 'https://attacker.example',
    requestTimeoutMs: 1,
    allowOutsideIncludes: true,
  };
  const out: Record<string, Levels> = {};
  for (const k of KEYS) {
    out[k] = { defaultValue: (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k], workspaceFolderValue: hostile[k], ...(k in user ? { globalValue: user[k] } : {}) };
  }
  return out;
}

describe('client settings reader', () => {
  it('restricts every key that could silence findings, plus the endpoint and data keys', () => {
    for (const k of ['enable', 'offline', 'disabledRules', 'severityOverrides', 'cacheTtlHours', 'advisoryDb', 'osvUrl', 'pypiUrl', 'npmUrl', 'hfUrl', 'requestTimeoutMs', 'allowOutsideIncludes']) {
      assert.ok(RESTRICTED_KEYS.includes(k), k);
    }
    // The client and server lists agree (the client's has no `proxy`: that is http.proxy).
    assert.deepEqual([...RESTRICTED_KEYS, 'proxy'].sort(), [...USER_ONLY_WHEN_UNTRUSTED].sort());
  });

  it('untrusted: workspace and folder values of restricted keys are ignored; user values and defaults win', () => {
    const cfg = fakeConfig(hostileWorkspace({ disabledRules: ['unpinned-dependency'], offline: false }));
    const s = readSettingsFrom(cfg, false);
    assert.equal(s.enable, true);
    assert.equal(s.offline, false);
    assert.deepEqual(s.disabledRules, ['unpinned-dependency']);
    assert.deepEqual(s.severityOverrides, {});
    assert.equal(s.cacheTtlHours, 24);
    assert.deepEqual(s.advisoryDb, []);
    assert.equal(s.osvUrl, 'https://api.osv.dev');
    assert.equal(s.requestTimeoutMs, 10_000);
    assert.equal(s.allowOutsideIncludes, false);
    // Restricted keys were never read through get(), which merges workspace values.
    for (const k of RESTRICTED_KEYS) assert.ok(!cfg.reads.includes(`get:${k}`), k);
  });

  it('trusted: resource settings follow the workspace; machine settings still do not', () => {
    const s = readSettingsFrom(fakeConfig(hostileWorkspace()), true);
    assert.equal(s.enable, false);
    assert.equal(s.offline, true);
    assert.deepEqual(s.disabledRules, ['vulnerable-dependency', 'malicious-package']);
    assert.deepEqual(s.severityOverrides, { 'malicious-package': 'off' });
    for (const k of MACHINE_KEYS) {
      assert.equal((s as Record<string, unknown>)[k], (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k], k);
    }
  });

  it('proxy: http.proxy from the workspace only when trusted', () => {
    const http = fakeConfig({ proxy: { defaultValue: '', globalValue: 'http://user-proxy:3128', workspaceValue: 'http://attacker:8080' } });
    assert.equal(readSettingsFrom(fakeConfig({}), true, http).proxy, 'http://attacker:8080');
    assert.equal(readSettingsFrom(fakeConfig({}), false, http).proxy, 'http://user-proxy:3128');
    const none = fakeConfig({ proxy: { defaultValue: '', workspaceValue: 'http://attacker:8080' } });
    assert.equal(readSettingsFrom(fakeConfig({}), false, none).proxy, undefined);
  });

  it('userSettingsFrom: only what the user set, never defaults or workspace values', () => {
    const cfg = fakeConfig(hostileWorkspace({ offline: true, osvUrl: 'https://osv.corp.example' }));
    const http = fakeConfig({ proxy: { globalValue: 'http://p:1', workspaceValue: 'http://attacker:2' } });
    assert.deepEqual(userSettingsFrom(cfg, http), { offline: true, osvUrl: 'https://osv.corp.example', proxy: 'http://p:1' });
    assert.deepEqual(userSettingsFrom(fakeConfig(hostileWorkspace())), {});
  });

  it('a missing inspect() result (unknown key) reads as undefined, not a crash', () => {
    const s = readSettingsFrom(fakeConfig({}), false);
    for (const k of KEYS) assert.equal((s as Record<string, unknown>)[k], undefined, k);
  });
});

// Keep the fake honest: it satisfies the slice of the real type the reader uses.
const _typecheck: Pick<vscode.WorkspaceConfiguration, 'get' | 'inspect'> = fakeConfig({});
void _typecheck;
