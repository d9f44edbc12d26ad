// The policy inside the engine: which policy a document follows (nearest up the tree, per project,
// [tool.aidr] too), policy findings on manifests and code, levels and ignores after the settings,
// trust, the injected clock, and the policy file's own problems.
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import type { Ecosystem, ModelAnswer, ModelInfo, ModelProvider, PackageMetadata, RegistryAnswer, RegistryProvider, ReleaseInfo } from '../../../server/src/domain';
import { resolveSettings, type Settings } from '../../../server/src/settings';
import { MemoryAdvisories, record } from './helpers';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

class Registry implements RegistryProvider {
  readonly asked: string[] = [];
  constructor(private readonly releases: Record<string, { releases: ReleaseInfo[]; license?: string }>) {}
  async metadata(ecosystem: Ecosystem, names: string[]): Promise<RegistryAnswer> {
    this.asked.push(...names);
    const packages = new Map<string, PackageMetadata>();
    for (const n of names) {
      const r = this.releases[n];
      if (r) packages.set(n, { ecosystem, name: n, releases: r.releases, ...(r.license ? { license: r.license } : {}), freshness: { fetchedAt: NOW, stale: false, origin: 'network' } });
    }
    return { packages, notFound: new Set(), errors: [] };
  }
}

class Models implements ModelProvider {
  readonly asked: { id: string; revision?: string }[][] = [];
  constructor(private readonly infos: Record<string, Omit<ModelInfo, 'freshness' | 'id'>>) {}
  async models(ids: { id: string; revision?: string }[]): Promise<ModelAnswer> {
    this.asked.push(ids);
    const models = new Map<string, ModelInfo>();
    for (const { id, revision } of ids) {
      const i = this.infos[id];
      if (i) models.set(revision ? `${id}@${revision}` : id, { id, ...i, freshness: { fetchedAt: NOW, stale: false, origin: 'network' } });
    }
    return { models, notFound: new Set(), errors: [] };
  }
}

const rel = (v: string, daysAgo: number): ReleaseInfo => ({ version: v, yanked: false, uploadTime: new Date(NOW - daysAgo * DAY).toISOString() });
const REGISTRY = {
  torch: { releases: [rel('2.5.1', 200), rel('2.6.0', 100), rel('2.7.0', 2)], license: 'BSD-3-Clause' },
  requests: { releases: [rel('2.32.3', 300)], license: 'Apache-2.0' },
  'some-agpl-tool': { releases: [rel('1.0', 300)], license: 'AGPL-3.0-only' },
};

function setup(opts: { settings?: Partial<Settings> & Record<string, unknown>; trusted?: boolean; models?: Models } = {}) {
  const registry = new Registry(REGISTRY);
  const models = opts.models ?? new Models({});
  const settings = resolveSettings(opts.settings ?? {});
  if (opts.trusted === false) settings.workspaceTrusted = false;
  const engine = new Engine({ advisories: new MemoryAdvisories([record('PYSEC-1', 'requests', [{ introduced: '0' }, { fixed: '9' }])]), registries: { PyPI: registry }, models }, settings);
  return { engine, registry, models, settings };
}

const doc = (p: string, text: string): EngineDocument => {
  const base = p.split('/').pop()!;
  const kind = base === 'aidr.toml' ? 'policy' : base === 'pyproject.toml' ? 'pyproject' : base.endsWith('.py') ? 'python' : 'requirements';
  return { uri: p, path: p, text, kind };
};

async function run(e: Engine, reported: EngineDocument[], context: EngineDocument[] = [], extra: { now?: number; settingsFor?: (d: EngineDocument) => Settings } = {}) {
  const res = await e.analyze(reported, { context, roots: ['/ws'], now: () => extra.now ?? NOW, ...(extra.settingsFor ? { settingsFor: extra.settingsFor } : {}) });
  return new Map(res.documents.map((d) => [d.uri, d]));
}

const rules = (d: { findings: { rule: string; package?: { name: string } }[] } | undefined) => (d?.findings ?? []).map((f) => `${f.rule}${f.package ? `:${f.package.name}` : ''}`);

