// `npm run test:vscode`: the same in-host suite through @vscode/test-electron, for machines
// that can download VS Code (this one cannot: see test/e2e/run.mjs for code-server). The
// package is not a dependency of the project; it is imported dynamically and its absence is
// reported clearly. Uses the repo's bundles (node scripts/build.mjs) as the development path.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSuite, testSettings } from './bundle.mjs';
import { startFakeRegistry } from './fakeRegistry.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch {
  process.stderr.write(
    '@vscode/test-electron is not installed, so this runner cannot download VS Code.\n' +
      'Install it where VS Code can be downloaded (npm install --no-save @vscode/test-electron) and run again,\n' +
      'or run the same suite in code-server here: bash test/e2e/setup.sh && node test/e2e/run.mjs\n',
  );
  process.exit(2);
}

if (!existsSync(path.join(root, 'server/out/server.js')) || !existsSync(path.join(root, 'client/out/extension.js'))) {
  process.stderr.write('bundles missing: run node scripts/build.mjs first\n');
  process.exit(2);
}

const suite = await bundleSuite();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'aidr-vscode-'));
const ws = path.join(tmp, 'ws');
cpSync(path.join(here, 'fixtures/workspace'), ws, { recursive: true });
const registry = await startFakeRegistry();
mkdirSync(path.join(tmp, 'user/User'), { recursive: true });
writeFileSync(path.join(tmp, 'user/User/settings.json'), JSON.stringify(testSettings(registry.url), null, 2));
const resultsFile = path.join(tmp, 'results.json');
let code = 1;
try {
  await testElectron.runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    extensionTestsEnv: { AIDR_E2E_RESULTS: resultsFile },
    launchArgs: [ws, '--user-data-dir', path.join(tmp, 'user'), '--extensions-dir', path.join(tmp, 'ext'), '--disable-workspace-trust'],
  });
  code = 0;
} catch (err) {
  process.stderr.write(`in-host suite failed: ${err instanceof Error ? err.message : String(err)}\n`);
} finally {
  await registry.close();
}
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const t of r.failed) process.stdout.write(`  FAIL ${t.title}\n       ${t.error}\n`);
  process.stdout.write(`${r.passed.length} passed, ${r.failed.length} failed\n`);
}
rmSync(tmp, { recursive: true, force: true });
process.exit(code);
