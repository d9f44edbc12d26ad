// What "Show Environment of Current File" shows, as plain data (no `vscode` import, so it is tested
// on its own): a title, the project line, one pick item per deciding file (lockfiles first), and
// the server's note.
import type { EnvironmentResult } from '../../server/src/protocol';

export interface EnvironmentItem {
  label: string;
  description?: string;
  detail?: string;
  /** The file (or folder) the item opens. */
  uri?: string;
  kind: 'project' | 'file' | 'note';
}

export interface EnvironmentView {
  title: string;
  /** When there is nothing to pick (no project, or no deciding file): one message instead. */
  message?: string;
  items: EnvironmentItem[];
}

function lastSegment(uri: string): string {
  const clean = uri.replace(/\/+$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** `uri` relative to `base` (both URIs), `./` for the base itself; the last segment when outside. */
export function relativeTo(uri: string, base: string | undefined): string {
  if (!base) return lastSegment(uri);
  const b = base.replace(/\/+$/, '');
  if (uri === b) return './';
  if (!uri.startsWith(`${b}/`)) return lastSegment(uri);
  const rel = uri.slice(b.length + 1);
  try {
    return decodeURIComponent(rel);
  } catch {
    return rel;
  }
}

export function environmentView(r: EnvironmentResult): EnvironmentView {
  const file = lastSegment(r.uri);
  const title = `Environment of ${file}`;
  const folder = r.workspaceFolder ? lastSegment(r.workspaceFolder) : undefined;
  if (!r.projectRoot) return { title, message: `${file}: ${r.note ?? 'no project encloses this file.'}`, items: [] };
  const root = relativeTo(r.projectRoot, r.workspaceFolder);
  const project = root === './' ? `${folder ?? lastSegment(r.projectRoot)}/` : `${root}/`;
  if (!r.decidedBy.length) return { title, message: `${file} is in project ${project}. ${r.note ?? 'No lockfile or manifest decides its versions.'}`, items: [] };
  const items: EnvironmentItem[] = [
    { kind: 'project', label: `$(root-folder) Project ${project}`, description: folder ? `workspace folder ${folder}` : 'outside the workspace folders', uri: r.projectRoot },
  ];
  let rank = 0;
  for (const f of r.decidedBy) {
    rank++;
    const shared = f.sharedFrom ? `, shared by the workspace at ${relativeTo(f.sharedFrom, r.workspaceFolder)}` : '';
    items.push({
      kind: 'file',
      label: `$(${f.role === 'lockfile' ? 'lock' : 'file'}) ${relativeTo(f.uri, r.workspaceFolder)}`,
      description: `${rank === 1 ? 'decides first' : `then #${rank}`} · ${f.role} (${f.ecosystem})${shared}`,
      uri: f.uri,
    });
  }
  if (r.note) items.push({ kind: 'note', label: `$(info) ${r.note}` });
  return { title, items };
}