describe('Engine with a policy (aidr.toml)', () => {
  it('a policy in a subfolder governs that project only; the nearest policy wins', async () => {
    const { engine } = setup();
    const ml = doc('/ws/ml/requirements.txt', 'torch==2.6.0\nrequests==2.32.3\n');
    const api = doc('/ws/api/requirements.txt', 'torch==2.6.0\nrequests==2.32.3\n');
    const top = doc('/ws/requirements.txt', 'torch==2.6.0\n');
    const policies = [doc('/ws/ml/aidr.toml', '[packages]\ndeny = ["torch"]\n'), doc('/ws/aidr.toml', '[packages]\ndeny = ["requests"]\n')];
    const out = await run(engine, [ml, api, top], policies);
    assert.ok(rules(out.get(ml.uri)).includes('package-denied:torch'));
    assert.ok(!rules(out.get(ml.uri)).includes('package-denied:requests'), 'the nearer policy applies alone');
    assert.ok(rules(out.get(api.uri)).includes('package-denied:requests'), 'the root policy covers projects without their own');
    assert.ok(!rules(out.get(api.uri)).includes('package-denied:torch'));
    assert.deepEqual(rules(out.get(top.uri)).filter((r) => r.startsWith('package-denied')), []);
  });

  it('[tool.aidr] in pyproject.toml governs its folder, and an aidr.toml beside it wins', async () => {
    const { engine } = setup();
    const py = doc('/ws/svc/pyproject.toml', '[project]\nname = "svc"\ndependencies = ["requests==2.32.3"]\n\n[tool.aidr.packages]\ndeny = ["requests"]\n');
    const req = doc('/ws/svc/requirements-dev.txt', 'requests==2.32.3\n');
    const out = await run(engine, [py, req]);
    assert.ok(rules(out.get(py.uri)).includes('package-denied:requests'));
    assert.ok(rules(out.get(req.uri)).includes('package-denied:requests'));
    const beside = doc('/ws/svc/aidr.toml', '[packages]\ndeny = []\n');
    const again = await run(engine, [py, req], [beside]);
    assert.ok(!rules(again.get(req.uri)).includes('package-denied:requests'));
    const note = again.get(py.uri)!.problems.find((p) => /is not used/.test(p.message));
    assert.ok(note, 'the shadowed [tool.aidr] says so');
    assert.equal(py.text.slice(note.range.start, note.range.end), 'tool.aidr');
  });

  it('levels and ignores apply after the settings; the user settings still turn rules off', async () => {
    const policy = doc('/ws/aidr.toml', `[rules]\nunpinned-dependency = "error"\n[[ignore]]\nrule = "vulnerable-dependency"\npackage = "requests"\nreason = "not reachable"\n`);
    const req = doc('/ws/requirements.txt', 'requests==2.32.3\nnumpy\n');
    const a = await run(setup().engine, [req], [policy]);
    assert.deepEqual(a.get(req.uri)!.findings.map((f) => [f.rule, f.severity]), [['unpinned-dependency', 'error']]);
    const b = await run(setup({ settings: { disabledRules: ['unpinned-dependency'] } }).engine, [req], [policy]);
    assert.deepEqual(rules(b.get(req.uri)), []);
  });

  it('an untrusted workspace: the policy still denies, but ignores and lowered levels do not apply', async () => {
    const policy = doc('/ws/aidr.toml', `[packages]\ndeny = ["torch"]\n[rules]\nvulnerable-dependency = "off"\n[[ignore]]\nrule = "unpinned-dependency"\npath = "**"\nreason = "later"\n`);
    const req = doc('/ws/requirements.txt', 'torch==2.6.0\nrequests==2.32.3\nnumpy\n');
    const { engine } = setup({ trusted: false });
    const out = await run(engine, [req, policy]);
    assert.deepEqual(rules(out.get(req.uri)).sort(), ['package-denied:torch', 'unpinned-dependency:numpy', 'vulnerable-dependency:requests']);
    const notes = out.get(policy.uri)!.problems.map((p) => p.message);
    assert.equal(notes.filter((m) => /not trusted/.test(m)).length, 2);
    const trusted = await run(setup().engine, [req, policy]);
    assert.deepEqual(rules(trusted.get(req.uri)), ['package-denied:torch']);
  });

  it('min-release-age: registry metadata is fetched for every package, and the clock decides', async () => {
    const policy = doc('/ws/aidr.toml', '[packages]\nmin-release-age = "7d"\n');
    const req = doc('/ws/requirements.txt', 'torch==2.7.0\n');
    const { engine, registry } = setup();
    const out = await run(engine, [req], [policy]);
    assert.ok(registry.asked.includes('torch'), 'torch is popular and has no advisory: only the policy needs its metadata');
    const f = out.get(req.uri)!.findings.find((x) => x.rule === 'new-release')!;
    assert.match(f.message, /torch 2\.7\.0 was released 2 days ago/);
    assert.equal(f.fixes?.[0]?.title, 'Pin torch to 2.6.0 (newest earlier release older than 7d)');
    const later = await run(setup().engine, [req], [policy], { now: NOW + 6 * DAY });
    assert.deepEqual(rules(later.get(req.uri)), []);
    const { registry: quiet } = setup();
    await run(new Engine({ advisories: new MemoryAdvisories([]), registries: { PyPI: quiet } }, resolveSettings({})), [req]);
    assert.ok(!quiet.asked.includes('torch'), 'without a policy the popular package is not looked up');
  });

  it('`# aidr: ignore[rule]` comments silence policy findings too, in manifests and in code', async () => {
    const policy = doc('/ws/aidr.toml', '[packages]\ndeny = ["torch", "requests"]\n[models]\ndeny = ["acme/*"]\n');
    const req = doc('/ws/requirements.txt', 'torch==2.6.0  # aidr: ignore[package-denied]\nrequests==2.32.3  # aidr: ignore[unpinned-dependency]\n');
    const py = doc('/ws/app.py', 'from transformers import AutoModel\nm = AutoModel.from_pretrained("acme/x")  # aidr: ignore[model-not-approved]\nn = AutoModel.from_pretrained("acme/y")\n');
    const out = await run(setup().engine, [req, py], [policy]);
    assert.deepEqual(rules(out.get(req.uri)).filter((r) => r.startsWith('package-denied')), ['package-denied:requests']);
    const m = out.get(py.uri)!.findings.filter((f) => f.rule === 'model-not-approved');
    assert.deepEqual(m.map((f) => py.text.slice(f.range.start, f.range.end)), ['acme/y']);
  });

  it('package licences from the registry', async () => {
    const policy = doc('/ws/aidr.toml', '[licenses]\ndeny = ["AGPL-*"]\n');
    const req = doc('/ws/requirements.txt', 'some-agpl-tool==1.0\nrequests==2.32.3\n');
    const out = await run(setup().engine, [req], [policy]);
    assert.deepEqual(rules(out.get(req.uri)).filter((r) => r.startsWith('license-policy')), ['license-policy:some-agpl-tool']);
  });

  describe('models in code', () => {
    const code = `from transformers import AutoModel\n\nm = AutoModel.from_pretrained("acme/bert-tiny", trust_remote_code=True)\nn = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B", revision="${SHA}")\n`;
    const py = doc('/ws/app/train.py', code);

    it('reports models outside the approved families and fixes a missing commit pin with the Hub sha', async () => {
      const models = new Models({ 'acme/bert-tiny': { sha: SHA, files: ['model.safetensors'], license: 'apache-2.0' } });
      const policy = doc('/ws/aidr.toml', '[models]\nallow = ["meta-llama/*", "acme/*"]\nrequire-revision = true\n');
      const e = new Engine({ advisories: new MemoryAdvisories([]), registries: {}, models }, resolveSettings({}));
      const res = await e.analyze([py], { context: [policy], roots: ['/ws'], now: () => NOW, fetchModelShas: true });
      const d = res.documents[0]!;
      const mna = d.findings.filter((f) => f.rule === 'model-not-approved');
      assert.equal(mna.length, 1);
      assert.equal(code.slice(mna[0]!.range.start, mna[0]!.range.end), 'acme/bert-tiny');
      assert.match(mna[0]!.message, /requires Hub loads to pin a commit/);
      assert.equal(mna[0]!.fixes?.[0]?.edits[0]?.newText.includes(SHA), true, 'the pin fix of unpinned-model-revision, with the Hub sha');
      assert.ok(!d.findings.some((f) => f.rule === 'unpinned-model-revision'), 'the policy finding replaces the info one');
      const strict = doc('/ws/aidr.toml', '[models]\nallow = ["meta-llama/*"]\n');
      const res2 = await new Engine({ advisories: new MemoryAdvisories([]), registries: {} }, resolveSettings({})).analyze([py], { context: [strict], roots: ['/ws'], now: () => NOW });
      const f = res2.documents[0]!.findings.find((x) => x.rule === 'model-not-approved')!;
      assert.match(f.message, /^The model acme\/bert-tiny is not on the project's list of approved models/);
      assert.ok(res2.documents[0]!.findings.some((x) => x.rule === 'unpinned-model-revision'), 'without require-revision the info finding stays');
    });

    it('asks the Hub only when the policy needs licences or formats', async () => {
      const models = new Models({ 'acme/bert-tiny': { files: ['pytorch_model.bin'], license: 'cc-by-nc-4.0' }, 'meta-llama/Llama-3.1-8B': { files: ['model.safetensors'], license: 'llama3.1' } });
      const policy = doc('/ws/aidr.toml', '[models]\nformats = ["safetensors"]\nlicenses.deny = ["cc-by-nc-*"]\n');
      const { engine } = setup({ models });
      const out = await run(engine, [py], [policy]);
      const fs = out.get(py.uri)!.findings.filter((f) => f.rule === 'model-not-approved' || f.rule === 'license-policy');
      assert.deepEqual(fs.map((f) => [f.rule, code.slice(f.range.start, f.range.end)]), [
        ['model-not-approved', 'acme/bert-tiny'],
        ['license-policy', 'acme/bert-tiny'],
      ]);
      assert.deepEqual(models.asked.at(-1), [{ id: 'acme/bert-tiny' }, { id: 'meta-llama/Llama-3.1-8B', revision: SHA }]);
      const none = new Models({});
      await run(setup({ models: none }).engine, [py], [doc('/ws/aidr.toml', '[models]\nallow = ["*/*"]\n')]);
      assert.deepEqual(none.asked, []);
    });

    it('an ignore for a model covers findings on its loading call; an expired one stops working', async () => {
      const policy = doc('/ws/aidr.toml', '[[ignore]]\nrule = "trust-remote-code"\nmodel = "acme/*"\nreason = "We reviewed the modelling code"\nexpires = 2025-07-01\n');
      const before = await run(setup().engine, [py], [policy]);
      assert.ok(!rules(before.get(py.uri)).includes('trust-remote-code'));
      const after = await run(setup().engine, [py, policy], [], { now: Date.UTC(2025, 6, 1) });
      const back = after.get(py.uri)!.findings.find((f) => f.rule === 'trust-remote-code')!;
      assert.match(back.message, /\(The ignore for this in aidr\.toml expired on 2025-07-01\.\)$/);
      const warn = after.get(policy.uri)!.problems.find((p) => /expired/.test(p.message))!;
      assert.equal(warn.severity, 'warning');
      assert.equal(policy.text.slice(warn.range.start, warn.range.end), '2025-07-01');
      const other = doc('/ws/aidr.toml', '[[ignore]]\nrule = "trust-remote-code"\nmodel = "meta-llama/*"\nreason = "r"\n');
      assert.ok(rules((await run(setup().engine, [py], [other])).get(py.uri)).includes('trust-remote-code'), 'another model: not covered');
    });
  });

  it('a dense file: thousands of model loads with a model ignore and require-revision stay quick and exact', async function () {
    this.timeout(60_000);
    const n = 3000;
    const lines = ['from transformers import AutoModel'];
    for (let i = 0; i < n; i++) lines.push(`m${i} = AutoModel.from_pretrained(\n    "acme/m${i}",\n    trust_remote_code=True,\n)`);
    const py = doc('/ws/dense.py', lines.join('\n') + '\n');
    const policy = doc('/ws/aidr.toml', '[models]\nrequire-revision = true\n[[ignore]]\nrule = "trust-remote-code"\nmodel = "acme/m1*"\nreason = "reviewed"\n');
    const out = await run(setup().engine, [py], [policy]);
    const fs = out.get(py.uri)!.findings;
    const count = (rule: string) => fs.filter((f) => f.rule === rule).length;
    assert.equal(count('model-not-approved'), n);
    assert.equal(count('unpinned-model-revision'), 0);
    // acme/m1, acme/m10-19, m100-199, m1000-1999 are ignored: 1 + 10 + 100 + 1000.
    assert.equal(count('trust-remote-code'), n - 1111);
  });

  it('the policy file analysed itself reports its problems, and nothing from a broken one applies', async () => {
    const policy = doc('/ws/aidr.toml', '[packages]\ndeny = ["torch"]\nmin_release_age = "7d"\n');
    const out = await run(setup().engine, [policy]);
    const d = out.get(policy.uri)!;
    assert.equal(d.kind, 'policy');
    assert.deepEqual(d.findings, []);
    assert.deepEqual(d.problems.map((p) => policy.text.slice(p.range.start, p.range.end)), ['min_release_age']);
    const broken = doc('/ws/aidr.toml', '[packages\ndeny = ["torch"]\n');
    const req = doc('/ws/requirements.txt', 'torch==2.6.0\n');
    const res = await run(setup().engine, [req, broken]);
    assert.deepEqual(rules(res.get(req.uri)).filter((r) => r.startsWith('package-denied')), []);
    assert.match(res.get(broken.uri)!.problems[0]!.message, /^Invalid TOML/);
  });
});
