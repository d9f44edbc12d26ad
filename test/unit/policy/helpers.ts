// Builders for policy tests: parse a policy text the way the engine does (the project's TOML
// reader, then the policy parser), and list problems as [the text they point at, message].
import type { ParseProblem, Policy } from '../../../server/src/domain';
import { parseTomlIndexed } from '../../../server/src/manifests/tomlIndex';
import { parsePolicy, type PolicyParse } from '../../../server/src/policy/parse';

export function parse(text: string, source: Policy['source'] = 'aidr.toml', dir = '/ws'): PolicyParse {
  return parsePolicy(text, parseTomlIndexed(text), { uri: `${dir}/${source}`, dir, source });
}

/** Each problem as [the exact text its range covers, its message]. */
export function problemsOf(text: string, source: Policy['source'] = 'aidr.toml'): [string, string][] {
  return parse(text, source).problems.map((p: ParseProblem) => [text.slice(p.range.start, p.range.end), p.message]);
}

/** A policy that must parse without problems. */
export function policyOf(text: string, dir = '/ws', source: Policy['source'] = 'aidr.toml'): Policy {
  const r = parse(text, source, dir);
  if (r.problems.length) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`);
  if (!r.policy) throw new Error('no policy');
  return r.policy;
}
