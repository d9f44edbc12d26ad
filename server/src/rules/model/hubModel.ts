// unsafe-model-file for Hub repositories, from the Hub's own facts (online only; offline the hover
// says "not checked" instead of guessing): a repository whose files the Hub's scanners flag, or
// whose pickle imports the Hub calls dangerous, is an error on the loading call; a repository
// with only pickle-based weights is a warning (loading means unpickling). Pure: facts in, findings out.
import type { Finding, HubModelReference, ModelInfo } from '../../domain';

const MAX_NAMED = 3;

function list(items: string[]): string {
  return items.length <= MAX_NAMED ? items.join(', ') : `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more`;
}

/** Files the Hub flags: its repository-level list, unsafe/suspicious file scans, dangerous imports. */
function flagged(info: ModelInfo): { files: string[]; imports: string[] } {
  const files = new Set(info.security?.scansDone ? info.security.filesWithIssues ?? [] : []);
  const imports = new Set<string>();
  for (const f of info.fileScans ?? []) {
    if (f.status === 'unsafe' || f.status === 'suspicious') files.add(f.path);
    for (const i of f.pickleImports ?? []) {
      if (i.safety === 'dangerous') {
        files.add(f.path);
        imports.add(`${i.module}.${i.name}`);
      }
    }
  }
  return { files: [...files], imports: [...imports] };
}

export function hubModelFindings(ref: HubModelReference & { cell?: number }, info: ModelInfo | undefined): Finding[] {
  if (!info) return [];
  const cell = ref.cell !== undefined ? { cell: ref.cell } : {};
  const bad = flagged(info);
  if (bad.files.length) {
    const what = bad.imports.length ? ` (imports ${list(bad.imports)})` : '';
    return [
      {
        rule: 'unsafe-model-file',
        severity: 'error',
        range: ref.range,
        message: `The Hugging Face Hub flags ${ref.id}: ${list(bad.files)}${what}. Loading it can run code from the repository's files; do not load it, or pin a revision the Hub scans as safe.`,
        ...cell,
      },
    ];
  }
  if (info.pickleOnly) {
    const pickles = info.files.filter((f) => /\.(bin|pt|pth|ckpt|pkl|pickle)$/i.test(f));
    return [
      {
        rule: 'unsafe-model-file',
        severity: 'warning',
        range: ref.range,
        message: `${ref.id} has only pickle-based weights${pickles.length ? ` (${list(pickles)})` : ''}: loading them unpickles, which can run code. Prefer a revision or a repository with safetensors weights.`,
        ...cell,
      },
    ];
  }
  return [];
}
