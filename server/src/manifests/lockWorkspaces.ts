// Which folders a lockfile covers, where its format records it: pnpm importers, npm's root and
// workspace/`file:` folders (lockfileVersion 2+; v1 covers its root only), yarn berry `workspace:`
// entries, uv's workspace members and local folder sources, and the local path sources of Poetry,
// PDM and Pipenv (which record no workspace). Paths are relative to the lockfile, '.' for its own
// folder; undefined when the format records nothing (yarn v1) or the text is unreadable.

import { trimSlashes } from './lockSource';
import { packageLockWorkspaceMembers } from './packageLock';
import { pdmWorkspaceMembers } from './pdmLock';
import { pipfileLockWorkspaceMembers } from './pipfileLock';
import { pnpmWorkspaceMembers } from './pnpmLock';
import { poetryWorkspaceMembers } from './poetryLock';
import { pylockWorkspaceMembers } from './pylock';
import { uvWorkspaceMembers } from './uvLock';
import { yarnWorkspaceMembers } from './yarnLock';
import { bunWorkspaceMembers } from './bunLock';

const READERS: Record<string, (text: string) => string[] | undefined> = {
  'pnpm-lock.yaml': pnpmWorkspaceMembers,
  'package-lock.json': packageLockWorkspaceMembers,
  'yarn.lock': yarnWorkspaceMembers,
  'bun.lock': bunWorkspaceMembers,
  'uv.lock': uvWorkspaceMembers,
  'poetry.lock': poetryWorkspaceMembers,
  'pdm.lock': pdmWorkspaceMembers,
  'pylock.toml': pylockWorkspaceMembers,
  'pipfile.lock': pipfileLockWorkspaceMembers,
  'Pipfile.lock': pipfileLockWorkspaceMembers,
};

/** Member folders a lockfile records. `kind` is a ManifestKind (or the file's base name). Never throws. */
export function lockWorkspaceMembers(kind: string, text: string): string[] | undefined {
  const read = READERS[kind];
  if (!read) return undefined;
  try {
    const members = read(text);
    return members ? [...new Set(members.map(normalizeFolder))] : undefined;
  } catch {
    return undefined;
  }
}

function normalizeFolder(p: string): string {
  const s = trimSlashes(p.replace(/\\/g, '/').replace(/^(?:\.\/)+/, ''));
  return s === '' || s === '.' ? '.' : s;
}
