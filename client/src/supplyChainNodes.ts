// The supply-chain tree as plain nodes: projects, their Packages and Models groups, rows with
// labels, descriptions, tooltips and icons by severity, findings under each row, and "…N more"
// where the server capped. No `vscode` import, so it is tested on its own; supplyChainView.ts turns
// nodes into TreeItems.
import type {
  CompactRange,
  SupplyChainFinding,
  SupplyChainModel,
  SupplyChainPackage,
  SupplyChainProject,
  SupplyChainResult,
  SupplyChainSeverity,
} from '../../server/src/protocol';

/** Where a click goes: a file at a range (in a cell, for a notebook), or a model file's
 * diagnostics. */
export interface OpenTarget {
  uri: string;
  range: CompactRange;
  cell?: number;
  modelFile?: boolean;
}

export interface Icon {
  /** A codicon id. */
  id: string;
  /** A theme colour id. */
  color?: string;
}

export interface SupplyNode {
  /** Stable across refreshes, so expanded rows stay expanded. */
  id: string;
  kind: 'project' | 'group' | 'package' | 'model' | 'finding' | 'more' | 'message';
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: Icon;
  children: SupplyNode[];
  expanded?: boolean;
  open?: OpenTarget;
}

const SEVERITY_ICON: Record<SupplyChainSeverity, Icon> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
  hint: { id: 'lightbulb' },
};

const iconFor = (worst: SupplyChainSeverity | undefined, fallback: string): Icon => (worst ? SEVERITY_ICON[worst] : { id: fallback });

export function baseName(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Markdown-safe text: the tooltip must not render a package's message as links or HTML. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function findingNode(f: SupplyChainFinding, files: readonly string[], parent: string, i: number, modelFile?: number): SupplyNode {
  const firstLine = f.message.split('\n')[0] ?? '';
  return {
    id: `${parent}/f${i}`,
    kind: 'finding',
    label: f.rule,
    description: firstLine,
    tooltip: `**${md(f.rule)}** (${f.severity})\n\n${md(f.message)}${f.advisories?.length ? `\n\nAdvisories: ${f.advisories.map(md).join(', ')}` : ''}`,
    icon: SEVERITY_ICON[f.severity],
    children: [],
    // A model file's own finding: its diagnostics, not the binary in an editor.
    open: target(f.at, files, modelFile !== undefined && f.at.file === modelFile),
  };
}

function target(at: { file: number; range: CompactRange; cell?: number }, files: readonly string[], modelFile = false): OpenTarget {
  return { uri: files[at.file] ?? '', range: at.range, ...(at.cell !== undefined ? { cell: at.cell } : {}), ...(modelFile ? { modelFile: true } : {}) };
}

export function packageNode(p: SupplyChainPackage, files: readonly string[], parent: string): SupplyNode {
  const id = `${parent}/${p.ecosystem}:${p.name}@${p.version ?? p.specifier ?? ''}`;
  const where = baseName(files[p.at.file] ?? '');
  const version = p.version ?? p.specifier ?? '';
  const parts = [
    p.versionFrom === 'newest-allowed' ? `newest allowed by ${p.specifier ?? 'the range'}` : p.versionFrom === 'locked' && p.specifier ? `locked (${p.specifier})` : undefined,
    p.direct ? 'direct' : 'transitive',
    `${where}${p.alsoIn?.length ? ` +${p.alsoIn.length}` : ''}`,
    p.source,
    p.findings[0]?.rule,
  ].filter((x): x is string => !!x);
  const declared = [p.at.file, ...(p.alsoIn ?? [])].map((i) => `\`${md(baseName(files[i] ?? ''))}\``).join(', ');
  const tooltip = [
    `**${md(p.name)}** ${md(version)} (${p.ecosystem})`,
    p.versionFrom ? `version: ${p.versionFrom}${p.specifier ? ` — declared ${md(p.specifier)}` : ''}` : p.specifier ? `declared ${md(p.specifier)}, version not resolved yet` : undefined,
    `${p.direct ? 'direct dependency' : 'transitive (only in the lockfile)'} · in ${declared}`,
    p.source ? `source: ${md(p.source)} (not the registry package)` : undefined,
    p.findings.length ? p.findings.map((f) => `- ${f.severity}: ${md(f.message)}`).join('\n') : 'no findings',
  ].filter((x): x is string => !!x);
  return {
    id,
    kind: 'package',
    label: `${p.name}${version ? ` ${version}` : ''}`,
    description: parts.join(' · '),
    tooltip: tooltip.join('\n\n'),
    icon: iconFor(p.worst, 'package'),
    children: p.findings.map((f, i) => findingNode(f, files, id, i)),
    open: target(p.at, files),
  };
}

const VERDICT_TEXT: Record<string, string> = { safe: 'safe', caution: 'caution', unsafe: 'UNSAFE', unknown: 'unknown', 'not-checked': 'not checked' };

