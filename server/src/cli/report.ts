// The CLI's report in the contract's JSON shape, plus text and SARIF 2.1.0 renderings of it.
// Each finding carries a line-independent fingerprint (SARIF partialFingerprints, baselines), and
// each rule its documentation page: embedded as SARIF `help`, named by path in the text output.
import type { Finding, Severity } from '../domain';
import { LineIndex, type Position } from '../engine/lineIndex';

export interface JsonRange {
  start: Position;
  end: Position;
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  file: string;
  cell?: number;
  range: JsonRange;
  message: string;
  package?: { ecosystem: string; name: string; version?: string };
  advisories?: string[];
  fixes?: { title: string; edits: { file: string; cell?: number; range: JsonRange; newText: string }[] }[];
  confidence?: 'high' | 'low';
  related?: { file: string; range: JsonRange; message: string }[];
  /** Stable across line moves and unrelated edits (see fingerprint.ts). */
  fingerprint?: string;
}

export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  errors: { file?: string; message: string }[];
  /** With --baseline: how many findings the baseline hid. */
  suppressedByBaseline?: number;
}

/** A rule's documentation: where its page is, and its text (for SARIF `help`). */
export interface RuleDocs {
  path(rule: string): string | undefined;
  text(rule: string): string | undefined;
}

export const NO_DOCS: RuleDocs = { path: () => undefined, text: () => undefined };

