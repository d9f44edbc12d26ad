// Checks a policy table against the policy's shape and builds the Policy from what is valid.
// Every problem has the exact range of the key, value or entry at fault: unknown keys (with "did
// you mean"), wrong types, bad patterns, durations, dates and rule ids, ignores without a reason.
// An invalid entry is left out of the policy (and its problem says so); the rest still applies.
import type { ParseProblem, Policy, PolicyIgnore, PolicyLists, PolicyPattern, PolicySeverity } from '../domain';
import { MODEL_WEIGHT_FORMATS, emptyPolicy, type ModelWeightFormat } from '../domain/policy';
import { isRuleId, RULE_IDS } from '../domain/ruleIds';
import type { OffsetRange } from '../domain';
import { compilePattern, type PatternKind } from './match';
import type { Positions } from './positions';
import { closest, didYouMean } from './suggest';
import type { TomlEntry, TomlNode, TomlTable } from './toml';
import { parseDate, parseDuration } from './values';

const TOP = ['rules', 'packages', 'models', 'licenses', 'ignore'] as const;
const PACKAGES = ['deny', 'allow', 'min-release-age'] as const;
const MODELS = ['allow', 'deny', 'require-revision', 'formats', 'licenses'] as const;
const LISTS = ['allow', 'deny'] as const;
const IGNORE = ['rule', 'package', 'model', 'path', 'reason', 'expires'] as const;
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
/** Entries per list at most: a policy is written by people; a generated monster is cut. */
export const MAX_LIST = 5000;

const SEVERITY_ALIASES: Record<string, PolicySeverity> = { warn: 'warning', information: 'info', none: 'off', disabled: 'off', ignore: 'off' };
const FORMAT_ALIASES: Record<string, ModelWeightFormat> = { pt: 'pytorch', pth: 'pytorch', bin: 'pytorch', torch: 'pytorch', pkl: 'pickle', hdf5: 'h5', tf: 'tensorflow', savedmodel: 'tensorflow', msgpack: 'flax', mlmodel: 'coreml' };

function describe(n: TomlNode): string {
  switch (n.kind) {
    case 'table':
      return 'a table';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'too-deep':
      return 'a deeply nested value';
    default:
      return 'a date or time';
  }
}

export interface Validated {
  policy: Policy;
  problems: ParseProblem[];
}

class Validator {
  readonly problems: ParseProblem[] = [];

  constructor(private readonly pos: Positions) {}

  problem(range: OffsetRange, message: string, severity: ParseProblem['severity'] = 'error'): void {
    this.problems.push({ message, range, severity });
  }

  /** The known entries of a table; unknown keys are reported (with a suggestion) and skipped. */
  entries(t: TomlTable, known: readonly string[], where: string, special: (key: string) => string | undefined = () => undefined): Map<string, TomlEntry> {
    const out = new Map<string, TomlEntry>();
    for (const e of t.entries.values()) {
      if (known.includes(e.key)) out.set(e.key, e);
      else this.problem(e.keyRange, special(e.key) ?? `Unknown key '${e.key}' ${where}${didYouMean(e.key, known)}`);
    }
    return out;
  }

  table(e: TomlEntry | undefined, name: string): TomlTable | undefined {
    if (!e) return undefined;
    if (e.value.kind === 'table') return e.value;
    this.problem(e.value.range, `'${name}' must be a table ([${name}]), not ${describe(e.value)}`);
    return undefined;
  }

  patterns(e: TomlEntry | undefined, name: string, kind: PatternKind): PolicyPattern[] {
    if (!e) return [];
    const v = e.value;
    if (v.kind !== 'array') {
      const example = v.kind === 'string' ? ` (${e.key} = ["${v.value}"])` : '';
      this.problem(v.range, `'${name}' must be an array of strings${example}, not ${describe(v)}`);
      return [];
    }
    const out: PolicyPattern[] = [];
    for (const [i, item] of v.items.entries()) {
      if (i >= MAX_LIST) {
        this.problem(item.range, `More than ${MAX_LIST} entries in '${name}': the rest are ignored`);
        break;
      }
      const p = this.pattern(item, name, kind);
      if (p) out.push(p);
    }
    return out;
  }

  pattern(item: TomlNode, name: string, kind: PatternKind): PolicyPattern | undefined {
    if (item.kind !== 'string') {
      this.problem(item.range, `Entries of '${name}' must be strings, not ${describe(item)}`);
      return undefined;
    }
    const c = compilePattern(kind, item.value, this.pos.span(item.content));
    if ('problem' in c) {
      this.problem(item.value === '' ? item.range : item.content, c.problem);
      return undefined;
    }
    return c.pattern;
  }

  lists(t: TomlTable | undefined, where: string, kind: PatternKind, special?: (key: string) => string | undefined): PolicyLists {
    if (!t) return { allow: [], deny: [] };
    const es = this.entries(t, LISTS, `in [${where}]`, special);
    return { allow: this.patterns(es.get('allow'), `${where}.allow`, kind), deny: this.patterns(es.get('deny'), `${where}.deny`, kind) };
  }

