// Bundles the in-host mocha suite (suite/index.ts) into .cache/suite.js for extensionTestsPath,
// and writes the user settings every e2e run uses (endpoints on the loopback fake registry).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function bundleSuite(cacheDir = path.join(here, '.cache')) {
  const outfile = path.join(cacheDir, 'suite.js');
  await esbuild.build({
    entryPoints: [path.join(here, 'suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // mocha is resolved from the repo's node_modules at run time (the bundle sits inside the repo).
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outfile;
}

/** User settings for a test profile: our endpoints on `registryUrl`, editor noise off. */
export function testSettings(registryUrl) {
  return {
    'aiDependencyRisk.osvUrl': registryUrl,
    'aiDependencyRisk.pypiUrl': registryUrl,
    'aiDependencyRisk.npmUrl': registryUrl,
    'aiDependencyRisk.hfUrl': registryUrl,
    'aiDependencyRisk.requestTimeoutMs': 5000,
    'aiDependencyRisk.trace.server': 'messages',
    'chat.disableAIFeatures': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'editor.hover.delay': 100,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.layoutControl.enabled': false,
  };
}
