// Bundles the client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files, a reloadable copy of web-tree-sitter and the known package name lists
// next to the server bundle (they are loaded at run time).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isAscii } from 'node:buffer';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter probes for these at run time in other environments; none is used on Node.
  // The CycloneDX library's optional peers (validators, XML) are never loaded by `aidr bom`, which
  // writes JSON: left out of the bundles (the library requires them lazily, inside try/catch).
  external: ['vscode', 'ajv', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2', 'packageurl-js', 'spdx-expression-parse'],
  // jsonc-parser's UMD build hides its requires from the bundler; prefer ESM entry points.
  mainFields: ['module', 'main'],
  // ESM dependencies (web-tree-sitter) read import.meta.url, which a CJS bundle lacks.
  define: { 'import.meta.url': '__aidrImportMetaUrl' },
  banner: { js: "const __aidrImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

// The CLI is a small launcher (cli.js) that runs its main bundle (cli-main.js) from V8's code cache.
// Parts only some runs need are bundles of their own, required when used, so a scan never reads or
// compiles them: the HTTP client (online runs), the CVSS calculator (advisories with vectors), the
// CycloneDX library (`aidr bom`), the YAML library (YAML manifests), jsfive (Keras .h5 files) and
// the popular-package lists (manifests). Libraries imported at the top of a module are replaced in
// the main bundle by stand-ins that load their part on first use (server/src/cli/lazy/).
const CLI_CHUNKS = [
  { file: 'cli-undici.js', filter: /^undici$/, contents: "module.exports = require('undici');" },
  { file: 'cli-cvss.js', filter: /^ae-cvss-calculator$/, contents: "module.exports = require('ae-cvss-calculator');" },
  { file: 'cli-cyclonedx.js', filter: /^\.\/cyclonedx$/, importer: /server[\\/]src[\\/]cli[\\/]bom\.ts$/, contents: "module.exports = require('./server/src/cli/cyclonedx.ts');" },
  { file: 'cli-yaml.js', contents: "module.exports = require('yaml');" },
  { file: 'cli-jsfive.js', contents: "module.exports = require('jsfive');" },
  {
    file: 'cli-popular.js',
    contents: "module.exports = { pypi: require('./server/src/data/popular-pypi.json'), npm: require('./server/src/data/popular-npm.json') };",
  },
];
const STAND_INS = [
  { filter: /^yaml$/, path: 'server/src/cli/lazy/yaml.ts' },
  { filter: /^jsfive$/, path: 'server/src/cli/lazy/jsfive.ts' },
  { filter: /^\.\/popular-pypi\.json$/, path: 'server/src/cli/lazy/popularPypi.ts' },
  { filter: /^\.\/popular-npm\.json$/, path: 'server/src/cli/lazy/popularNpm.ts' },
];
const ours = /server[\\/]src[\\/]/;
const cliChunks = {
  name: 'cli-chunks',
  setup(build) {
    for (const c of CLI_CHUNKS.filter((x) => x.filter)) {
      build.onResolve({ filter: c.filter }, (args) => (!c.importer || c.importer.test(args.importer) ? { path: `./${c.file}`, external: true } : undefined));
    }
    // The project's own imports only: a library importing another keeps the real one.
    for (const s of STAND_INS) build.onResolve({ filter: s.filter }, (args) => (ours.test(args.importer) && !args.importer.includes('lazy') ? { path: path.resolve(s.path) } : undefined));
    // The stand-ins' own requires of their parts resolve beside the bundle at run time.
    build.onResolve({ filter: /^\.\/cli-[a-z]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const cli = {
  ...common,
  // A CLI run pays for reading its bundle on every start: always minified (source map kept).
  minify: true,
  // The launcher runs the main bundle as a vm.Script, where import() has no loader: esbuild turns
  // each into a require (web-tree-sitter imports fs/promises that way).
  supported: { 'dynamic-import': false },
  // fflate's Node build loads worker_threads at start for asynchronous APIs the CLI never calls;
  // its browser build is the same synchronous code without that.
  alias: { fflate: 'fflate/browser' },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  esbuild.build({
    ...cli,
    entryPoints: ['server/src/cli/launcher.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: {},
  }),
  esbuild.build({ ...cli, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli-main.js', plugins: [cliChunks] }),
  ...CLI_CHUNKS.map((c) =>
    esbuild.build({ ...cli, stdin: { contents: c.contents, resolveDir: '.', loader: 'js' }, outfile: `server/out/${c.file}` }),
  ),
]);

mkdirSync('server/out', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join('server/out', 'web-tree-sitter.wasm'));
// A fresh copy of the library is how the server gets clean wasm memory after tree-sitter failed
// on a hostile file (server/src/python/treeSitterRuntime.ts); the bundled copy cannot be reloaded.
copyFileSync(require.resolve('web-tree-sitter'), path.join('server/out', 'web-tree-sitter.cjs'));
copyFileSync(
  path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  path.join('server/out', 'tree-sitter-python.wasm'),
);
for (const f of ['known-pypi.txt.gz', 'known-npm.txt.gz']) copyFileSync(path.join('server/src/data', f), path.join('server/out', f));

// The bundle is read as a one-byte string when it is ASCII (cheaper to make and to parse).
if (!isAscii(readFileSync('server/out/cli-main.js'))) console.warn('build: server/out/cli-main.js is not ASCII; the CLI starts a little slower');
// The code cache is made by a training run (a scan of the example project, which compiles most of
// what a scan runs). A failed run leaves no cache: the first real run makes one.
rmSync('server/out/cli-main.v8cache', { force: true });
try {
  execFileSync(process.execPath, ['server/out/cli.js', 'scan', 'examples/ml-project', '--offline', '--advisory-db', 'examples/advisories', '--format', 'json', '--fail-on', 'never', '--no-cache'], { stdio: 'ignore', env: { ...process.env, AIDR_NO_CODE_CACHE: '' } });
} catch {
  console.warn('build: the CLI training run failed; no code cache was made');
}