export function toJsonFinding(f: Finding, file: string, lines: LineIndex, relate: (uri: string) => string): JsonFinding {
  const out: JsonFinding = {
    rule: f.rule,
    severity: f.severity,
    file,
    ...(f.cell !== undefined ? { cell: f.cell } : {}),
    range: lines.range(f.range),
    message: f.message,
  };
  if (f.package) out.package = { ...f.package };
  if (f.advisories?.length) out.advisories = f.advisories.map((a) => a.id);
  if (f.fixes?.length) {
    out.fixes = f.fixes.map((x) => ({
      title: x.title,
      edits: x.edits.map((e) => ({ file, ...(f.cell !== undefined ? { cell: f.cell } : {}), range: lines.range(e.range), newText: e.newText })),
    }));
  }
  if (f.confidence) out.confidence = f.confidence;
  if (f.related?.length) out.related = f.related.map((r) => ({ file: relate(r.uri), range: r.range, message: r.message }));
  return out;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function exitCodeFor(report: JsonReport, failOn: 'error' | 'warning' | 'info' | 'never'): 0 | 1 {
  if (failOn === 'never') return 0;
  const min = RANK[failOn];
  return report.findings.some((f) => RANK[f.severity] >= min) ? 1 : 0;
}

export function renderText(report: JsonReport, color: boolean, docs: RuleDocs = NO_DOCS): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '90' };
  const out: string[] = [];
  for (const f of report.findings) {
    const where = `${f.file}${f.cell !== undefined ? `[cell ${f.cell}]` : ''}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    out.push(`${where}  ${c(sevColor[f.severity], f.severity.padEnd(7))} ${c('1', f.rule)}  ${f.message}`);
    for (const fx of f.fixes ?? []) out.push(`    fix: ${fx.title}`);
  }
  for (const e of report.errors) out.push(`${e.file ? `${e.file}: ` : ''}${c('35', 'error')} ${e.message}`);
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of report.findings) counts[f.severity]++;
  const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
  if (rules.length) {
    out.push('', 'Rules:');
    const width = Math.max(...rules.map((r) => r.length));
    for (const r of rules) out.push(`  ${r.padEnd(width)}  ${docs.path(r) ?? '(no documentation page installed)'}`);
  }
  out.push('');
  out.push(
    `${report.findings.length} finding(s): ${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint${report.errors.length ? `; ${report.errors.length} file error(s)` : ''}`,
  );
  if (report.suppressedByBaseline !== undefined) out.push(`${report.suppressedByBaseline} finding(s) suppressed by the baseline`);
  return out.join('\n') + '\n';
}

const RULE_TEXT: Record<string, string> = {
  'vulnerable-dependency': 'Dependency version affected by a known vulnerability',
  'malicious-package': 'Package reported as malicious',
  'typosquat-suspect': 'Package name looks like a typosquat of a popular package',
  'unknown-package': 'Package does not exist on the registry',
  'yanked-version': 'Pinned version was yanked',
  'deprecated-package': 'Package is deprecated',
  'unpinned-dependency': 'Dependency is not pinned or locked',
  'license-notice': 'Restrictive or missing license',
  'unsafe-torch-load': 'torch.load can execute code from the checkpoint',
  'pickle-deserialization': 'Pickle-based deserialization executes code',
  'numpy-allow-pickle': 'numpy.load with allow_pickle executes code',
  'trust-remote-code': 'trust_remote_code runs the model repository’s Python code',
  'unpinned-model-revision': 'Hub download not pinned to a commit',
  'unsafe-keras-load': 'Keras model loading with safe_mode disabled',
  'unsafe-yaml-load': 'yaml.load without a safe Loader',
  'torch-hub-load': 'torch.hub.load runs the repository’s hubconf.py',
  'dangerous-deserialization-flag': 'Dangerous deserialization explicitly allowed',
  'insecure-model-source': 'Model fetched insecurely',
  'unsafe-model-file': 'Model file can run code when loaded',
  'package-denied': 'Package denied by the project policy',
  'model-not-approved': 'Model not approved by the project policy',
  'license-policy': 'Licence not allowed by the project policy',
  'new-release': 'Release younger than the policy’s minimum age',
};

/** Markdown without its syntax, for SARIF `help.text` (viewers that do not render Markdown). */
export function markdownToText(md: string): string {
  return md
    .replace(/^```[^\n]*$/gm, '')
    .replace(/^#{1,6}[ \t]+/gm, '')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function renderSarif(report: JsonReport, version: string, docs: RuleDocs = NO_DOCS): object {
  const ruleIds = [...new Set(report.findings.map((f) => f.rule))].sort();
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ai-dependency-risk',
            version,
            informationUri: 'https://github.com/ai-dependency-risk/ai-dependency-risk',
            // No helpUri: the page's path on the machine that ran the scan resolves nowhere the
            // report is read (a code scanning upload); the page itself is embedded as `help`.
            rules: ruleIds.map((id) => {
              const page = docs.text(id);
              return {
                id,
                name: id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
                shortDescription: { text: RULE_TEXT[id] ?? id },
                ...(page ? { help: { text: markdownToText(page), markdown: page } } : {}),
              };
            }),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: level(f.severity),
          message: { text: f.cell !== undefined ? `cell ${f.cell}, line ${f.range.start.line + 1}: ${f.message}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                region:
                  f.cell !== undefined
                    ? { startLine: 1 }
                    : { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
              },
            },
          ],
          // Line-independent, so code scanning keeps tracking an alert when lines move.
          ...(f.fingerprint ? { partialFingerprints: { 'aidrFingerprint/v1': f.fingerprint } } : {}),
          properties: {
            severity: f.severity,
            ...(f.cell !== undefined ? { cell: f.cell } : {}),
            ...(f.package ? { package: f.package } : {}),
            ...(f.advisories ? { advisories: f.advisories } : {}),
          },
          ...(f.fixes?.length && f.cell === undefined
            ? {
                fixes: f.fixes.map((x) => ({
                  description: { text: x.title },
                  artifactChanges: [
                    {
                      artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                      replacements: x.edits.map((e) => ({
                        deletedRegion: { startLine: e.range.start.line + 1, startColumn: e.range.start.character + 1, endLine: e.range.end.line + 1, endColumn: e.range.end.character + 1 },
                        insertedContent: { text: e.newText },
                      })),
                    },
                  ],
                })),
              }
            : {}),
        })),
        ...(report.suppressedByBaseline !== undefined ? { properties: { suppressedByBaseline: report.suppressedByBaseline } } : {}),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              ...(e.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: e.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' } } }] } : {}),
            })),
          },
        ],
      },
    ],
  };
}
