// VS Code itself hides restricted settings in untrusted workspaces; the client reader and the
// server do the same. The three lists must agree, or a workspace could silence findings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RESTRICTED_KEYS } from '../../../client/src/settingsReader';

describe('restricted settings', () => {
  it('package.json declares every setting the reader takes from user settings only when untrusted', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    const declared = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);
    const contributed = new Set(Object.keys(pkg.contributes.configuration.properties));
    for (const k of RESTRICTED_KEYS) {
      assert.ok(declared.has(`aiDependencyRisk.${k}`), `aiDependencyRisk.${k} is restricted in package.json`);
      assert.ok(contributed.has(`aiDependencyRisk.${k}`), `aiDependencyRisk.${k} is a contributed setting`);
    }
  });
});
