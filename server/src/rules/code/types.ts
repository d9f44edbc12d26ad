// The contract between the Python analysis and the code rules: a rule is a pure function from
// one resolved call (plus workspace facts) to findings. No I/O, no syntax trees.
import type { Finding, RelatedLocation, RuleId } from '../../domain';
import type { CallFact } from '../../domain';

/** A package version the workspace installs (lockfile, exact pin, notebook `%pip install`). */
export interface InstalledPackage {
  version: string;
  /** The manifest line that says so, for `relatedInformation`. */
  location?: RelatedLocation;
}

export interface CodeRuleContext {
  /** The analysed text (a file, or one notebook cell), for fixes that keep formatting. */
  text: string;
  /** Keyed by PEP 503-normalised package name. */
  installed: ReadonlyMap<string, InstalledPackage>;
  /** Hub model id -> commit sha of its current ref (from the Hugging Face source). */
  modelShas?: ReadonlyMap<string, string>;
  /** A local name bound to `module` itself, for fixes that write `yaml.SafeLoader`. */
  moduleAlias(module: string): string | undefined;
}

export interface CodeRule {
  id: RuleId;
  /** Canonical qualified callees the rule inspects; their last segments drive the scan. */
  callees: readonly string[];
  /** Keyword names that make any call a candidate (`trust_remote_code`). */
  keywords?: readonly string[];
  /** Other words without which the rule cannot fire in a file (environment variable names, ...):
   * the engine skips parsing files that contain none of the rules' words. Module roots of
   * `callees` and `keywords` count already. */
  triggers?: readonly string[];
  check(call: CallFact, ctx: CodeRuleContext): Finding[];
}
