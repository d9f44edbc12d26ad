// `aidr inventory`'s environments: every project found, the manifests and lockfiles that decide
// its versions, the workspace root whose lockfile it shares, and the code files that belong to it.
import { EnvironmentIndex, type Environment } from '../engine/environments';
import { isManifestKind, type EngineDocument, type ManifestKind } from '../engine/documents';

export interface InventoryEnvironment {
  root: string;
  manifests: string[];
  lockfiles: string[];
  /** The workspace root whose lockfile the project shares, per ecosystem. */
  workspaceRoot?: { PyPI?: string; npm?: string };
  /** Python files and notebooks that belong to the project. */
  members: string[];
}

export function inventoryEnvironments(
  docs: readonly EngineDocument[],
  root: string,
  rel: (abs: string) => string,
): { environments: InventoryEnvironment[]; environmentOf: (doc: EngineDocument) => string | undefined; projectRootOf: (doc: EngineDocument) => string | undefined } {
  const manifests = docs.filter((d) => d.path && isManifestKind(d.kind));
  const index = new EnvironmentIndex(
    manifests.map((d) => ({ path: d.path!, kind: d.kind as ManifestKind, text: d.text })),
    [root],
  );
  const envOf = (d: EngineDocument): Environment | undefined =>
    !d.path ? undefined : isManifestKind(d.kind) ? index.environmentOfManifest(d.path, d.kind) : index.environmentOf(d.path);
  const members = new Map<string, string[]>();
  for (const d of docs) {
    if (d.kind !== 'python' && d.kind !== 'notebook') continue;
    const env = envOf(d);
    if (!env) continue;
    if (!members.has(env.root)) members.set(env.root, []);
    members.get(env.root)!.push(rel(d.path!));
  }
  const relRoot = (abs: string) => (abs === root ? '.' : rel(abs));
  const environments = index.all().map((env) => {
    const ws = env.workspaceRoot;
    return {
      root: relRoot(env.root),
      manifests: env.manifests.map(rel),
      lockfiles: [...env.locks.PyPI, ...env.locks.npm].map(rel),
      ...(ws && (ws.PyPI || ws.npm) ? { workspaceRoot: { ...(ws.PyPI ? { PyPI: relRoot(ws.PyPI) } : {}), ...(ws.npm ? { npm: relRoot(ws.npm) } : {}) } } : {}),
      members: members.get(env.root) ?? [],
    };
  });
  return {
    environments,
    environmentOf: (d) => {
      const e = envOf(d);
      return e ? relRoot(e.root) : undefined;
    },
    projectRootOf: (d) => envOf(d)?.root,
  };
}
