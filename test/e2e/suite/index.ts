// The in-host test entry (extensionTestsPath): runs the mocha suites inside the extension
// host and resolves or rejects like @vscode/test-electron expects. Per-test results are also
// written to $AIDR_E2E_RESULTS (JSON) so the harness can report exactly what passed.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { defineCodeTests } from './code.test';
import { defineManifestTests } from './manifests.test';
import { defineStatusAndScanTests, defineWorkspaceTests } from './workspace.test';
import { defineSupplyChainTests } from './supplyChain.test';

export interface SuiteResults {
  passed: string[];
  failed: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // The suites are bundled, not loaded from files: expose describe/it the way mocha's file
  // loader would, then define them.
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  defineWorkspaceTests();
  // Before the manifest suite edits requirements.txt.
  defineSupplyChainTests();
  defineManifestTests();
  defineCodeTests();
  defineStatusAndScanTests();

  const results: SuiteResults = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.AIDR_E2E_RESULTS;
      if (out) writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} in-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: Error) => results.failed.push({ title: t.fullTitle(), error: err?.message ?? String(err) }));
  });
}
