// Entry point for manifests: which parser a file path needs, and parsing a file's text with it.

import type { ManifestParseResult } from '../domain';
import { parseEnvironmentYml } from './environmentYml';
import { parsePackageJson } from './packageJson';
import { parsePackageLock } from './packageLock';
import { parsePnpmLock } from './pnpmLock';
import { parseYarnLock } from './yarnLock';
import { parseBunLock } from './bunLock';
import { parsePdmLock } from './pdmLock';
import { parsePipfile } from './pipfile';
import { parsePipfileLock } from './pipfileLock';
import { parsePoetryLock } from './poetryLock';
import { isPylockName, parsePylock } from './pylock';
import { parsePyprojectToml } from './pyprojectToml';
import { parseRequirementsTxt } from './requirementsTxt';
import { parseSetupCfg } from './setupCfg';
import { parseUvLock } from './uvLock';

export type ManifestKind =
  | 'requirements'
  | 'pyproject'
  | 'uv.lock'
  | 'poetry.lock'
  | 'pipfile.lock'
  | 'pipfile'
  | 'setup.cfg'
  | 'environment.yml'
  | 'pdm.lock'
  | 'pylock.toml'
  | 'package.json'
  | 'package-lock.json'
  | 'pnpm-lock.yaml'
  | 'yarn.lock'
  | 'bun.lock';

export { parsePep508, normalizeName } from './pep508';
export { parseRequirementsTxt } from './requirementsTxt';
export { parsePyprojectToml } from './pyprojectToml';
export { parseUvLock } from './uvLock';
export { parsePoetryLock } from './poetryLock';
export { parsePipfileLock } from './pipfileLock';
export { parsePipInstallCommands } from './pipInstall';
export { parsePipfile } from './pipfile';
export { parseSetupCfg } from './setupCfg';
export { parseEnvironmentYml } from './environmentYml';
export { parsePdmLock } from './pdmLock';
export { parsePylock, isPylockName } from './pylock';
export { parsePackageJson, parseNpmSpec, type NpmSpec } from './packageJson';
export { parsePackageLock, type NpmLockEntry } from './packageLock';
export { parsePnpmLock } from './pnpmLock';
export { parseYarnLock } from './yarnLock';
export { parseBunLock } from './bunLock';
export { parseLockGraph, directDependentsOf, dependencyChain, LOCK_GRAPH_KINDS, NPM_LOCK_GRAPH_KINDS, type LockGraph, type LockNode, type LockGraphKind } from './lockGraph';
export { resolveIncludes } from './includes';
export { lockWorkspaceMembers } from './lockWorkspaces';

export function detectManifestKind(filePath: string): ManifestKind | undefined {
  const parts = filePath.split(/[/\\]/);
  const base = parts[parts.length - 1] ?? '';
  const dir = parts[parts.length - 2] ?? '';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'uv.lock') return 'uv.lock';
  if (base === 'poetry.lock') return 'poetry.lock';
  if (base === 'Pipfile.lock') return 'pipfile.lock';
  if (base === 'Pipfile') return 'pipfile';
  if (base === 'setup.cfg') return 'setup.cfg';
  if (base === 'environment.yml' || base === 'environment.yaml') return 'environment.yml';
  if (base === 'pdm.lock') return 'pdm.lock';
  if (isPylockName(base)) return 'pylock.toml';
  if (base === 'package.json') return 'package.json';
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return 'package-lock.json';
  if (base === 'pnpm-lock.yaml') return 'pnpm-lock.yaml';
  if (base === 'yarn.lock') return 'yarn.lock';
  if (base === 'bun.lock') return 'bun.lock';
  const lower = base.toLowerCase();
  // MANIFEST.in is setuptools' file list, not a pip-tools input.
  if (lower.endsWith('.in') && lower.length > 3 && lower !== 'manifest.in') return 'requirements';
  if (!lower.endsWith('.txt')) return undefined;
  if (/^(requirements|constraints)([-_.].*)?\.txt$/.test(lower)) return 'requirements';
  if (/[-_]requirements\.txt$/.test(lower)) return 'requirements';
  if (/^requirements$/i.test(dir)) return 'requirements';
  return undefined;
}

function emptyResult(message: string): ManifestParseResult {
  return { format: 'requirements.txt', dependencies: [], includes: [], indexUrls: [], problems: [{ message, range: { start: 0, end: 0 }, severity: 'error' }] };
}

export function parseManifest(filePath: string, text: string): ManifestParseResult {
  try {
    switch (detectManifestKind(filePath)) {
      case 'pyproject':
        return parsePyprojectToml(text);
      case 'uv.lock':
        return parseUvLock(text);
      case 'poetry.lock':
        return parsePoetryLock(text);
      case 'pipfile.lock':
        return parsePipfileLock(text);
      case 'pipfile':
        return parsePipfile(text);
      case 'setup.cfg':
        return parseSetupCfg(text);
      case 'environment.yml':
        return parseEnvironmentYml(text);
      case 'pdm.lock':
        return parsePdmLock(text);
      case 'pylock.toml':
        return parsePylock(text);
      case 'package.json':
        return parsePackageJson(text);
      case 'package-lock.json':
        return parsePackageLock(text);
      case 'pnpm-lock.yaml':
        return parsePnpmLock(text);
      case 'yarn.lock':
        return parseYarnLock(text);
      case 'bun.lock':
        return parseBunLock(text);
      case 'requirements':
      case undefined:
        return parseRequirementsTxt(text);
    }
  } catch (e) {
    // A parser bug must not take the server down; surface it as a problem instead.
    return emptyResult(`Internal error while parsing ${filePath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