  rules(t: TomlTable | undefined): Policy['rules'] {
    if (!t) return [];
    const out: Policy['rules'] = [];
    for (const e of t.entries.values()) {
      if (e.key === 'parse-error') {
        this.problem(e.keyRange, `'parse-error' is not a rule: files that cannot be read are always reported`);
        continue;
      }
      if (!isRuleId(e.key)) {
        const c = closest(e.key, RULE_IDS);
        this.problem(e.keyRange, `Unknown rule '${e.key}'${c ? `; did you mean '${c}'?` : ' (the rule ids are the names of the pages in docs/rules/)'}`);
        continue;
      }
      const v = e.value;
      if (v.kind !== 'string') {
        const hint = v.kind === 'boolean' && !v.value ? ' (write "off" to turn a rule off)' : '';
        this.problem(v.range, `The level of '${e.key}' must be one of "error", "warning", "info", "hint", "off", not ${describe(v)}${hint}`);
        continue;
      }
      const s = v.value.toLowerCase();
      if ((SEVERITIES as readonly string[]).includes(s)) {
        out.push({ rule: e.key, severity: s as PolicySeverity, at: this.pos.span(v.content) });
        continue;
      }
      const alias = SEVERITY_ALIASES[s] ?? closest(s, SEVERITIES);
      this.problem(v.content, `Unknown level '${v.value}' for '${e.key}'${alias ? `; did you mean '${alias}'?` : ' (expected "error", "warning", "info", "hint" or "off")'}`);
    }
    return out;
  }

  minReleaseAge(e: TomlEntry | undefined): Policy['packages']['minReleaseAge'] {
    if (!e) return undefined;
    const v = e.value;
    if (v.kind === 'integer') {
      this.problem(v.range, `Add a unit and quotes: min-release-age = "${v.value}d" (h, d or w)`);
      return undefined;
    }
    if (v.kind !== 'string') {
      this.problem(v.range, `min-release-age must be a string like "7d", not ${describe(v)}`);
      return undefined;
    }
    const d = parseDuration(v.value);
    if ('problem' in d) {
      this.problem(v.content.end > v.content.start ? v.content : v.range, d.problem);
      return undefined;
    }
    return { ms: d.value, text: v.value, at: this.pos.span(v.content) };
  }

  requireRevision(e: TomlEntry | undefined): Policy['models']['requireRevision'] {
    if (!e) return undefined;
    const v = e.value;
    if (v.kind !== 'boolean') {
      const hint = v.kind === 'string' && /^(true|false)$/i.test(v.value) ? ` (write ${v.value.toLowerCase()} without quotes)` : '';
      this.problem(v.range, `require-revision must be true or false, not ${describe(v)}${hint}`);
      return undefined;
    }
    return v.value ? { at: this.pos.span(v.range) } : undefined;
  }

  formats(e: TomlEntry | undefined): Policy['models']['formats'] {
    if (!e) return undefined;
    const v = e.value;
    if (v.kind !== 'array') {
      const example = v.kind === 'string' ? ` (formats = ["${v.value}"])` : '';
      this.problem(v.range, `'models.formats' must be an array of strings${example}, not ${describe(v)}`);
      return undefined;
    }
    const values: ModelWeightFormat[] = [];
    let bad = false;
    for (const item of v.items.slice(0, MAX_LIST)) {
      if (item.kind !== 'string') {
        this.problem(item.range, `Entries of 'models.formats' must be strings, not ${describe(item)}`);
        bad = true;
        continue;
      }
      const f = item.value.toLowerCase();
      if ((MODEL_WEIGHT_FORMATS as readonly string[]).includes(f)) values.push(f as ModelWeightFormat);
      else {
        const alias = FORMAT_ALIASES[f.replace(/^\./, '')] ?? closest(f, MODEL_WEIGHT_FORMATS);
        this.problem(item.content, `Unknown weight format '${item.value}'${alias ? `; did you mean '${alias}'?` : ` (expected one of: ${MODEL_WEIGHT_FORMATS.join(', ')})`}`);
        bad = true;
      }
    }
    if (values.length === 0 && !bad) this.problem(v.range, 'An empty formats list allows no weight format: every model with weight files is reported', 'warning');
    // A bad entry is left out: the list is stricter than meant until the error is fixed. With no
    // valid entry at all, the check waits for the fix rather than flag every model.
    if (bad && values.length === 0) return undefined;
    return { values, at: this.pos.span(v.range) };
  }

  ignores(e: TomlEntry | undefined): PolicyIgnore[] {
    if (!e) return [];
    const v = e.value;
    if (v.kind === 'table') {
      this.problem(v.header ?? e.keyRange, 'Write ignores as [[ignore]] entries (double brackets: an array of tables), one per ignore');
      return [];
    }
    if (v.kind !== 'array') {
      this.problem(v.range, `'ignore' must be [[ignore]] entries, not ${describe(v)}`);
      return [];
    }
    const out: PolicyIgnore[] = [];
    for (const [i, item] of v.items.entries()) {
      if (i >= MAX_LIST) {
        this.problem(item.range, `More than ${MAX_LIST} ignore entries: the rest are not applied`);
        break;
      }
      if (item.kind !== 'table') {
        this.problem(item.range, `Each ignore must be a table ({ rule = "...", package = "...", reason = "..." }), not ${describe(item)}`);
        continue;
      }
      const ig = this.ignore(item);
      if (ig) out.push(ig);
    }
    return out;
  }

