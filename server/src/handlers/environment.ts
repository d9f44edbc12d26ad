// "Which environment is this file in": the project a file belongs to and the lockfiles and
// manifests that decide its versions, as the analysis itself decided them (the stored result of an
// open document), else from the workspace's manifest index. Also the memoised environment index the
// supply-chain view groups by.
import path from 'node:path';
import type { Ecosystem } from '../domain';
import { documentKindFor, isManifestKind, type DocumentKind, type EngineDocument, type ManifestKind } from '../engine/documents';
import { EnvironmentIndex, lockEcosystem, manifestEcosystem, type Environment } from '../engine/environments';
import type { EnvironmentFile, EnvironmentParams, EnvironmentResult } from '../protocol';
import { toUri, uriToPath } from './convert';

/** One environment index per set of manifests: rebuilt only when a manifest's text, the set or
 * the roots change (texts are compared by identity first, which is what an unchanged file keeps). */
export class WorkspaceEnvironments {
  private last: { docs: { uri: string; text: string }[]; roots: string; index: EnvironmentIndex } | undefined;

  index(manifests: readonly EngineDocument[], roots: readonly string[]): EnvironmentIndex {
    // Policy files come with the manifests; they make no project.
    const docs = manifests.filter((d): d is EngineDocument & { path: string; kind: ManifestKind } => !!d.path && isManifestKind(d.kind));
    const key = roots.join('\0');
    const last = this.last;
    if (last && last.roots === key && last.docs.length === docs.length && last.docs.every((d, i) => d.uri === docs[i]!.uri && d.text === docs[i]!.text)) return last.index;
    const index = new EnvironmentIndex(
      docs.map((d) => ({ path: d.path, kind: d.kind, text: d.text })),
      roots,
    );
    this.last = { docs: docs.map((d) => ({ uri: d.uri, text: d.text })), roots: key, index };
    return index;
  }
}

export interface EnvironmentSources {
  /** The environment the last analysis of an open document used. */
  analysed(uri: string): Environment | undefined;
  /** The workspace's manifests (open editors' text winning). */
  manifests(): EngineDocument[];
  roots(): readonly string[];
  environments: WorkspaceEnvironments;
}

/** The decision order for one ecosystem: its lockfiles (own, or shared by a workspace root), then
 * the project's manifests of that ecosystem. */
function decidingFiles(env: Environment, eco: Ecosystem): EnvironmentFile[] {
  const shared = env.workspaceRoot?.[eco];
  return [
    ...env.locks[eco].map((f) => ({ uri: toUri(f), role: 'lockfile' as const, ecosystem: eco, ...(shared ? { sharedFrom: toUri(shared) } : {}) })),
    ...env.manifests.filter((f) => manifestEcosystem(documentKindFor(f) ?? '') === eco).map((f) => ({ uri: toUri(f), role: 'manifest' as const, ecosystem: eco })),
  ];
}

export function describeEnvironment(uri: string, file: string | undefined, kind: DocumentKind | undefined, env: Environment | undefined, workspaceFolder: string | undefined): EnvironmentResult {
  const base: EnvironmentResult = {
    uri,
    kind: kind === undefined ? 'other' : isManifestKind(kind) ? 'manifest' : 'code',
    ...(workspaceFolder ? { workspaceFolder: toUri(workspaceFolder) } : {}),
    decidedBy: [],
  };
  if (!file) return { ...base, note: 'Not a file on disk: it belongs to no project.' };
  if (!env) {
    return {
      ...base,
      note: workspaceFolder
        ? 'No project encloses this file: no manifest or lockfile between it and its workspace folder, so its code is joined with no installed versions.'
        : 'No project encloses this file, and it is outside the workspace folders.',
    };
  }
  const eco: Ecosystem = (kind && isManifestKind(kind) ? manifestEcosystem(kind) ?? lockEcosystem(kind) : undefined) ?? 'PyPI';
  const decidedBy = decidingFiles(env, eco);
  let note: string | undefined;
  if (kind === 'notebook') note = "The notebook's own `%pip install` pins win over these files.";
  else if (kind && isManifestKind(kind) && lockEcosystem(kind) === undefined && env.locks[eco].length) note = `Ranges here are evaluated at the versions ${path.basename(env.locks[eco][0]!)} locks.`;
  else if (!decidedBy.length) note = 'The project declares no versions for this ecosystem.';
  return { ...base, projectRoot: toUri(env.root), decidedBy, ...(note ? { note } : {}) };
}

/** aiDependencyRisk/environment. */
export function onEnvironment(params: EnvironmentParams, src: EnvironmentSources): EnvironmentResult {
  const uri = typeof params?.uri === 'string' ? params.uri : '';
  const file = uriToPath(uri);
  const kind = file ? documentKindFor(file) : undefined;
  const index = src.environments.index(src.manifests(), src.roots());
  const folder = file ? index.workspaceRootOf(file) : undefined;
  let env = src.analysed(uri);
  if (!env && file) env = kind && isManifestKind(kind) ? index.environmentOfManifest(file, kind) : index.environmentOf(file);
  return describeEnvironment(uri, file, kind, env, folder);
}
