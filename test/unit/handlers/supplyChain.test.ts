// The supply-chain service over a workspace on disk and the real engine, with an advisory source
// the test holds back: before a refresh it answers from parsed manifests; a refresh runs the engine
// once however many ask; a caller that cancels gets its answer at once while the others wait; when
// every caller cancels, the run stops and nothing changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver';
import type { AdvisoryAnswer, AdvisoryProvider, PackageQuery } from '../../../server/src/domain';
import type { EngineDocument } from '../../../server/src/engine/documents';
import { Engine } from '../../../server/src/engine/engine';
import { ModelFileCache } from '../../../server/src/engine/modelFiles';
import type { Runtime } from '../../../server/src/engine/runtime';
import { WorkspaceEnvironments } from '../../../server/src/handlers/environment';
import { SupplyChainService } from '../../../server/src/handlers/supplyChain';
import { resolveSettings } from '../../../server/src/settings';
import { MemoryAdvisories, MemoryRegistry, record } from '../engine/helpers';
import { deferred } from './fakeClock';

class HeldAdvisories implements AdvisoryProvider {
  calls = 0;
  gate = deferred();
  aborted = 0;
  private readonly inner = new MemoryAdvisories([record('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }])]);
  async query(queries: PackageQuery[], signal?: AbortSignal): Promise<AdvisoryAnswer> {
    this.calls++;
    await Promise.race([
      this.gate.promise,
      new Promise<void>((_, reject) => signal?.addEventListener('abort', () => (this.aborted++, reject(new DOMException('aborted', 'AbortError'))))),
    ]);
    return this.inner.query(queries);
  }
}

describe('SupplyChainService', () => {
  let ws: string;
  let advisories: HeldAdvisories;
  let service: SupplyChainService;

  beforeEach(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'aidr-sc-unit-'));
    writeFileSync(path.join(ws, 'requirements.txt'), 'jinja2==2.10.1\n');
    advisories = new HeldAdvisories();
    const engine = new Engine({ advisories, registries: { PyPI: new MemoryRegistry({ jinja2: ['2.10.1', '2.11.3'] }) } }, resolveSettings({}));
    const runtime: Runtime = { engine, sources: { advisories, registries: {} }, loadErrors: [], dispose: async () => undefined };
    const manifest: EngineDocument = { uri: pathToFileURL(path.join(ws, 'requirements.txt')).toString(), path: path.join(ws, 'requirements.txt'), text: 'jinja2==2.10.1\n', kind: 'requirements' };
    service = new SupplyChainService({
      analysis: { results: new Map(), context: () => [manifest], workspaceRoots: () => [ws] },
      models: { knownFiles: () => [], files: new ModelFileCache([ws]) },
      settings: { global: async () => resolveSettings({}) },
      runtimes: { get: async () => runtime },
      environments: new WorkspaceEnvironments(),
      log: () => undefined,
      now: () => 42,
    });
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  /** Until the run is held at the advisory look-up. */
  const atLookup = async () => {
    for (let i = 0; i < 10_000 && advisories.calls === 0; i++) await new Promise((r) => setImmediate(r));
    assert.ok(advisories.calls > 0, 'the run reached the look-up');
  };
  const jinja = async () => (await service.build({})).projects[0]?.packages.find((p) => p.name === 'jinja2');

  it('answers from the parse before a refresh, and with findings after one', async () => {
    const before = await service.build({});
    assert.equal(before.complete, false);
    assert.equal(before.generatedAt, 42);
    assert.deepEqual((await jinja())?.findings, []);
    advisories.gate.resolve();
    assert.equal(await service.refresh(), true);
    assert.equal((await service.build({})).complete, true);
    assert.deepEqual((await jinja())?.findings.map((f) => f.advisories), [['PYSEC-2021-66']]);
  });

  it('runs the engine once for callers that ask together', async () => {
    const a = service.refresh();
    const b = service.refresh();
    advisories.gate.resolve();
    assert.deepEqual(await Promise.all([a, b]), [true, true]);
    // One run: its batch, and the second round for the affected package's other advisories.
    assert.equal(advisories.calls, 2);
  });

  it('a caller that cancels is answered at once; the run goes on for the other', async () => {
    const first = new CancellationTokenSource();
    const a = service.refresh(first.token);
    const b = service.refresh(new CancellationTokenSource().token);
    await atLookup();
    first.cancel();
    assert.equal(await a, false);
    assert.equal(advisories.aborted, 0, 'not aborted while someone waits');
    advisories.gate.resolve();
    assert.equal(await b, true);
    assert.equal((await service.build({})).complete, true);
  });

  it('when every caller cancels, the run stops and what was known stays', async () => {
    const one = new CancellationTokenSource();
    const two = new CancellationTokenSource();
    const a = service.refresh(one.token);
    const b = service.refresh(two.token);
    await atLookup();
    one.cancel();
    two.cancel();
    assert.deepEqual(await Promise.all([a, b]), [false, false]);
    await new Promise((r) => setImmediate(r));
    assert.equal(advisories.aborted, 1);
    assert.equal((await service.build({})).complete, false);
    // The next refresh starts afresh.
    advisories.gate.resolve();
    assert.equal(await service.refresh(), true);
  });
});
