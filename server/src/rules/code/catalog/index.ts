// The loader catalog, assembled from one table per library family, with the look-ups the rules
// share: the best-matching entry for a qualified name, the entries of one rule, and the
// variables a call sets in the process environment.
import type { ArgFact, CallFact, KeywordFact, RuleId } from '../../../domain';
import { DOWNLOADS } from './downloads';
import { HUGGING_FACE, HUGGING_FACE_SWITCHES } from './huggingface';
import { KERAS } from './keras';
import { MLFLOW } from './mlflow';
import { RAG } from './rag';
import { READERS } from './readers';
import { SERIALIZATION } from './serialization';
import { SERVING } from './serving';
import { TORCH, TORCH_SWITCHES } from './torch';
import { compilePattern, matchesPattern, specificity, type ApiPattern, type CatalogEntry, type EnvSwitch, type ReaderEntry } from './types';
import { VISION } from './vision';

export type * from './types';
export { compilePattern, matchesPattern, specificity, terminalName } from './types';
export { DANGEROUS_KEYWORDS } from './rag';
export { KERAS_LOADERS } from './keras';
export { LOCAL_BUILDERS } from './huggingface';

export const CATALOG: readonly CatalogEntry[] = [...TORCH, ...HUGGING_FACE, ...VISION, ...SERVING, ...KERAS, ...SERIALIZATION, ...MLFLOW, ...RAG, ...DOWNLOADS];
export const ENV_SWITCHES: readonly EnvSwitch[] = [...TORCH_SWITCHES, ...HUGGING_FACE_SWITCHES];
export { READERS };

/** Calls that set a process environment variable (`os.environ[k] = v` is read as `__setitem__`). */
export const ENV_SETTERS = ['os.environ.__setitem__', 'os.environ.setdefault', 'os.putenv', 'os.environ.update'];

/** Entries with compiled patterns: exact names in a map, wildcard patterns most specific first. */
export class EntryTable<E extends { api: string }> {
  private readonly exact = new Map<string, E>();
  private readonly wild: { entry: E; pattern: ApiPattern }[] = [];
  constructor(readonly entries: readonly E[]) {
    const scored: { entry: E; pattern: ApiPattern; score: number }[] = [];
    for (const entry of entries) {
      const pattern = compilePattern(entry.api);
      if (pattern.exact !== undefined) {
        if (!this.exact.has(pattern.exact)) this.exact.set(pattern.exact, entry);
      } else scored.push({ entry, pattern, score: specificity(pattern) });
    }
    scored.sort((a, b) => b.score - a.score);
    for (const { entry, pattern } of scored) this.wild.push({ entry, pattern });
  }
  /** The most specific entry matching `q` (an exact name beats any pattern). */
  best(q: string | undefined): E | undefined {
    if (q === undefined) return undefined;
    const hit = this.exact.get(q);
    if (hit) return hit;
    for (const c of this.wild) if (matchesPattern(c.pattern, q)) return c.entry;
    return undefined;
  }
  get apis(): string[] {
    return [...new Set(this.entries.map((e) => e.api))];
  }
}

/** The catalog entries of one rule. */
export function entriesOf<R extends RuleId>(rule: R): EntryTable<Extract<CatalogEntry, { rule: R }>> {
  return new EntryTable(CATALOG.filter((e): e is Extract<CatalogEntry, { rule: R }> => e.rule === rule));
}

/** Every entry (any rule) and reader naming a source argument, for model references. */
export const SOURCES = new EntryTable<CatalogEntry | ReaderEntry>([...CATALOG.filter((e) => e.source), ...READERS]);

export interface EnvAssignment {
  variable: string;
  /** The value assigned (a literal when statically known). */
  value: ArgFact | KeywordFact;
  /** Where to report: the key (subscript/argument) through the value. */
  at: { start: number; end: number };
}

/** The variables a call sets in the environment, with their values (`os.environ.update(X="1")` too). */
export function envAssignments(call: CallFact): EnvAssignment[] {
  const q = call.qualifiedName;
  if (!q || !ENV_SETTERS.includes(q)) return [];
  if (q === 'os.environ.update') {
    return [...call.keywords, ...call.dictEntries].map((k) => ({ variable: k.name, value: k, at: k.whole }));
  }
  const [key, value] = call.positional;
  if (!key || !value || key.value.kind !== 'string') return [];
  return [{ variable: key.value.value, value, at: { start: key.range.start, end: value.range.end } }];
}

/** Whether an environment value turns the switch on (torch and datasets read 1/y/yes/true/on). */
export function envSwitchOn(sw: EnvSwitch, value: ArgFact): boolean {
  const v = value.value;
  if (sw.dangerous === 'http') return v.kind === 'string' && /^http:\/\//i.test(v.value.trim()) && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(?=[:/]|$)/i.test(v.value.trim());
  if (v.kind === 'string') return ['1', 'y', 'yes', 'true', 'on'].includes(v.value.trim().toLowerCase());
  return v.kind === 'number' ? v.value !== 0 : v.kind === 'bool' && v.value;
}

/** The switches a rule owns, and the findings-worthy assignments in a call. */
export function switchesSet(call: CallFact, rule: RuleId): { sw: EnvSwitch; a: EnvAssignment }[] {
  const out: { sw: EnvSwitch; a: EnvAssignment }[] = [];
  for (const a of envAssignments(call)) {
    const sw = ENV_SWITCHES.find((s) => s.rule === rule && s.variable === a.variable);
    if (sw && envSwitchOn(sw, a.value)) out.push({ sw, a });
  }
  return out;
}
