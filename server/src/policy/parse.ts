// Entry point of the policy module: the text of `aidr.toml` (or a pyproject.toml holding a
// `[tool.aidr]` table), already read by the project's TOML reader, becomes a Policy plus the
// problems to show on that file. The engine runs the TOML reader (manifests/tomlIndex.ts) and
// hands its result in, so this module needs nothing above domain/.
import type { AST } from 'toml-eslint-parser';
import type { ParseProblem, Policy } from '../domain';
import { emptyPolicy } from '../domain/policy';
import { Positions } from './positions';
import { tomlTree } from './toml';
import { validatePolicy } from './validate';

/** What `parseTomlIndexed` (manifests/tomlIndex.ts) returns, as far as the policy needs it. */
export type TomlParseResult = { ok: true; ast: AST.TOMLProgram } | { ok: false; problem: ParseProblem };

export interface PolicyParse {
  /** Undefined when the file holds no policy (a pyproject.toml without `[tool.aidr]`). A broken
   * aidr.toml still yields an (empty) policy: it is the nearest one, and nothing of it applies. */
  policy?: Policy;
  problems: ParseProblem[];
}

/** Cheap test before parsing a pyproject.toml for a policy: every spelling of the table names it. */
export function mayHoldPolicy(pyprojectText: string): boolean {
  return pyprojectText.includes('aidr');
}

/** The TOML reader reports an impossible date (`2027-02-30`) at one of its characters: point at
 * the whole date. */
function dateRange(text: string, problem: ParseProblem): ParseProblem['range'] | undefined {
  if (!/invalid date/i.test(problem.message)) return undefined;
  const at = problem.range.start;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  for (const m of line.matchAll(/\d{4}-\d{2}-\d{2}(?:[T ]\d[\d:.]*)?(?:Z|[+-]\d{2}:\d{2})?/g)) {
    const start = lineStart + m.index;
    if (start <= at && at <= start + m[0].length) return { start, end: start + m[0].length };
  }
  return undefined;
}

export function parsePolicy(text: string, toml: TomlParseResult, base: Pick<Policy, 'uri' | 'dir' | 'source'>): PolicyParse {
  if (!toml.ok) {
    // pyproject.toml: the manifest parser reports the TOML error already.
    if (base.source === 'pyproject.toml') return mayHoldPolicy(text) ? { policy: emptyPolicy(base.uri, base.dir, base.source), problems: [] } : { problems: [] };
    return { policy: emptyPolicy(base.uri, base.dir, base.source), problems: [{ ...toml.problem, range: dateRange(text, toml.problem) ?? toml.problem.range, message: `${toml.problem.message}; the policy is not applied until this is fixed` }] };
  }
  const root = tomlTree(text, toml.ast);
  let table = root;
  if (base.source === 'pyproject.toml') {
    const tool = root.entries.get('tool')?.value;
    const aidr = tool?.kind === 'table' ? tool.entries.get('aidr') : undefined;
    if (!aidr) return { problems: [] };
    if (aidr.value.kind !== 'table') {
      return { policy: emptyPolicy(base.uri, base.dir, base.source), problems: [{ message: `'tool.aidr' must be a table ([tool.aidr]); the policy is not applied`, range: aidr.value.range, severity: 'error' }] };
    }
    table = aidr.value;
  }
  return validatePolicy(table, base, new Positions(text));
}
