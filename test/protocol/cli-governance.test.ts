// Governance features of the BUILT tools: `aidr bom` (CycloneDX 1.6, offline and against a loopback
// registry and Hub), baselines across edits, SARIF fingerprints and rule help, and the rule page a
// diagnostic of the real language server links: an existing file that the .vsix ships.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FakeRegistry, pypiDocument, type FakeServerHandle } from '../support/fakeRegistry';
import { cyclonedxErrors } from '../support/cyclonedx';
import { LspClient, ROOT } from './lspClient';

const CLI = path.join(ROOT, 'server/out/cli.js');
const FIX = path.join(ROOT, 'test/fixtures/bom');
const NPM_TOKEN = 'npm_abcdefghijklmnopqrstuvwxyz0123456789';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, AIDR_OSV_URL: '', AIDR_PYPI_URL: '', AIDR_HF_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Component {
  type: string;
  name: string;
  version?: string;
  purl?: string;
  'bom-ref': string;
  hashes?: { alg: string; content: string }[];
  licenses?: { license: { id?: string; name?: string } }[];
  modelCard?: { properties?: { name: string; value: string }[] };
  pedigree?: { ancestors: { purl: string }[] };
}
interface Bom {
  specVersion: string;
  metadata: { component: { name: string } };
  components: Component[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

/** A protocol-2 pickle of `{'w': [1.0, 2.0]}`: a model file by content (built here, never loaded). */
const PICKLE = Buffer.concat([Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x01, 0x00, 0x00, 0x00]), Buffer.from('w'), Buffer.from([0x5d, 0x71, 0x01, 0x28, 0x47]), Buffer.from([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]), Buffer.from([0x47, 0x40, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0x65, 0x73, 0x2e])]);
const TRAIN = ['import torch', 'from transformers import AutoModel', '', 'def main(p):', '    a = torch.load(p)', '    m = AutoModel.from_pretrained("org/model")', '    return a, m', ''].join('\n');