export function modelNode(m: SupplyChainModel, files: readonly string[], parent: string): SupplyNode {
  const id = `${parent}/${m.kind}:${m.name}@${m.revision ?? ''}`;
  const pin = m.kind !== 'hub' ? undefined : m.pinnedToCommit ? 'pinned to a commit' : m.revision ? `revision ${m.revision} (not a commit)` : 'unpinned';
  const scan = m.scan ? `${m.scan.by === 'hub' ? 'Hub scan' : 'scan'}: ${VERDICT_TEXT[m.scan.verdict] ?? m.scan.verdict}` : undefined;
  const approved = m.approved === true ? 'approved' : m.approved === false ? 'not approved' : undefined;
  const calls = m.kind === 'file' ? (m.calls ? plural(m.calls, 'loading call') : 'in the tree') : m.calls > 1 ? plural(m.calls, 'call') : undefined;
  const local = m.kind === 'local' ? 'local path · no model file found' : undefined;
  const parts = [local, pin, m.license, m.formats?.join('+'), scan, approved, calls].filter((x): x is string => !!x);
  const kindText = m.kind === 'hub' ? 'Hugging Face Hub model' : m.kind === 'file' ? 'model file' : 'local model path (no scanned file)';
  const tooltip = [
    `**${md(m.name)}** — ${kindText}`,
    m.revision ? `revision: \`${md(m.revision)}\`${m.pinnedToCommit ? ' (a commit)' : ''}` : m.kind === 'hub' ? 'no revision: whatever the repository holds today' : undefined,
    m.license ? `licence: ${md(m.license)}` : undefined,
    m.formats?.length ? `format: ${m.formats.map(md).join(', ')}` : undefined,
    scan ? `${scan}${m.scan?.detail ? ` — ${md(m.scan.detail)}` : ''}` : undefined,
    approved ? `policy: ${approved}` : undefined,
    m.findings.length ? m.findings.map((f) => `- ${f.severity}: ${md(f.message)}`).join('\n') : undefined,
  ].filter((x): x is string => !!x);
  const fallback = m.kind === 'file' ? 'file-binary' : m.kind === 'hub' ? 'hubot' : 'file';
  return {
    id,
    kind: 'model',
    label: m.revision && m.kind === 'hub' ? `${m.name}@${m.pinnedToCommit ? m.revision.slice(0, 10) : m.revision}` : m.name,
    description: parts.join(' · '),
    tooltip: tooltip.join('\n\n'),
    icon: iconFor(m.worst, fallback),
    children: m.findings.map((f, i) => findingNode(f, files, id, i, m.modelFile)),
    open: target(m.at, files, m.kind === 'file'),
  };
}

function moreNode(n: number, parent: string, what: string): SupplyNode {
  return { id: `${parent}/more`, kind: 'more', label: `…${n} more`, description: `${what} not listed (worst are listed first)`, icon: { id: 'ellipsis' }, children: [] };
}

export function projectNode(p: SupplyChainProject, files: readonly string[]): SupplyNode {
  const root = files[p.root] ?? '';
  const id = `p:${root}`;
  const packages = p.packages.map((r) => packageNode(r, files, `${id}/packages`));
  const models = p.models.map((r) => modelNode(r, files, `${id}/models`));
  if (p.morePackages) packages.push(moreNode(p.morePackages, `${id}/packages`, plural(p.morePackages, 'package')));
  if (p.moreModels) models.push(moreNode(p.moreModels, `${id}/models`, plural(p.moreModels, 'model')));
  const groups: SupplyNode[] = [];
  const group = (name: 'Packages' | 'Models', rows: SupplyNode[], shown: number, total: number, icon: string) =>
    groups.push({
      id: `${id}/${name.toLowerCase()}`,
      kind: 'group',
      label: name,
      description: shown === total ? String(total) : `${shown} of ${total}`,
      icon: { id: icon },
      children: rows,
      expanded: true,
    });
  if (packages.length) group('Packages', packages, p.packages.length, p.counts.packages, 'package');
  if (models.length) group('Models', models, p.models.length, p.counts.models, 'circuit-board');
  if (!groups.length) groups.push({ id: `${id}/empty`, kind: 'message', label: 'No packages or models', icon: { id: 'circle-slash' }, children: [] });
  const decided = p.decidedBy.map((i) => baseName(files[i] ?? ''));
  const label = p.name === '.' ? baseName(root) : p.name;
  return {
    id,
    kind: 'project',
    label,
    description: [p.name === '.' ? './' : undefined, plural(p.counts.packages, 'package'), plural(p.counts.models, 'model'), p.counts.withFindings ? `${p.counts.withFindings} with findings` : undefined]
      .filter((x): x is string => !!x)
      .join(' · '),
    tooltip: [`**${md(label)}** — project root \`${md(root)}\``, decided.length ? `versions decided by: ${decided.map((d) => `\`${md(d)}\``).join(', ')}` : 'no lockfile or manifest decides versions here'].join('\n\n'),
    icon: iconFor(p.worst, 'root-folder'),
    children: groups,
    expanded: true,
  };
}

/** The top level: one node per project, or a message saying why there is none. */
export function rootNodes(r: SupplyChainResult | undefined, onlyFindings: boolean): SupplyNode[] {
  if (!r) return [{ id: 'loading', kind: 'message', label: 'Loading the supply chain…', icon: { id: 'loading~spin' }, children: [] }];
  if (!r.projects.length) {
    const label = onlyFindings ? 'Nothing with findings' : 'No manifests, lockfiles or models found';
    return [{ id: 'none', kind: 'message', label, icon: { id: onlyFindings ? 'pass' : 'info' }, children: [] }];
  }
  return r.projects.map((p) => projectNode(p, r.files));
}

/** The line above the tree: what the data is, and how old. */
export function viewMessage(r: SupplyChainResult | undefined, refreshing: boolean): string | undefined {
  if (!r) return undefined;
  const parts: string[] = [];
  if (refreshing) parts.push('Checking every file…');
  else if (!r.complete) parts.push('From open files and parsed manifests; refresh to check every file.');
  if (r.cancelled) parts.push('Refresh cancelled.');
  if (r.offline) parts.push('Offline: cached data only.');
  if (r.errors.length) parts.push(`${plural(r.errors.length, 'problem')} (see the log).`);
  return parts.length ? parts.join(' ') : undefined;
}
