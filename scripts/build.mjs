// Bundles the client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files, a reloadable copy of web-tree-sitter and the known package name lists
// next to the server bundle (they are loaded at run time).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: "#!/usr/bin/env node\nconst __aidrImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  }),
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