  private ignore(t: TomlTable): PolicyIgnore | undefined {
    const at = t.header ?? t.range;
    const before = this.problems.length;
    const es = this.entries(t, IGNORE, 'in an [[ignore]] entry');
    const str = (key: string): { value: string; content: OffsetRange; range: OffsetRange } | undefined => {
      const x = es.get(key);
      if (!x) return undefined;
      if (x.value.kind !== 'string') {
        this.problem(x.value.range, `'${key}' must be a string, not ${describe(x.value)}`);
        return undefined;
      }
      return x.value;
    };
    const rule = str('rule');
    let ruleId: PolicyIgnore['rule'] | undefined;
    if (rule) {
      if (isRuleId(rule.value)) ruleId = rule.value;
      else {
        const c = closest(rule.value, RULE_IDS);
        this.problem(rule.value === '' ? rule.range : rule.content, `Unknown rule '${rule.value}'${c ? `; did you mean '${c}'?` : ''}: this ignore is not applied`);
      }
    } else if (!es.has('rule')) this.problem(at, 'This ignore has no rule: add rule = "<rule id>" (an ignore silences one rule); it is not applied');
    const reason = str('reason');
    if (!es.has('reason')) this.problem(at, 'This ignore has no reason: add reason = "why this is accepted"; an ignore without a reason is not applied');
    else if (reason && reason.value.trim() === '') this.problem(reason.range, 'The reason is empty: say why this is accepted; an ignore without a reason is not applied');
    const scope: Pick<PolicyIgnore, 'package' | 'model' | 'path'> = {};
    for (const key of ['package', 'model', 'path'] as const) {
      const x = es.get(key);
      if (!x) continue;
      const p = this.pattern(x.value, `ignore.${key}`, key);
      if (p) scope[key] = p;
    }
    if (!es.has('package') && !es.has('model') && !es.has('path')) {
      this.problem(at, 'This ignore covers nothing: add package, model or path to say what it applies to; it is not applied');
    }
    let expires: PolicyIgnore['expires'];
    const ex = es.get('expires');
    if (ex) {
      const d = parseDate(ex.value);
      if ('problem' in d) this.problem(ex.value.range, `${d.problem}; this ignore is not applied`);
      else expires = { ...d.value, span: this.pos.span(ex.value.range) };
    }
    if (this.problems.length > before || !ruleId || !reason) return undefined;
    return { rule: ruleId, ...scope, reason: reason.value.trim(), ...(expires ? { expires } : {}), at: this.pos.span(at) };
  }
}

const perEcosystemTable = (key: string) =>
  key === 'pypi' || key === 'npm' || key === 'PyPI'
    ? `Per-ecosystem tables are not supported: write '${key.toLowerCase()}:<name>' patterns in packages.deny and packages.allow`
    : undefined;

/** Validate `table` (the file's top level, or `[tool.aidr]`) into a Policy. */
export function validatePolicy(table: TomlTable, base: Pick<Policy, 'uri' | 'dir' | 'source'>, pos: Positions): Validated {
  const v = new Validator(pos);
  const policy = emptyPolicy(base.uri, base.dir, base.source);
  const where = base.source === 'pyproject.toml' ? 'in [tool.aidr]' : 'in the policy';
  const top = v.entries(table, TOP, where);
  policy.rules = v.rules(v.table(top.get('rules'), 'rules'));

  const pk = v.table(top.get('packages'), 'packages');
  if (pk) {
    const es = v.entries(pk, PACKAGES, 'in [packages]', perEcosystemTable);
    policy.packages.deny = v.patterns(es.get('deny'), 'packages.deny', 'package');
    policy.packages.allow = v.patterns(es.get('allow'), 'packages.allow', 'package');
    const age = v.minReleaseAge(es.get('min-release-age'));
    if (age) policy.packages.minReleaseAge = age;
  }

  const md = v.table(top.get('models'), 'models');
  if (md) {
    const es = v.entries(md, MODELS, 'in [models]');
    policy.models.allow = v.patterns(es.get('allow'), 'models.allow', 'model');
    policy.models.deny = v.patterns(es.get('deny'), 'models.deny', 'model');
    const rr = v.requireRevision(es.get('require-revision'));
    if (rr) policy.models.requireRevision = rr;
    const fm = v.formats(es.get('formats'));
    if (fm) policy.models.formats = fm;
    policy.models.licenses = v.lists(v.table(es.get('licenses'), 'models.licenses'), 'models.licenses', 'license');
  }

  policy.licenses = v.lists(v.table(top.get('licenses'), 'licenses'), 'licenses', 'license');
  policy.ignores = v.ignores(top.get('ignore'));
  return { policy, problems: v.problems };
}
