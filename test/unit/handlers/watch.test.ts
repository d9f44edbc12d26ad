// The watch's comparison and notification, with the real engine over in-memory sources: what is
// new since the previous check (advisory, malicious, yanked, a model the Hub now flags) is told once,
// in one message whose action opens the first finding; a package that was not there before, the
// baseline, and answers lost to a network error are not news; offline, nothing is checked.
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import type { AdvisoryAnswer, AdvisoryProvider, OsvRecord, PackageQuery } from '../../../server/src/domain';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { Engine } from '../../../server/src/engine/engine';
import type { Runtime } from '../../../server/src/engine/runtime';
import type { HubRef } from '../../../server/src/handlers/supplyChain';
import type { HubFacts } from '../../../server/src/handlers/supplyChainFacts';
import { describeEvents, newEvents, WorkspaceWatch, type WatchEvent } from '../../../server/src/handlers/watch';
import { resolveSettings, type Settings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from '../engine/helpers';
import { FakeClock } from './fakeClock';

class SwitchableAdvisories implements AdvisoryProvider {
  down = false;
  calls = 0;
  constructor(private readonly inner: AdvisoryProvider) {}
  async query(queries: PackageQuery[]): Promise<AdvisoryAnswer> {
    this.calls++;
    if (this.down) return { results: queries.map(() => []), freshness: { fetchedAt: 0, stale: true, origin: 'cache' }, errors: ['OSV: unreachable'] };
    return this.inner.query(queries);
  }
}

interface Shown {
  level: 'error' | 'warning';
  message: string;
  actions: { title: string }[];
}

function setup(text: string, opts: { canShowDocument?: boolean; settings?: Partial<Settings> } = {}) {
  const records: OsvRecord[] = [record('PYSEC-old', 'pyyaml', [{ introduced: '0' }, { fixed: '5.4' }])];
  const versions: Record<string, (string | { version: string; yanked: boolean })[]> = {
    jinja2: ['3.0.0', '3.1.4'],
    requests: ['2.31.0', '2.32.3'],
    evilpkg: ['1.0'],
    pyyaml: ['5.3', '5.4'],
  };
  const advisories = new SwitchableAdvisories(new MemoryAdvisories(records));
  const engine = new Engine({ advisories, registries: { PyPI: new MemoryRegistry(versions) } }, resolveSettings({}));
  const runtime: Runtime = { engine, sources: { advisories, registries: {} }, loadErrors: [], dispose: async () => undefined };
  const docs: EngineDocument[] = [{ uri: 'file:///ws/requirements.txt', path: '/ws/requirements.txt', text, kind: 'requirements' }];
  let settings = resolveSettings({ cacheTtlHours: 1, ...opts.settings });
  const shown: Shown[] = [];
  const opened: unknown[] = [];
  const show = (level: Shown['level']) => async (message: string, ...actions: { title: string }[]) => {
    shown.push({ level, message, actions });
    return actions[0];
  };
  const connection = { window: { showErrorMessage: show('error'), showWarningMessage: show('warning'), showDocument: async (p: unknown) => (opened.push(p), { success: true }) } } as unknown as Pick<Connection, 'window'>;
  const verdicts = new Map<string, HubFacts>();
  const refs: HubRef[] = [];
  let hubVerdict: HubFacts['verdict'] = 'safe';
  const absorbed: number[] = [];
  const clock = new FakeClock();
  let news = 0;
  const watch = new WorkspaceWatch({
    connection,
    analysis: { context: () => docs, workspaceRoots: () => ['/ws'] },
    settings: { global: async () => settings },
    runtimes: { get: async () => runtime },
    supplyChain: {
      absorb: (r) => void absorbed.push(r.length),
      hubRefs: () => refs,
      hubVerdicts: () => verdicts,
      lookupHub: async (_rt, asked) => {
        for (const r of asked) verdicts.set(r.id, { verdict: hubVerdict });
        return [];
      },
    },
    log: () => undefined,
    canShowDocument: opts.canShowDocument ?? true,
    onNews: () => news++,
    clock,
    random: () => 0,
  });
  const check = () => watch.check(new AbortController().signal);
  return {
    watch, check, records, versions, advisories, docs, shown, opened, refs, absorbed, clock,
    news: () => news,
    setHubVerdict: (v: HubFacts['verdict']) => (hubVerdict = v),
    setSettings: (s: Partial<Settings>) => (settings = resolveSettings({ cacheTtlHours: 1, ...s })),
  };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('WorkspaceWatch', () => {
  it('tells nothing on the baseline, then one message for what is new, whose action opens the first finding', async () => {
    const w = setup('jinja2==3.0.0\nrequests==2.31.0\nevilpkg==1.0\n');
    assert.deepEqual(await w.check(), []);
    assert.equal(w.shown.length, 0);
    assert.deepEqual(w.absorbed, [1], 'the supply chain gets the analyses');

    w.records.push(record('GHSA-new', 'jinja2', [{ introduced: '0' }, { fixed: '3.1.4' }], { database_specific: { severity: 'MODERATE' } }));
    w.records.push({ id: 'MAL-2025-1', modified: '2025-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'evilpkg' }, versions: ['1.0'] }] });
    w.versions.requests = [{ version: '2.31.0', yanked: true }, '2.32.3'];
    const events = await w.check();
    assert.deepEqual(events.map((e) => e.kind).sort(), ['advisory', 'malicious', 'yanked'], 'a MAL record is told as malicious only');
    const advisory = events.find((e) => e.kind === 'advisory' && e.ids?.includes('GHSA-new'))!;
    assert.equal(advisory.subject, 'jinja2 3.0.0');
    assert.deepEqual(advisory.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
    assert.equal(events.find((e) => e.kind === 'yanked')?.subject, 'requests 2.31.0');
    assert.deepEqual(events.find((e) => e.kind === 'malicious')?.ids, ['MAL-2025-1']);
    assert.equal(w.shown.length, 1, 'one message per check');
    assert.equal(w.shown[0]!.level, 'error', 'a malicious package makes it an error');
    assert.deepEqual(w.shown[0]!.actions, [{ title: 'Open' }]);
    await settle();
    assert.deepEqual(w.opened, [{ uri: events[0]!.uri, selection: events[0]!.range, takeFocus: true }]);
    assert.equal(w.news(), 1);

    assert.deepEqual(await w.check(), [], 'told once');
    assert.equal(w.shown.length, 1);
  });

  it('a package added since the last check is not news, even with an advisory', async () => {
    const w = setup('jinja2==3.0.0\n');
    await w.check();
    w.docs[0] = { ...w.docs[0]!, text: 'jinja2==3.0.0\npyyaml==5.3\n' };
    assert.deepEqual(await w.check(), []);
    w.records.push(record('GHSA-later', 'pyyaml', [{ introduced: '0' }, { fixed: '5.4' }]));
    const later = await w.check();
    assert.deepEqual(later.map((e) => e.ids), [['GHSA-later']], 'but a new advisory for it afterwards is');
    assert.deepEqual(later[0]!.range.start, { line: 1, character: 0 });
  });

  it('an answer lost to a network error is not news when it comes back', async () => {
    const w = setup('pyyaml==5.3\n');
    await w.check();
    w.advisories.down = true;
    assert.deepEqual(await w.check(), []);
    w.advisories.down = false;
    assert.deepEqual(await w.check(), [], 'PYSEC-old was known before the outage');
  });

  it('tells when the Hub newly flags a model the workspace loads', async () => {
    const w = setup('jinja2==3.1.4\n');
    w.refs.push({ id: 'acme/model', at: { uri: 'file:///ws/train.py', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } } } });
    await w.check();
    w.setHubVerdict('unsafe');
    const events = await w.check();
    assert.deepEqual(events.map((e) => [e.kind, e.subject, e.uri]), [['model', 'acme/model', 'file:///ws/train.py']]);
    assert.equal(w.shown[0]!.message, 'AI Dependency Risk: The Hub now flags acme/model as unsafe (train.py).');
    assert.deepEqual(await w.check(), [], 'still unsafe is not news');
  });

  it('without window/showDocument, the message has no action', async () => {
    const w = setup('jinja2==3.0.0\n', { canShowDocument: false });
    await w.check();
    w.records.push(record('GHSA-new', 'jinja2', [{ introduced: '0' }, { fixed: '3.1.4' }]));
    await w.check();
    assert.equal(w.shown.length, 1);
    assert.deepEqual(w.shown[0]!.actions, []);
    await settle();
    assert.deepEqual(w.opened, []);
  });

  it('offline: checks nothing, and the schedule stops', async () => {
    const w = setup('jinja2==3.0.0\n', { settings: { offline: true } });
    assert.deepEqual(await w.check(), []);
    assert.equal(w.advisories.calls, 0);
    await w.watch.configure();
    await w.clock.advance(100 * 3_600_000);
    assert.equal(w.advisories.calls, 0, 'no scheduled check either');
    w.setSettings({ offline: false });
    await w.watch.configure();
    await w.clock.advance(3_600_000 + 1);
    await settle();
    assert.ok(w.advisories.calls > 0, 'back online, the schedule runs');
    w.watch.dispose();
    const calls = w.advisories.calls;
    await w.clock.advance(100 * 3_600_000);
    assert.equal(w.advisories.calls, calls, 'disposed');
  });

  it('a TTL of 0 turns the schedule off', async () => {
    const w = setup('jinja2==3.0.0\n', { settings: { cacheTtlHours: 0 } });
    await w.watch.configure();
    await w.clock.advance(1000 * 3_600_000);
    assert.equal(w.advisories.calls, 0);
  });
});

describe('watch messages and comparison', () => {
  const e = (kind: WatchEvent['kind'], subject: string, ids?: string[], file = 'requirements.txt'): WatchEvent => ({
    kind, subject, ...(ids ? { ids } : {}), severity: 'warning', uri: `file:///ws/${file}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  });
  const display = (uri: string) => uri.replace('file:///ws/', '');

  it('says one event in one sentence, and several as a count with the first three', () => {
    assert.equal(describeEvents([e('advisory', 'jinja2 3.0.0', ['GHSA-x'])], display), 'AI Dependency Risk: New advisory GHSA-x affects jinja2 3.0.0 (requirements.txt).');
    assert.equal(describeEvents([e('yanked', 'requests 2.31.0')], display), 'AI Dependency Risk: Requests 2.31.0 was yanked (requirements.txt).');
    const many = describeEvents([e('advisory', 'a 1', ['A']), e('malicious', 'b 1', ['MAL-1']), e('yanked', 'c 1'), e('yanked', 'd 1'), e('yanked', 'e 1')], display);
    assert.match(many, /^AI Dependency Risk: 5 new supply-chain findings: new advisory A affects a 1 \(requirements\.txt\); b 1 is now reported malicious \(MAL-1\) \(requirements\.txt\); c 1 was yanked \(requirements\.txt\); and 2 more\.$/);
  });

  it('compares per package: only packages seen before, only keys not seen before', () => {
    const state = (entries: [string, string[]][]) => new Map(entries.map(([pkg, keys]) => [pkg, new Map(keys.map((k) => [k, e('advisory', pkg, [k])]))]));
    const prev = state([['PyPI:a@1', ['advisory:A']], ['PyPI:b@1', []]]);
    const next = state([['PyPI:a@1', ['advisory:A', 'advisory:B']], ['PyPI:b@1', ['yanked:']], ['PyPI:c@1', ['advisory:C']]]);
    assert.deepEqual(newEvents(prev, next).map((x) => x.ids), [['advisory:B'], ['yanked:']]);
    assert.deepEqual(newEvents(next, next), []);
  });
});
