// Hover: the evidence for a dependency (versions, advisories, data age), a model id (Hub facts,
// fetched lazily and cached), or a code finding (its advisory and the manifest line behind it).
// The Markdown is redacted: a hover never shows credentials from URLs.
import type { Hover, HoverParams } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import path from 'node:path';
import { redactSecrets } from '../domain/redact';
import type { Environment } from '../engine/environments';
import { dependencyHover, findingHover, modelHover, type HoverEnvironment } from '../engine/hover';
import { describeModelScan } from '../rules/model/describeModelScan';
import { modelKey } from '../sources/huggingface';
import type { RuntimePool } from '../engine/runtime';
import type { AnalysisService } from './analysis';
import type { SettingsResolver } from './settings';
import { uriToPath } from './convert';
import { ruleDocUri } from '../ruleDocs';

/** A path as the user knows it: relative to the workspace folder that holds it. */
function displayPath(p: string, roots: readonly string[]): string {
  const root = roots.filter((r) => p === r || p.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  if (!root) return p;
  const rel = path.relative(root, p).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

function hoverEnvironment(env: Environment | undefined, roots: readonly string[]): HoverEnvironment | undefined {
  if (!env) return undefined;
  const decidedBy = (env.locks.PyPI.length ? env.locks.PyPI : env.manifests).map((f) => displayPath(f, roots));
  const root = displayPath(env.root, roots);
  return { root: root === '.' ? './' : `${root}/`, decidedBy };
}

const within = (r: { start: number; end: number }, o: number) => o >= r.start && o <= r.end;

export async function onHover(params: HoverParams, analysis: AnalysisService, settings: SettingsResolver, runtimes: RuntimePool): Promise<Hover | null> {
  const h = await hoverAt(params, analysis, settings, runtimes);
  if (h && typeof h.contents === 'object' && 'kind' in h.contents) h.contents = { ...h.contents, value: redactSecrets(h.contents.value) };
  return h;
}

async function hoverAt(params: HoverParams, analysis: AnalysisService, settings: SettingsResolver, runtimes: RuntimePool): Promise<Hover | null> {
  const found = analysis.resultFor(params.textDocument.uri);
  if (!found) return null;
  const { result, cell } = found;
  const idx = cell ?? 0;
  const lines = result.lines[idx];
  if (!lines) return null;
  const offset = lines.offsetAt(params.position);
  const a = result.analysis;
  const roots = analysis.workspaceRoots();
  const display = (uri: string) => displayPath(uriToPath(uri) ?? uri, roots);
  const env = hoverEnvironment(a.environment, roots);
  const describe = (f: Parameters<typeof findingHover>[0]) => findingHover(f, display, env, ruleDocUri(f.rule));

  const dep = a.dependencies.find((f) => (f.dep.cell ?? 0) === idx && within(f.dep.range, offset));
  if (dep) {
    return { contents: { kind: MarkupKind.Markdown, value: dependencyHover(dep) }, range: lines.range(dep.dep.nameRange) };
  }
  const model = a.code?.modelRefs.find((m) => m.kind === 'hub' && (m.cell ?? 0) === idx && within(m.range, offset));
  if (model?.kind === 'hub') {
    const global = await settings.global();
    let text: string;
    try {
      const rt = await runtimes.get(global);
      const ans = rt.sources.models ? await rt.sources.models.models([{ id: model.id, ...(model.revision ? { revision: model.revision } : {}) }]) : undefined;
      const info = ans?.models.get(modelKey(model.id, model.revision));
      const problem = ans?.notFound.has(modelKey(model.id, model.revision)) || ans?.notFound.has(model.id)
        ? `Not found on the Hub: **${model.id}** may be private, gated, mistyped — or a name anyone could register.`
        : ans?.errors.length
          ? `Hub facts unavailable: ${ans.errors[0]}`
          : global.offline
            ? 'Offline: author, license, weight formats, custom code and the Hub scan were not checked.'
            : undefined;
      text = modelHover(model.id, info, problem);
    } catch (e) {
      text = modelHover(model.id, undefined, `Hub facts unavailable: ${(e as Error).message}`);
    }
    const findings = a.findings.filter((f) => (f.cell ?? 0) === idx && within(f.range, offset));
    if (findings.length) text += '\n\n---\n' + findings.map(describe).join('\n\n');
    return { contents: { kind: MarkupKind.Markdown, value: text }, range: lines.range(model.range) };
  }
  // A literal path that loads a scanned model file: its format, size, imports and their verdicts.
  const files = (a.modelFiles ?? []).filter((m) => (m.cell ?? 0) === idx && within(m.range, offset));
  const scans = files.flatMap((m) => {
    const scan = analysis.modelFiles?.().peek(m.path);
    return scan ? [`\`${displayPath(m.path, roots)}\`\n\n${describeModelScan(scan)}`] : [];
  });
  if (scans.length) {
    const findings = a.findings.filter((f) => (f.cell ?? 0) === idx && within(f.range, offset) && !f.package);
    const text = scans.join('\n\n---\n') + (findings.length ? '\n\n---\n' + findings.map(describe).join('\n\n') : '');
    return { contents: { kind: MarkupKind.Markdown, value: text }, range: lines.range(files[0]!.range) };
  }
  const findings = a.findings.filter((f) => (f.cell ?? 0) === idx && within(f.range, offset) && !f.package);
  if (findings.length) {
    return { contents: { kind: MarkupKind.Markdown, value: findings.map(describe).join('\n\n---\n') }, range: lines.range(findings[0].range) };
  }
  return null;
}
