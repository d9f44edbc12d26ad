import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine/engine';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { resolveSettings } from '../../../server/src/settings';
import { apply, MemoryAdvisories, MemoryRegistry, record } from './helpers';

const jinja = record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }]);
const yamlHigh = record('GHSA-yaml', 'pyyaml', [{ introduced: '0' }, { fixed: '5.4' }], { database_specific: { severity: 'CRITICAL' } });
const regVersions = { jinja2: ['2.10', '2.10.1', '2.11.2', '2.11.3', '3.0.0', '3.1.4'], pyyaml: ['5.3', '5.3.1', '5.4', '6.0'], requests: ['2.31.0'] };

function engine(settings = {}) {
  const adv = new MemoryAdvisories([jinja, yamlHigh]);
  const reg = new MemoryRegistry(regVersions);
  return { adv, reg, engine: new Engine({ advisories: adv, registries: { PyPI: reg } }, resolveSettings(settings)) };
}

const req = (text: string, uri = '/ws/requirements.txt'): EngineDocument => ({ uri, path: uri, text, kind: 'requirements' });

describe('Engine.analyze (dependencies)', () => {
  it('reports an affected pin with severity from the advisory, and fixes to the nearest and latest safe versions', async () => {
    const { engine: e } = engine();
    const text = 'jinja2==2.10.1  # web\npyyaml==5.3\n';
    const [doc] = (await e.analyze([req(text)])).documents;
    const v = doc.findings.filter((f) => f.rule === 'vulnerable-dependency');
    assert.equal(v.length, 2);
    const j = v.find((f) => f.package?.name === 'jinja2')!;
    assert.equal(j.severity, 'warning');
    assert.equal(text.slice(j.range.start, j.range.end), 'jinja2');
    assert.deepEqual(j.fixes!.map((f) => f.title), ['Pin jinja2 to 2.11.3 (nearest safe version)', 'Pin jinja2 to 3.1.4 (latest safe version)']);
    assert.equal(apply(text, j.fixes![0].edits), 'jinja2==2.11.3  # web\npyyaml==5.3\n');
    const y = v.find((f) => f.package?.name === 'pyyaml')!;
    assert.equal(y.severity, 'error', 'CRITICAL -> error');
  });

  it('evaluates the newest version a range allows, and raises the lower bound when only older ones are affected', async () => {
    const { engine: e } = engine();
    const text = 'jinja2>=2.0,<2.11\npyyaml>=5.0\n';
    const [doc] = (await e.analyze([req(text)])).documents;
    const j = doc.findings.find((f) => f.package?.name === 'jinja2' && f.rule === 'vulnerable-dependency')!;
    assert.match(j.message, /2\.10\.1 \(the newest version/);
    assert.equal(j.severity, 'warning');
    const y = doc.findings.find((f) => f.package?.name === 'pyyaml' && f.rule === 'vulnerable-dependency')!;
    assert.equal(y.severity, 'info');
    assert.match(y.message, /admits vulnerable versions/);
    assert.equal(apply(text, y.fixes![0].edits), 'jinja2>=2.0,<2.11\npyyaml>=5.4\n');
  });

  it('asks pins by version and ranges by name in one batch, then every advisory of an affected package', async () => {
    const { engine: e, adv } = engine();
    await e.analyze([req('jinja2==2.10\nrequests==2.31.0\npyyaml>=5\n')]);
    assert.deepEqual(adv.calls[0], [
      { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
      { ecosystem: 'PyPI', name: 'pyyaml' },
    ]);
    assert.deepEqual(adv.calls[1], [{ ecosystem: 'PyPI', name: 'jinja2' }]);
    assert.equal(adv.calls.length, 2);
  });

  it('uses a lockfile version for a range and links the lock entry', async () => {
    const { engine: e } = engine();
    const lock = { uri: '/ws/uv.lock', path: '/ws/uv.lock', kind: 'uv.lock' as const, text: 'version = 1\n\n[[package]]\nname = "jinja2"\nversion = "2.10"\nsource = { registry = "https://pypi.org/simple" }\n' };
    const py = { uri: '/ws/pyproject.toml', path: '/ws/pyproject.toml', kind: 'pyproject' as const, text: '[project]\nname = "x"\ndependencies = ["jinja2>=2"]\n' };
    const res = await e.analyze([py], { context: [lock] });
    const f = res.documents[0].findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.match(f.message, /jinja2 2\.10 \(locked\)/);
    assert.equal(f.related?.[0].uri, '/ws/uv.lock');
    assert.ok(!res.documents[0].findings.some((x) => x.rule === 'unpinned-dependency'), 'a locked range is not unpinned');
  });

  it('honours # aidr: ignore on the line and on the line before', async () => {
    const { engine: e } = engine();
    const text = 'jinja2==2.10  # aidr: ignore[vulnerable-dependency]\n# aidr: ignore\npyyaml==5.3\npyyaml==5.3.1  # aidr: ignore[unpinned-dependency]\n';
    const [doc] = (await e.analyze([req(text)])).documents;
    const lines = doc.findings.map((f) => text.slice(0, f.range.start).split('\n').length);
    assert.deepEqual(lines, [4], 'only the last line, whose comment names another rule');
  });

  it('applies severity overrides and disabled rules', async () => {
    const { engine: e } = engine({ severityOverrides: { 'vulnerable-dependency': 'info' }, disabledRules: ['unpinned-dependency'] });
    const [doc] = (await e.analyze([req('jinja2==2.10\nrequests\n')])).documents;
    assert.deepEqual(doc.findings.map((f) => [f.rule, f.severity]), [['vulnerable-dependency', 'info']]);
  });

  it('treats -c constraint pins as the versions of unpinned requirements', async () => {
    const { engine: e } = engine();
    const files: Record<string, string> = { '/ws/constraints.txt': 'jinja2==2.10\n' };
    const [doc] = (await e.analyze([req('-c constraints.txt\njinja2\n')], { readFile: async (p) => files[p] })).documents;
    const f = doc.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.match(f.message, /jinja2 2\.10/);
  });

  it('reports a missing include on its line and keeps analysing the rest', async () => {
    const { engine: e } = engine();
    const [doc] = (await e.analyze([req('-r missing.txt\njinja2==2.10\n')], { readFile: async () => undefined })).documents;
    assert.ok(doc.problems.some((p) => /missing\.txt/.test(p.message)));
    assert.ok(doc.findings.some((f) => f.rule === 'vulnerable-dependency'));
  });

  it('keeps the hash caveat on fixes for hashed requirement lines', async () => {
    const { engine: e } = engine();
    const text = 'jinja2==2.10 \\\n    --hash=sha256:aaaa\n';
    const [doc] = (await e.analyze([req(text)])).documents;
    const f = doc.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.match(f.fixes![0].title, /regenerate hashes/);
    assert.match(f.fixes![0].note!, /--hash/);
    assert.equal(apply(text, f.fixes![0].edits), 'jinja2==2.11.3 \\\n    --hash=sha256:aaaa\n');
  });

  it('skips URL dependencies and reports nothing for clean pins', async () => {
    const { engine: e } = engine();
    const [doc] = (await e.analyze([req('jinja2 @ https://example.com/jinja2-2.10.tar.gz\nrequests==2.31.0\n')])).documents;
    assert.deepEqual(doc.findings, []);
  });

  it('reports notebook %pip install lines with their cell', async () => {
    const { engine: e } = engine();
    const nb: EngineDocument = { uri: '/ws/a.ipynb', kind: 'notebook', text: '', cells: [{ text: '# setup', kind: 'markdown' }, { text: '%pip install -q jinja2==2.10\n', kind: 'code' }] };
    const [doc] = (await e.analyze([nb])).documents;
    const f = doc.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.equal(f.cell, 1);
    assert.equal('%pip install -q jinja2==2.10\n'.slice(f.range.start, f.range.end), 'jinja2');
  });

  it('reports a vulnerable transitive package from uv.lock on the direct dependency that pulls it in', async () => {
    const urllib3 = record('PYSEC-urllib3', 'urllib3', [{ introduced: '0' }, { fixed: '1.26.18' }], { database_specific: { severity: 'HIGH' } });
    const e = new Engine({ advisories: new MemoryAdvisories([urllib3]), registries: { PyPI: new MemoryRegistry({ urllib3: ['1.26.5', '1.26.18'] }) } }, resolveSettings({}));
    const pyproject = '[project]\nname = "app"\nversion = "1"\ndependencies = ["transformers>=4", "tqdm"]\n';
    const lock = [
      'version = 1',
      '',
      '[[package]]',
      'name = "app"',
      'version = "1"',
      'source = { editable = "." }',
      'dependencies = [{ name = "transformers" }, { name = "tqdm" }]',
      '',
      '[[package]]',
      'name = "transformers"',
      'version = "4.40.0"',
      'source = { registry = "https://pypi.org/simple" }',
      'dependencies = [{ name = "requests" }, { name = "tqdm" }]',
      '',
      '[[package]]',
      'name = "requests"',
      'version = "2.31.0"',
      'source = { registry = "https://pypi.org/simple" }',
      'dependencies = [{ name = "urllib3" }]',
      '',
      '[[package]]',
      'name = "urllib3"',
      'version = "1.26.5"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
      '[[package]]',
      'name = "tqdm"',
      'version = "4.66.0"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
    ].join('\n');
    const res = await e.analyze([{ uri: '/ws/pyproject.toml', path: '/ws/pyproject.toml', kind: 'pyproject', text: pyproject }], {
      context: [{ uri: '/ws/uv.lock', path: '/ws/uv.lock', kind: 'uv.lock', text: lock }],
    });
    const f = res.documents[0].findings.filter((x) => x.rule === 'vulnerable-dependency');
    assert.equal(f.length, 1, JSON.stringify(res.documents[0].findings.map((x) => x.message)));
    assert.equal(pyproject.slice(f[0].range.start, f[0].range.end), 'transformers');
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /pulls in urllib3 1\.26\.5 \(transformers → requests → urllib3, locked in uv\.lock\)/);
    assert.deepEqual(f[0].package, { ecosystem: 'PyPI', name: 'urllib3', version: '1.26.5' });
    assert.equal(f[0].related?.[0].uri, '/ws/uv.lock');
    assert.equal(res.documents.length, 1, 'the lockfile is context, not reported');
  });

  it('for a pin, the advisory service decides which advisories affect the version (OSV semantics)', async () => {
    const gitOnly: import('../../../server/src/domain').OsvRecord = {
      id: 'OSV-GIT',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, ranges: [{ type: 'GIT', repo: 'https://x', events: [{ introduced: '0' }, { fixed: 'abc' }] }] }],
    };
    const other = record('OTHER', 'jinja2', [{ introduced: '0' }, { fixed: '9' }]);
    // A service that says OSV-GIT affects 2.10 (matched by commit), and does not list OTHER for it.
    const svc = {
      async query(qs: import('../../../server/src/domain').PackageQuery[]) {
        return { results: qs.map((q) => (q.version ? [gitOnly] : [gitOnly, other])), freshness: { fetchedAt: Date.now(), stale: false, origin: 'network' as const }, errors: [] };
      },
    };
    const e = new Engine({ advisories: svc, registries: { PyPI: new MemoryRegistry(regVersions) } }, resolveSettings({}));
    const [doc] = (await e.analyze([req('jinja2==2.10\n')])).documents;
    const f = doc.findings.find((x) => x.rule === 'vulnerable-dependency')!;
    assert.deepEqual(f.advisories!.map((a) => a.id), ['OSV-GIT']);
  });

  it('skips a document too large to analyse with one clear problem', async () => {
    const { engine: e } = engine();
    const big = 'jinja2==2.10\n' + 'x = 1\n'.repeat(900_000);
    const [doc] = (await e.analyze([{ uri: '/ws/huge.py', path: '/ws/huge.py', kind: 'python', text: big }])).documents;
    assert.deepEqual(doc.findings, []);
    assert.match(doc.problems[0].message, /too large/);
  });
});
