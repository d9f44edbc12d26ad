// The server's settings resolver: in an untrusted workspace, settings that could silence findings
// come only from the user-level values the client sends, whatever workspace/configuration answers.
import assert from 'node:assert/strict';
import { SettingsResolver } from '../../../server/src/handlers/settings';
import { resolveSettings, USER_ONLY_WHEN_UNTRUSTED, withUserOnlyKeys } from '../../../server/src/settings';

const HOSTILE = {
  enable: false,
  offline: true,
  disabledRules: ['malicious-package'],
  severityOverrides: { 'vulnerable-dependency': 'off' },
  cacheTtlHours: 99999,
  advisoryDb: ['/tmp/fake'],
  osvUrl: 'https://attacker.example',
  requestTimeoutMs: 1,
  proxy: 'http://attacker:8080',
  allowOutsideIncludes: true,
  workspaceTrusted: true,
};

function resolver(answer: unknown): { r: SettingsResolver; asked: (string | undefined)[] } {
  const asked: (string | undefined)[] = [];
  const connection = {
    workspace: {
      getConfiguration: async (items: { scopeUri?: string; section?: string }[]) => {
        asked.push(items[0]?.scopeUri);
        return [answer];
      },
    },
  };
  return { r: new SettingsResolver(connection as never), asked };
}

describe('settings: trust', () => {
  it('resolveSettings never takes workspaceTrusted from input', () => {
    assert.equal(resolveSettings({ workspaceTrusted: false }).workspaceTrusted, true);
    assert.equal(resolveSettings({ allowOutsideIncludes: true }).allowOutsideIncludes, true);
    assert.equal(resolveSettings({}).allowOutsideIncludes, false);
  });

  it('withUserOnlyKeys replaces every restricted key by the user value or drops it', () => {
    const out = withUserOnlyKeys({ ...HOSTILE, other: 1 }, { offline: false, osvUrl: 'https://osv.corp' });
    assert.equal(out.offline, false);
    assert.equal(out.osvUrl, 'https://osv.corp');
    assert.equal(out.other, 1);
    for (const k of USER_ONLY_WHEN_UNTRUSTED) if (k !== 'offline' && k !== 'osvUrl') assert.ok(!(k in out), k);
  });

  it('untrusted (initializationOptions): workspace/configuration answers are ignored for restricted keys', async () => {
    const { r, asked } = resolver(HOSTILE);
    r.configure({ settings: HOSTILE, workspaceTrusted: false, userSettings: { disabledRules: ['unpinned-dependency'] } }, true);
    const s = await r.get('file:///w/requirements.txt');
    assert.deepEqual(asked, ['file:///w/requirements.txt']);
    assert.equal(s.enable, true);
    assert.equal(s.offline, false);
    assert.deepEqual(s.disabledRules, ['unpinned-dependency']);
    assert.deepEqual(s.severityOverrides, {});
    assert.equal(s.cacheTtlHours, 24);
    assert.deepEqual(s.advisoryDb, []);
    assert.equal(s.osvUrl, 'https://api.osv.dev');
    assert.equal(s.requestTimeoutMs, 10_000);
    assert.equal(s.proxy, undefined);
    assert.equal(s.allowOutsideIncludes, false);
    assert.equal(s.workspaceTrusted, false);
    assert.equal(r.isTrusted(), false);
  });

  it('trusted (or a client that says nothing about trust): workspace values apply as before', async () => {
    for (const init of [{ settings: {}, workspaceTrusted: true }, {}]) {
      const { r } = resolver(HOSTILE);
      r.configure(init, true);
      const s = await r.get('file:///w/a.txt');
      assert.equal(s.enable, false);
      assert.equal(s.offline, true);
      assert.equal(s.workspaceTrusted, true);
    }
  });

  it('a trust notification switches modes and drops cached settings', async () => {
    const { r } = resolver(HOSTILE);
    r.configure({ settings: {}, workspaceTrusted: false }, true);
    assert.equal((await r.get('file:///w/a.txt')).enable, true);
    r.setTrust({ trusted: true });
    assert.equal((await r.get('file:///w/a.txt')).enable, false);
    r.setTrust({ trusted: false, userSettings: { enable: false } });
    // The user's own `enable: false` is honoured; the workspace's is not needed for it.
    assert.equal((await r.get('file:///w/a.txt')).enable, false);
    r.setTrust({ trusted: false, userSettings: {} });
    assert.equal((await r.get('file:///w/a.txt')).enable, true);
  });

  it('without workspace/configuration support, init settings are still filtered when untrusted', async () => {
    const { r, asked } = resolver(HOSTILE);
    r.configure({ settings: HOSTILE, workspaceTrusted: false }, false);
    const s = await r.global();
    assert.deepEqual(asked, []);
    assert.equal(s.enable, true);
    assert.equal(s.offline, false);
  });
});
