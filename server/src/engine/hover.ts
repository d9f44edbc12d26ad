// Markdown for hovers: the evidence behind a dependency or model finding. Pure functions of facts.
import { affectingAdvisories, type DependencyFacts } from '../rules/dependency/facts';
import { toAdvisoryRef } from '../versions/advisoryRef';
import type { Freshness, ModelInfo } from '../domain';
import { popularityText } from '../data/popular';
import type { Finding } from '../domain';

export function describeAge(freshness: Freshness | undefined, now = Date.now()): string {
  if (!freshness) return 'no advisory data';
  const mins = Math.max(0, Math.round((now - freshness.fetchedAt) / 60_000));
  const age = mins < 1 ? 'just now' : mins < 60 ? `${mins} min ago` : mins < 48 * 60 ? `${Math.round(mins / 60)} h ago` : `${Math.round(mins / 1440)} days ago`;
  const origin = freshness.origin === 'offline-db' ? 'offline advisory database' : freshness.origin === 'cache' ? 'cache' : 'network';
  return `${freshness.stale ? '**stale** — ' : ''}data from ${origin}, fetched ${age}`;
}

const esc = (s: string) => s.replace(/([\\`*_{}[\]<>|])/g, '\\$1');

export function dependencyHover(f: DependencyFacts, now = Date.now()): string {
  const { dep } = f;
  const lines: string[] = [];
  lines.push(`**${esc(dep.rawName)}** ${dep.specifier ? `\`${esc(dep.specifier)}\`` : '(any version)'} — ${dep.ecosystem}`);
  const facts: string[] = [];
  if (f.evaluated) {
    const how = f.evaluated.how === 'pinned' ? 'pinned' : f.evaluated.how === 'locked' ? 'locked' : 'newest allowed';
    facts.push(`${how}: **${f.evaluated.version}**`);
  }
  if (f.metadata?.latest) facts.push(`latest: ${f.metadata.latest}`);
  if (f.metadata?.license) facts.push(`license: ${esc(f.metadata.license)}`);
  if (f.metadata?.deprecated) facts.push(`deprecated: ${esc(f.metadata.deprecated)}`);
  if (facts.length) lines.push(facts.join(' · '));
  const about: string[] = [];
  const uploads = (f.metadata?.releases ?? []).map((r) => r.uploadTime).filter((t): t is string => !!t).sort();
  if (uploads.length) about.push(`first release: ${uploads[0].slice(0, 10)}`);
  const pop = popularityText(dep.ecosystem, dep.name);
  about.push(pop ? `popularity: ${pop}` : f.metadata ? 'not among the most downloaded packages' : '');
  if (about.filter(Boolean).length) lines.push(about.filter(Boolean).join(' · '));
  const yanked = f.evaluated && f.metadata?.releases.find((r) => r.version === f.evaluated!.version && r.yanked);
  if (yanked) lines.push(`⚠ ${f.evaluated!.version} is yanked${yanked.yankedReason ? `: ${esc(yanked.yankedReason)}` : ''}`);

  const v = f.evaluated?.version;
  const affecting = affectingAdvisories(f);
  const others = f.advisories.filter((r) => !affecting.includes(r));
  if (affecting.length) {
    lines.push('', `**Advisories affecting ${v}:**`);
    for (const r of affecting) lines.push(advisoryLine(toAdvisoryRef(r, dep.ecosystem, dep.name)));
  } else if (v && f.advisories.length === 0) {
    lines.push('', `No known advisories for ${dep.rawName}.`);
  } else if (v) {
    lines.push('', `No known advisory affects ${v}.`);
  }
  if (others.length) {
    lines.push('', `Other advisories for ${esc(dep.rawName)} (${others.length}): ${others.slice(0, 8).map((r) => `[${r.id}](https://osv.dev/vulnerability/${r.id})`).join(', ')}${others.length > 8 ? ', …' : ''}`);
  }
  lines.push('', `_${describeAge(f.freshness, now)}_`);
  return lines.join('\n');
}

function advisoryLine(a: ReturnType<typeof toAdvisoryRef>): string {
  const sev = a.severity && a.severity !== 'UNKNOWN' ? ` **${a.severity}**` : '';
  const aliases = a.aliases.length ? ` (${a.aliases.slice(0, 3).map(esc).join(', ')})` : '';
  const fixed = a.fixed.length ? ` — fixed in ${a.fixed.join(', ')}` : ' — no fixed version';
  return `- [${a.id}](${a.url})${aliases}${sev}: ${esc(a.summary ?? '')}${fixed}`;
}

/** Where a code finding's versions come from: its project and the files that decide. */
export interface HoverEnvironment {
  /** The project root as the user knows it (workspace-relative). */
  root: string;
  /** The lockfiles or manifests that fix its versions, as shown to the user. */
  decidedBy: string[];
}

/**
 * A finding with its advisories and the exact manifest line behind it. `display` turns a related
 * location's uri into what the user sees (a workspace-relative path); `env` names the project;
 * `docs` is the rule page's link (the same as the diagnostic's).
 */
export function findingHover(f: Finding, display: (uri: string) => string = (u) => u, env?: HoverEnvironment, docs?: string): string {
  const rule = docs ? `[${f.rule}](${docs})` : f.rule;
  const lines = [`**${rule}** (${f.severity}${f.confidence === 'low' ? ', low confidence' : ''}): ${esc(f.message)}`];
  for (const a of f.advisories ?? []) lines.push(advisoryLine(a));
  for (const r of f.related ?? []) {
    const line = r.range.start.line + 1;
    const link = /^[a-z][a-z0-9+.-]*:/i.test(r.uri) ? `${r.uri}#L${line}` : undefined;
    const place = `${esc(display(r.uri))}:${line}`;
    lines.push(`- decided by ${link ? `[${place}](${link})` : place}: ${esc(r.message)}`);
  }
  if (env && f.related?.length) lines.push(`- environment: \`${esc(env.root)}\`${env.decidedBy.length ? ` (versions from ${env.decidedBy.map(esc).join(', ')})` : ''}`);
  return lines.join('\n');
}

export function modelHover(id: string, info: ModelInfo | undefined, problem?: string, now = Date.now()): string {
  const lines = [`**${esc(id)}** — Hugging Face model`];
  if (!info) {
    lines.push('', problem ?? 'Hub facts unavailable (offline or unreachable): author, license, weight formats, custom code and the Hub scan were not checked.');
    return lines.join('\n');
  }
  const row: string[] = [];
  if (info.author) row.push(`author: ${esc(info.author)}`);
  if (info.downloads !== undefined) row.push(`downloads: ${info.downloads.toLocaleString('en-US')}`);
  if (info.license) row.push(`license: ${esc(info.license)}`);
  if (info.gated) row.push(`gated: ${info.gated === true ? 'yes' : esc(String(info.gated))}`);
  if (row.length) lines.push(row.join(' · '));
  lines.push(weightsLine(info));
  if (info.customCode || info.autoMap || info.customCodeFiles?.length) {
    const files = info.customCodeFiles ?? [];
    lines.push(`custom code: **yes**${files.length ? ` (${files.slice(0, 4).map((f) => `\`${esc(f)}\``).join(', ')}${files.length > 4 ? ', …' : ''})` : ''} — \`trust_remote_code=True\` would run it`);
  }
  const scans = fileScanLines(info);
  // The repository-level verdict, unless the per-file scan says everything it would.
  if (info.security && (!scans.length || !info.security.scansDone || info.security.filesWithIssues?.length)) {
    lines.push(
      `Hub security scan: ${!info.security.scansDone ? 'not done (unknown, not safe)' : info.security.filesWithIssues?.length ? `**issues in ${info.security.filesWithIssues.map(esc).join(', ')}**` : esc(info.security.status ?? 'no issues reported')}`,
    );
  }
  lines.push(...scans);
  const lineage = lineageLine(info);
  if (lineage) lines.push(lineage);
  else if (info.baseModels?.length) lines.push(`base model: ${info.baseModels.map(esc).join(', ')}`);
  const commit = info.lastCommit ?? (info.sha ? { sha: info.sha, date: info.lastModified } : undefined);
  if (commit) lines.push(`current commit: \`${commit.sha}\`${commit.date ? ` (${commit.date.slice(0, 10)})` : ''}`);
  lines.push('', `_${describeAge(info.freshness, now)}_`);
  return lines.join('\n');
}

function weightsLine(info: ModelInfo): string {
  const formats = info.weightFormats;
  if (formats) {
    if (formats.length === 0) return 'weights: none found';
    return `weights: ${formats.map(esc).join(' + ')}${info.pickleOnly ? ' — **only pickle-based weights**: loading them can run code' : ''}`;
  }
  const safetensors = info.files.some((f) => f.endsWith('.safetensors'));
  const pickled = info.files.filter((f) => /\.(bin|pt|pth|ckpt|pkl|pickle)$/i.test(f));
  if (!safetensors && !pickled.length) return 'weights: none found';
  return `weights: ${safetensors ? 'safetensors' : ''}${safetensors && pickled.length ? ' + ' : ''}${pickled.length ? 'pickle-based' : ''}${!safetensors ? ' — **only pickle-based weights**: loading them can run code' : ''}`;
}

/** The Hub's own per-file scan: what it flagged, and what nobody has checked. */
function fileScanLines(info: ModelInfo): string[] {
  const scans = info.fileScans;
  if (!scans?.length) return [];
  const bad = scans.filter((f) => f.status === 'unsafe' || f.status === 'suspicious' || f.status === 'caution' || f.pickleImports?.some((i) => i.safety === 'dangerous' || i.safety === 'suspicious'));
  const unknown = scans.filter((f) => f.status === 'unscanned' || f.status === 'queued' || f.status === 'error' || f.status === 'unknown');
  const out: string[] = [];
  for (const f of bad.slice(0, 4)) {
    const risky = (f.pickleImports ?? []).filter((i) => i.safety !== 'innocuous').slice(0, 4).map((i) => `\`${esc(`${i.module}.${i.name}`)}\` (${i.safety})`);
    out.push(`Hub scan: **${esc(f.path)} ${f.status}**${f.flaggedBy?.length ? ` by ${f.flaggedBy.map(esc).join(', ')}` : ''}${risky.length ? ` — imports ${risky.join(', ')}` : ''}`);
  }
  if (bad.length > 4) out.push(`Hub scan: …and ${bad.length - 4} more flagged files`);
  if (unknown.length) out.push(`Hub scan: ${unknown.length} pickle-based file(s) not scanned (${unknown.slice(0, 3).map((f) => esc(f.path)).join(', ')}${unknown.length > 3 ? ', …' : ''}) — unknown, not safe`);
  if (!bad.length && !unknown.length) out.push(`Hub scan: ${scans.length} pickle-based file(s) scanned, nothing flagged${info.fileScansTruncated ? ' (more files not asked)' : ''}`);
  return out;
}

/** `fine-tune of meta-llama/Llama-3.1-8B (llama3.1, gated) ← quantized from …`, closest first. */
function lineageLine(info: ModelInfo): string | undefined {
  const entries = info.lineage;
  if (!entries?.length) return undefined;
  const parts = entries.slice(0, 6).map((e) => {
    const rel = e.relation === 'finetune' ? 'fine-tune of' : e.relation === 'quantized' ? 'quantized from' : e.relation === 'adapter' ? 'adapter on' : e.relation === 'merge' ? 'merge of' : 'based on';
    const facts = [e.license, e.gated ? 'gated' : undefined, e.missing === 'not-found' ? 'not found on the Hub' : e.missing === 'unknown' ? 'not checked' : undefined].filter(Boolean);
    return `${e.depth > 1 ? `${esc(e.child)} is ` : ''}${rel} **${esc(e.id)}**${facts.length ? ` (${facts.map((x) => esc(String(x))).join(', ')})` : ''}`;
  });
  return `lineage: ${parts.join(' ← ')}${entries.length > 6 ? ' ← …' : ''}`;
}