describe('aidr governance (built CLI and server)', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aidr-gov-'));
    cache = mkdtempSync(path.join(os.tmpdir(), 'aidr-gov-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  function project(): void {
    writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["requests>=2"]\n');
    copyFileSync(path.join(FIX, 'uv.lock'), path.join(dir, 'uv.lock'));
    writeFileSync(path.join(dir, 'package.json'), '{"name":"web","dependencies":{"left-pad":"^1.3.0","@scope/util":"2.0.0"}}');
    copyFileSync(path.join(FIX, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    writeFileSync(path.join(dir, 'train.py'), TRAIN);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'models', 'clf.pkl'), PICKLE);
  }

  describe('aidr bom', () => {
    it('offline: valid CycloneDX 1.6 with purls, hashes, graph and models; no credential from the locks', async () => {
      project();
      const out = path.join(dir, 'bom.json');
      const r = await run(['bom', dir, '--offline', '--output', out, '--cache-dir', cache]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      const text = readFileSync(out, 'utf8');
      assert.equal(await cyclonedxErrors(text), null);
      for (const secret of [NPM_TOKEN, 's3cretpass']) assert.ok(!text.includes(secret), secret);
      const bom = JSON.parse(text) as Bom;
      assert.equal(bom.specVersion, '1.6');
      const c = (name: string) => bom.components.find((x) => x.name === name)!;
      assert.equal(c('requests').purl, 'pkg:pypi/requests@2.32.3');
      assert.equal(c('@scope/util').purl, 'pkg:npm/%40scope/util@2.0.0');
      assert.equal(c('@scope/util').hashes![0]!.alg, 'SHA-512');
      assert.equal(c('idna').hashes![0]!.alg, 'SHA-256');
      const deps = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
      assert.ok(deps.get('project')!.includes(c('requests')['bom-ref']));
      assert.ok(deps.get(c('requests')['bom-ref'])!.includes(c('idna')['bom-ref']));
      assert.equal(c('org/model').type, 'machine-learning-model');
      assert.match(JSON.stringify(c('org/model').modelCard), /not checked \(offline\)/);
      // The model file in the tree: recognised by content, hashed whole.
      assert.deepEqual(c('models/clf.pkl').hashes, [{ alg: 'SHA-256', content: createHash('sha256').update(PICKLE).digest('hex') }]);
      assert.equal(c('models/clf.pkl').type, 'machine-learning-model');
    });

    it('online: registry licences and Hub facts (licence, commit, lineage, formats) from loopback servers', async () => {
      project();
      const registry = new FakeRegistry({
        pypi: { requests: pypiDocument('requests', [{ version: '2.32.3' }], { license: 'Apache-2.0' }) },
        npm: {},
        hf: { 'org/model': { id: 'org/model', author: 'org', sha: 'e'.repeat(40), siblings: [{ rfilename: 'model.safetensors' }, { rfilename: 'config.json' }], cardData: { license: 'apache-2.0', base_model: 'org/base' }, tags: [] } },
      });
      const handle: FakeServerHandle = await registry.start();
      try {
        const r = await run(['bom', dir, '--pypi-url', handle.url, '--npm-url', handle.url, '--hf-url', handle.url, '--osv-url', handle.url, '--cache-dir', cache]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(await cyclonedxErrors(r.stdout), null);
        const bom = JSON.parse(r.stdout) as Bom;
        const c = (name: string) => bom.components.find((x) => x.name === name)!;
        assert.deepEqual(c('requests').licenses, [{ license: { id: 'Apache-2.0' } }]);
        const model = c('org/model');
        assert.deepEqual(model.licenses, [{ license: { id: 'Apache-2.0' } }]);
        assert.deepEqual(model.pedigree!.ancestors.map((a) => a.purl), ['pkg:huggingface/org/base']);
        assert.ok(model.modelCard!.properties!.some((p) => p.name === 'aidr:weight-format' && p.value === 'safetensors'));
        assert.ok(JSON.stringify(model).includes('e'.repeat(40)), 'the commit the Hub reported');
        assert.equal(registry.count('osv-querybatch'), 0, 'a BOM needs no advisories');
      } finally {
        await handle.close();
      }
    });

    it('usage errors exit 2', async () => {
      assert.equal((await run(['bom', dir, '--format', 'text'])).code, 2);
      assert.equal((await run(['bom', path.join(dir, 'missing')])).code, 2);
    });
  });

  describe('baselines', () => {
    const scan = (extra: string[]) => run(['scan', dir, '--offline', '--cache-dir', cache, ...extra]);

    it('a written baseline hides today’s findings after lines move; a new finding is reported and fails', async () => {
      writeFileSync(path.join(dir, 'train.py'), TRAIN);
      const baseline = path.join(dir, 'aidr-baseline.json');
      const first = await scan(['--format', 'json', '--write-baseline', baseline]);
      const before = JSON.parse(first.stdout) as { findings: { rule: string; fingerprint: string }[] };
      assert.ok(before.findings.length >= 2);
      assert.ok(before.findings.every((f) => /^[0-9a-f]{32}$/.test(f.fingerprint)));
      const written = readFileSync(baseline, 'utf8');

      // Lines inserted above, an unrelated edit, the call reformatted: nothing new.
      writeFileSync(path.join(dir, 'train.py'), '"""Training."""\n# (c) us\n\n' + TRAIN.replace('    return a, m', '    print("x")\n    return a,m').replace('torch.load(p)', 'torch.load(\n        p,\n    )'));
      const quiet = await scan(['--baseline', baseline]);
      assert.equal(quiet.code, 0, quiet.stdout);
      assert.match(quiet.stdout, /^0 finding\(s\)/m);
      assert.match(quiet.stdout, new RegExp(`${before.findings.length} finding\\(s\\) suppressed by the baseline`));
      // Re-writing the baseline after those edits gives the same bytes.
      await scan(['--write-baseline', baseline, '--fail-on', 'never']);
      assert.equal(readFileSync(baseline, 'utf8'), written);

      // A new torch.load in the same file is news: reported alone, and the exit code says so.
      writeFileSync(path.join(dir, 'train.py'), TRAIN.replace('    return a, m', '    b = torch.load("other.pt")\n    return a, m'));
      const loud = await scan(['--baseline', baseline, '--format', 'json', '--fail-on', 'warning']);
      const after = JSON.parse(loud.stdout) as { findings: { rule: string; range: { start: { line: number } } }[]; suppressedByBaseline: number };
      assert.deepEqual(after.findings.map((f) => [f.rule, f.range.start.line]), [['unsafe-torch-load', 6]]);
      assert.equal(after.suppressedByBaseline, before.findings.length);
      assert.equal(loud.code, 1);
    });

    it('a missing or foreign baseline file is a usage error, not an empty baseline', async () => {
      writeFileSync(path.join(dir, 'train.py'), TRAIN);
      const missing = await scan(['--baseline', path.join(dir, 'nope.json')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot use baseline .*ENOENT/);
      writeFileSync(path.join(dir, 'b.json'), '{"version":7,"findings":[]}');
      const foreign = await scan(['--baseline', path.join(dir, 'b.json')]);
      assert.equal(foreign.code, 2);
      assert.match(foreign.stderr, /unsupported version 7/);
    });
  });

  it('SARIF: partialFingerprints survive inserted lines; each rule carries its page as help', async () => {
    writeFileSync(path.join(dir, 'train.py'), TRAIN);
    type Sarif = { runs: { tool: { driver: { rules: { id: string; help?: { text: string; markdown: string }; helpUri?: string }[] } }; results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const sarif = async () => JSON.parse((await run(['scan', dir, '--offline', '--cache-dir', cache, '--format', 'sarif'])).stdout) as Sarif;
    const a = await sarif();
    writeFileSync(path.join(dir, 'train.py'), '\n\n\n' + TRAIN);
    const b = await sarif();
    const fps = (s: Sarif) => s.runs[0]!.results.map((r) => r.partialFingerprints['aidrFingerprint/v1']);
    assert.deepEqual(fps(b), fps(a));
    assert.notDeepEqual(b.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine), a.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine));
    for (const rule of a.runs[0]!.tool.driver.rules) {
      assert.equal(rule.helpUri, undefined);
      assert.equal(rule.help!.markdown, readFileSync(path.join(ROOT, 'docs/rules', `${rule.id}.md`), 'utf8'));
    }
  });

  it('text output names each rule’s page as installed', async () => {
    writeFileSync(path.join(dir, 'train.py'), TRAIN);
    const r = await run(['scan', dir, '--offline', '--cache-dir', cache, '--fail-on', 'never']);
    const page = path.join(ROOT, 'docs/rules/unsafe-torch-load.md');
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith('unsafe-torch-load '));
    assert.equal(line?.trim().split(/ +/)[1], page, r.stdout);
  });

  it('a diagnostic’s rule link (and the hover’s) is a file the .vsix ships', async () => {
    const text = 'import torch\nstate = torch.load("m.pt")\n';
    writeFileSync(path.join(dir, 'app.py'), text);
    const client = new LspClient({ workspaceFolder: dir, settings: { offline: true }, initializationOptions: { cacheDir: cache, debounceMs: 5 } });
    try {
      await client.initialize();
      const uri = pathToFileURL(path.join(dir, 'app.py')).toString();
      await client.open(uri, 'python', text);
      const pub = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unsafe-torch-load'));
      const href = pub.diagnostics.find((d) => d.code === 'unsafe-torch-load')!.codeDescription!.href;
      assert.match(href, /^file:\/\//);
      const page = fileURLToPath(href);
      assert.ok(existsSync(page));
      const hover = await client.hover(uri, 1, 10);
      assert.ok((hover?.contents as { value: string }).value.includes(`[unsafe-torch-load](${href})`));
      // The installed layout: what `vsce ls` puts in the package, relative to the extension root.
      const listing = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
      const files = new Set(listing.split('\n').map((l) => l.trim()));
      assert.ok(files.has(path.relative(ROOT, page).split(path.sep).join('/')), `${page} is not in the package`);
      assert.ok(files.has('server/out/server.js'));
    } finally {
      await client.stop();
    }
  });
});
