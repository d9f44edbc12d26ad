import * as assert from 'node:assert/strict';
import { dependencyChain, directDependentsOf, parseLockGraph, type LockGraph } from '../../../server/src/manifests/lockGraph';
import { parsePdmLock } from '../../../server/src/manifests/pdmLock';
import { parsePoetryLock } from '../../../server/src/manifests/poetryLock';
import { parseUvLock } from '../../../server/src/manifests/uvLock';
import { fixture } from './helpers';

const deps = (g: LockGraph, name: string): string[] | undefined => g.packages.get(name)?.deps.slice().sort();

describe('lockGraph', () => {
  describe('uv.lock', () => {
    const text = fixture('graph.uv.lock');
    const g = parseLockGraph('uv.lock', text);

    it('reads every package with its version and edges, and the project as root', () => {
      assert.deepEqual(g.roots, ['ml-app']);
      assert.deepEqual(deps(g, 'ml-app'), ['huggingface-hub', 'pytest', 'requests', 'torch', 'transformers']);
      assert.deepEqual(deps(g, 'tokenizers'), ['huggingface-hub']);
      assert.deepEqual(deps(g, 'transformers'), ['filelock', 'huggingface-hub', 'numpy', 'packaging', 'pyyaml', 'regex', 'requests', 'safetensors', 'tokenizers', 'tqdm']);
      assert.equal(g.packages.get('transformers')!.version, '4.38.2');
      assert.deepEqual(deps(g, 'certifi'), []);
    });

    it('agrees with the TOML parser on names and versions', () => {
      const locked = parseUvLock(text).dependencies;
      for (const d of locked) assert.ok(g.packages.has(d.name), d.name);
      // numpy is locked twice (forked resolution): the graph keeps one node, with the first version;
      // the editable project, which parseUvLock skips, is a node of the graph.
      assert.equal(locked.filter((d) => d.name === 'numpy').length, 2);
      assert.equal(g.packages.size, locked.length - 1 + 1);
      assert.equal(g.packages.get('numpy')!.version, '1.26.4');
    });

    it('finds the direct dependencies that pull a transitive package in', () => {
      const direct = new Set(['requests', 'torch', 'transformers']);
      assert.deepEqual(directDependentsOf(g, 'tokenizers', direct), ['transformers']);
      assert.deepEqual(directDependentsOf(g, 'huggingface-hub', direct), ['transformers']);
      assert.deepEqual(directDependentsOf(g, 'Filelock', direct), ['torch', 'transformers']);
      assert.deepEqual(directDependentsOf(g, 'markupsafe', direct), ['torch']);
      // urllib3 comes through requests, which transformers also needs: only the nearest direct one counts.
      assert.deepEqual(directDependentsOf(g, 'urllib3', direct), ['requests']);
      assert.deepEqual(directDependentsOf(g, 'iniconfig', direct), []);
      assert.deepEqual(directDependentsOf(g, 'not-in-lock', direct), []);
    });

    it('walks through non-direct packages and reports farther direct ones in distance order', () => {
      assert.deepEqual(directDependentsOf(g, 'colorama', new Set(['transformers', 'pytest'])), ['pytest', 'transformers']);
      assert.deepEqual(directDependentsOf(g, 'colorama', new Set(['transformers'])), ['transformers']);
      assert.deepEqual(directDependentsOf(g, 'requests', new Set(['transformers', 'huggingface_hub'])), ['huggingface-hub', 'transformers']);
    });

    it('gives a shortest chain from a direct dependency down to the package', () => {
      assert.deepEqual(dependencyChain(g, 'transformers', 'colorama'), ['transformers', 'tqdm', 'colorama']);
      assert.deepEqual(dependencyChain(g, 'torch', 'mpmath'), ['torch', 'sympy', 'mpmath']);
      assert.equal(dependencyChain(g, 'requests', 'torch'), undefined);
    });

    it('is fast on a 1,000-package lock', () => {
      let big = 'version = 1\n';
      for (let i = 0; i < 1000; i++) {
        big += `\n[[package]]\nname = "pkg-${i}"\nversion = "1.${i}"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [\n    { name = "pkg-${(i + 1) % 1000}" },\n    { name = "pkg-${(i * 7) % 1000}", marker = "os_name == 'nt'" },\n]\nsdist = { url = "https://x/pkg-${i}.tar.gz", hash = "sha256:ab", size = 1 }\nwheels = [\n    { url = "https://x/pkg-${i}.whl", hash = "sha256:cd", size = 1 },\n]\n`;
      }
      const t0 = performance.now();
      const big1 = parseLockGraph('uv.lock', big);
      const found = directDependentsOf(big1, 'pkg-500', new Set(['pkg-0', 'pkg-10']));
      const ms = performance.now() - t0;
      assert.equal(big1.packages.size, 1000);
      assert.ok(found.length > 0);
      // Generous: the machine may be busy; super-linear code would take far longer than this.
      assert.ok(ms < 10_000, `took ${ms} ms`);
    });
  });

  describe('poetry.lock', () => {
    const text = fixture('graph.poetry.lock');
    const g = parseLockGraph('poetry.lock', text);

    it('reads [package.dependencies] keys (quoted, mixed case, multi-line values) and drops unlocked targets', () => {
      assert.equal(g.roots, undefined);
      assert.deepEqual(deps(g, 'transformers'), ['filelock', 'huggingface-hub', 'numpy', 'packaging', 'pyyaml', 'tokenizers', 'tqdm']);
      assert.deepEqual(deps(g, 'tokenizers'), ['huggingface-hub']);
      assert.deepEqual(deps(g, 'sphinx'), ['sphinxcontrib-serializinghtml']);
      assert.deepEqual(deps(g, 'tqdm'), []);
      assert.equal(g.packages.get('pyyaml')!.version, '6.0.1');
      const locked = parsePoetryLock(text).dependencies.map((d) => d.name).sort();
      assert.deepEqual([...g.packages.keys()].sort(), locked);
    });

    it('attributes transformers -> tokenizers -> huggingface-hub to the direct dependency', () => {
      const direct = new Set(['sentence-transformers', 'sphinx']);
      assert.deepEqual(directDependentsOf(g, 'tokenizers', direct), ['sentence-transformers']);
      assert.deepEqual(directDependentsOf(g, 'huggingface-hub', direct), ['sentence-transformers']);
      // Nearest first: transformers needs pyyaml itself; tokenizers only through huggingface-hub.
      assert.deepEqual(directDependentsOf(g, 'pyyaml', new Set(['transformers', 'tokenizers'])), ['transformers', 'tokenizers']);
    });

    it('is safe on cycles', () => {
      assert.deepEqual(deps(g, 'sphinxcontrib-serializinghtml'), ['sphinx']);
      assert.deepEqual(directDependentsOf(g, 'sphinxcontrib-serializinghtml', new Set(['sphinx'])), ['sphinx']);
      assert.deepEqual(directDependentsOf(g, 'sphinx', new Set(['numpy'])), []);
      assert.deepEqual(directDependentsOf(g, 'sphinx', new Set(['sphinx'])), []);
      assert.deepEqual(dependencyChain(g, 'sphinx', 'sphinx'), ['sphinx']);
    });
  });

  describe('pdm.lock', () => {
    const text = fixture('pdm.lock');
    const g = parseLockGraph('pdm.lock', text);

    it('reads PEP 508 dependency strings, merging extras entries and dropping self-edges', () => {
      assert.deepEqual(deps(g, 'requests'), ['certifi', 'pysocks']);
      assert.deepEqual(deps(g, 'mylib'), ['requests']);
      assert.deepEqual([...g.packages.keys()].sort(), parsePdmLock(text).dependencies.map((d) => d.name).sort());
      assert.deepEqual(directDependentsOf(g, 'PySocks', new Set(['mylib'])), ['mylib']);
    });
  });

  it('gives an empty graph for unsupported kinds and garbage, never throwing', () => {
    assert.equal(parseLockGraph('Pipfile.lock', '{}').packages.size, 0);
    const junk = parseLockGraph('uv.lock', '[[package]\nname = "x\ndependencies = [\n{ name = "y"\n');
    assert.ok(junk.packages.size <= 1);
    assert.equal(parseLockGraph('poetry.lock', '').packages.size, 0);
    const crlf = parseLockGraph('poetry.lock', '[[package]]\r\nname = "a"\r\nversion = "1"\r\n\r\n[package.dependencies]\r\nb = "*"\r\n\r\n[[package]]\r\nname = "b"\r\nversion = "2"\r\n');
    assert.deepEqual(crlf.packages.get('a'), { version: '1', deps: ['b'] });
  });
});
