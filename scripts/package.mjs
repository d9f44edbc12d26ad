// Builds the production bundles and packages the .vsix with vsce (no node_modules: the
// bundles carry their dependencies), then checks what a user would install: the files the
// extension needs at run time are inside and the package stays within the 5 MB budget.
// Usage: node scripts/package.mjs [--out FILE] [--skip-build]
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = path.resolve(root, outIdx >= 0 ? args[outIdx + 1] : 'ai-dependency-risk.vsix');
const MAX_BYTES = 5 * 1024 * 1024;
// Every rule page: diagnostics, hovers and `aidr` link them as files of the installed extension.
const RULE_PAGES = readdirSync(path.join(root, 'docs/rules')).filter((f) => f.endsWith('.md')).map((f) => `extension/docs/rules/${f}`);
const REQUIRED = [
  ...RULE_PAGES,
  'extension/server/out/cli.js',
  // The CLI's launcher runs cli-main.js; the others are loaded by the commands that need them.
  'extension/server/out/cli-main.js',
  'extension/server/out/cli-undici.js',
  'extension/server/out/cli-cvss.js',
  'extension/server/out/cli-cyclonedx.js',
  'extension/server/out/cli-yaml.js',
  'extension/server/out/cli-jsfive.js',
  'extension/server/out/cli-popular.js',
  'extension/package.json',
  'extension/client/out/extension.js',
  'extension/server/out/server.js',
  'extension/server/out/web-tree-sitter.wasm',
  'extension/server/out/tree-sitter-python.wasm',
  'extension/server/out/web-tree-sitter.cjs',
  'extension/server/out/known-pypi.txt.gz',
  'extension/server/out/known-npm.txt.gz',
  'extension/syntaxes/pip-requirements.tmLanguage.json',
  'extension/syntaxes/language-configuration.json',
];

const run = (cmd, argv) => execFileSync(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

if (!args.includes('--skip-build')) {
  process.stdout.write('bundling (production)…\n');
  run(process.execPath, ['scripts/build.mjs', '--production']);
}
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// The README links docs/ relatively; the marketplace page needs absolute links into the repo.
// (Diagnostics and hovers do not depend on this: they link the rule pages shipped in the package.)
const repo = 'https://github.com/ai-dependency-risk/ai-dependency-risk';
process.stdout.write(
  run(process.execPath, [
    vsce, 'package', '--no-dependencies', '--allow-missing-repository',
    '--baseContentUrl', `${repo}/blob/main/`, '--baseImagesUrl', `${repo}/raw/main/`,
    '-o', out,
  ]),
);

const listing = run(process.execPath, [vsce, 'ls', '--no-dependencies']);
const size = statSync(out).size;
// vsce ls lists paths relative to the extension root; the .vsix prefixes them with extension/.
const files = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean).map((f) => `extension/${f}`));
const missing = REQUIRED.filter((f) => !files.has(f));
process.stdout.write(`${path.relative(root, out)}: ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes), ${files.size} files\n`);
if (missing.length) {
  process.stderr.write(`missing from the package: ${missing.join(', ')}\n`);
  process.exit(1);
}
if (size > MAX_BYTES) {
  process.stderr.write(`the .vsix is larger than the 5 MB budget\n`);
  process.exit(1);
}
