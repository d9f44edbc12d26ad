// `aidr inventory`: every dependency each manifest, lockfile and notebook install line declares
// (with its environment and where the lockfile says it comes from), the environments with their
// members, and the models the code loads or the tree holds; as JSON or a short text listing.
import type { Dependency } from '../domain';
import type { EngineDocument } from '../engine/documents';
import { isManifestKind } from '../engine/documents';
import { LineIndex } from '../engine/lineIndex';
import { ModelFileCache } from '../engine/modelFiles';
import { redactUrl } from '../domain/redact';
import { parseManifest } from '../manifests';
import { parsePipInstallCommands } from '../manifests/pipInstall';
import { parseNotebook } from '../python/notebook';
import type { ScanArgs } from './args';
import { inventoryEnvironments } from './environments';
import { inventoryModels } from './inventoryModels';
import { rel, write } from './output';
import { redactDeep } from './redactReport';

export interface InventoryTarget {
  root: string;
  roots: string[];
  models: string[];
  errors: { file?: string; message: string }[];
}

export async function inventory(args: ScanArgs, target: InventoryTarget, docs: EngineDocument[]): Promise<number> {
  const deps: object[] = [];
  const errors = [...target.errors];
  const envs = inventoryEnvironments(docs, target.root, (abs) => rel(target.root, abs));
  for (const d of docs) {
    const file = rel(target.root, d.path!);
    const environment = envs.environmentOf(d);
    const push = (x: Dependency, lines: LineIndex, cell?: number) =>
      deps.push({
        file,
        ...(environment !== undefined ? { environment } : {}),
        ...(cell !== undefined ? { cell } : {}),
        range: lines.range(x.nameRange),
        requirementRange: lines.range(x.range),
        ecosystem: x.ecosystem,
        name: x.name,
        rawName: x.rawName,
        specifier: x.specifier,
        ...(x.pinned ? { pinned: x.pinned } : {}),
        ...(x.extras.length ? { extras: x.extras } : {}),
        ...(x.marker ? { marker: x.marker } : {}),
        ...(x.url ? { url: redactUrl(x.url) } : {}),
        ...(x.group ? { group: x.group } : {}),
        source: x.format,
        // Where the lockfile says the package comes from (registry, git, tarball, path, ...).
        ...(x.source ? { origin: x.source } : {}),
      });
    if (isManifestKind(d.kind)) {
      const r = parseManifest(d.path!, d.text);
      const lines = new LineIndex(d.text);
      for (const x of r.dependencies) push(x, lines);
      for (const p of r.problems) errors.push({ file, message: `line ${lines.positionAt(p.range.start).line + 1}: ${p.message}` });
    } else if (d.kind === 'notebook') {
      const cells = parseNotebook(d.text).cells.map((c) => c.source);
      cells.forEach((c, i) => {
        const r = parsePipInstallCommands(c, 0);
        const lines = new LineIndex(c);
        for (const x of r.dependencies) push(x, lines, i);
      });
    }
  }
  const models = await inventoryModels({
    docs,
    candidates: target.models,
    files: new ModelFileCache(target.roots),
    root: target.root,
    rel: (abs) => rel(target.root, abs),
    environmentOf: (d) => envs.environmentOf(d),
    projectRootOf: (d) => envs.projectRootOf(d),
  });
  const out = redactDeep({ version: 1, environments: envs.environments, dependencies: deps, models, errors });
  if (args.format === 'text') {
    const lines = (out.dependencies as { file: string; range: { start: { line: number } }; name: string; specifier: string; source: string }[]).map(
      (d) => `${d.file}:${d.range.start.line + 1}  ${d.name} ${d.specifier || '(any)'}  [${d.source}]`,
    );
    const envLines = out.environments.map(
      (e) => `${e.root}/  versions from ${[...e.lockfiles, ...e.manifests].join(', ') || '(nothing)'}${e.members.length ? `; code: ${e.members.length} file(s)` : ''}`,
    );
    const errs = out.errors.map((e) => `${e.file ? `${e.file}: ` : ''}error ${e.message}`);
    const modelLines = out.models.map((m) => {
      const what = m.kind === 'hub' ? `${m.id}${m.revision ? `@${m.revision}` : ''}${m.pinned ? '' : ' (not pinned to a commit)'}` : `${m.path}${m.kind === 'local' ? ' (not in the tree)' : ''}`;
      const worst = m.findings?.find((f) => f.severity === 'error') ?? m.findings?.find((f) => f.severity === 'warning');
      const used = m.usedIn.length ? `; used in ${[...new Set(m.usedIn.map((u) => u.file))].join(', ')}` : '';
      return `  [${m.kind}${m.format ? `, ${m.format}` : ''}] ${what}${worst ? ` — ${worst.severity}: ${worst.message}` : ''}${used}`;
    });
    await write(
      args,
      `Environments:\n${envLines.map((l) => `  ${l}`).join('\n')}\n\n` +
        (modelLines.length ? `Models:\n${modelLines.join('\n')}\n\n` : '') +
        [...lines, ...errs].join('\n') +
        `\n\n${deps.length} dependencies, ${out.models.length} models\n`,
    );
  } else await write(args, JSON.stringify(out, null, 2) + '\n');
  return 0;
}
