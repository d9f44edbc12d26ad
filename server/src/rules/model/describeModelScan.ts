// Hover markdown for a model file's scan: format, size and bytes read, imports with verdicts
// (denied and unknown ones named, allowed ones summarised), notes and format details.
import type { ModelFileScan, PickleImport } from '../../domain';
import { formatName } from './unsafeModelFile';

const MAX_ROWS = 15;
const esc = (s: string) => s.replace(/([\\`*_{}[\]<>|#])/g, '\\$1');

export function describeModelScan(scan: ModelFileScan): string {
  const lines: string[] = [];
  const state = scan.complete ? 'fully scanned' : '**not fully scanned**';
  lines.push(`**Model file** — ${formatName(scan.format)} · ${bytes(scan.size)} · ${bytes(scan.bytesRead)} read · ${state}`);

  const denied = group(scan.imports.filter((i) => i.verdict === 'denied'));
  const unknown = group(scan.imports.filter((i) => i.verdict === 'unknown'));
  const allowed = group(scan.imports.filter((i) => i.verdict === 'allowed'));
  if (scan.imports.length) {
    lines.push('', '| Verdict | Import | Where |', '|---|---|---|');
    let rows = 0;
    for (const [verdict, imports] of [['denied', denied], ['unknown', unknown]] as const) {
      for (const imp of imports) {
        if (rows++ >= MAX_ROWS) break;
        const why = imp.reason && verdict === 'denied' ? ` — ${esc(imp.reason)}` : '';
        lines.push(`| ${verdict === 'denied' ? '**denied**' : 'unknown'} | \`${code(imp)}\`${why} | ${esc(imp.where ?? '')} |`);
      }
    }
    const hidden = denied.length + unknown.length - Math.min(rows, MAX_ROWS);
    if (hidden > 0) lines.push(`| … | ${hidden} more | |`);
    if (allowed.length) {
      const names = allowed.slice(0, 5).map((i) => `\`${code(i)}\``).join(', ');
      lines.push(`| allowed | ${allowed.length} import${allowed.length === 1 ? '' : 's'}: ${names}${allowed.length > 5 ? ', …' : ''} | |`);
    }
  } else if (scan.format !== 'unknown') {
    lines.push('', 'No imports: nothing in this file is unpickled.');
  }

  const notes = scan.issues.filter((i) => i.kind !== 'denied-import' && !(i.kind === 'unknown-import' && i.message.startsWith('Imports ')));
  if (notes.length) {
    lines.push('', '**Notes**');
    for (const n of notes.slice(0, 10)) lines.push(`- ${n.severity === 'info' ? '' : `${n.severity}: `}${esc(n.message)}${n.where ? ` _(${esc(n.where)})_` : ''}`);
    if (notes.length > 10) lines.push(`- … ${notes.length - 10} more`);
  }
  const details = Object.entries(scan.details ?? {});
  if (details.length) lines.push('', details.map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(' · '));
  return lines.join('\n');
}

function group(imports: PickleImport[]): PickleImport[] {
  const seen = new Set<string>();
  return imports.filter((i) => {
    const k = `${i.module}.${i.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function code(i: PickleImport): string {
  return `${i.module}.${i.name}`.replace(/`/g, "'");
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
