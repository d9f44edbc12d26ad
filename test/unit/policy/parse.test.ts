import assert from 'node:assert/strict';
import { parse, policyOf, problemsOf } from './helpers';

const FULL = `# The ML team's policy
[rules]
unpinned-model-revision = "error"
license-notice = "off"

[packages]
deny = ["pypi:evil-*", "npm:left-pad", "Torch_Nightly"]
allow = []
min-release-age = "7d"

[models]
allow = ["meta-llama/*", "google/gemma-*"]
deny = ["acme/leaky"]
require-revision = true
formats = ["safetensors", "GGUF"]

[models.licenses]
deny = ["cc-by-nc-*"]
allow = ["apache-2.0", "llama3.*"]

[licenses]
deny = ["AGPL-*", "GPL-3.0*"]

[[ignore]]
rule = "vulnerable-dependency"
package = "pypi:jinja2"
reason = "Template input is never user-controlled"
expires = 2027-03-01

[[ignore]]
rule = "trust-remote-code"
model = "acme/*"
path = "notebooks/**"
reason = "Reviewed acme's modelling code"
`;

describe('policy parse', () => {
  it('reads every section of a valid policy, normalising patterns', () => {
    const p = policyOf(FULL);
    assert.equal(p.source, 'aidr.toml');
    assert.equal(p.dir, '/ws');
    assert.deepEqual(
      p.rules.map((r) => [r.rule, r.severity]),
      [
        ['unpinned-model-revision', 'error'],
        ['license-notice', 'off'],
      ],
    );
    assert.deepEqual(
      p.packages.deny.map((x) => [x.ecosystem, x.glob]),
      [
        ['PyPI', 'evil-*'],
        ['npm', 'left-pad'],
        [undefined, 'torch_nightly'],
      ],
    );
    assert.equal(p.packages.minReleaseAge?.ms, 7 * 86_400_000);
    assert.deepEqual(p.models.allow.map((x) => x.glob), ['meta-llama/*', 'google/gemma-*']);
    assert.deepEqual(p.models.deny.map((x) => x.glob), ['acme/leaky']);
    assert.ok(p.models.requireRevision);
    assert.deepEqual(p.models.formats?.values, ['safetensors', 'gguf']);
    assert.deepEqual(p.models.licenses.deny.map((x) => x.glob), ['cc-by-nc-*']);
    assert.deepEqual(p.licenses.deny.map((x) => x.glob), ['agpl-*', 'gpl-3.0*']);
    assert.equal(p.ignores.length, 2);
    assert.equal(p.ignores[0]!.expires?.at, Date.UTC(2027, 2, 1));
    assert.equal(p.ignores[0]!.package?.glob, 'jinja2');
    assert.equal(p.ignores[1]!.path?.glob, 'notebooks/**');
    assert.equal(p.ignores[1]!.model?.glob, 'acme/*');
  });

  it('records where each entry is, in offsets and lines', () => {
    const p = policyOf(FULL);
    const left = p.packages.deny[1]!;
    assert.equal(FULL.slice(left.at.range.start, left.at.range.end), 'npm:left-pad');
    assert.deepEqual(left.at.lines.start, { line: 6, character: 24 });
    const ig = p.ignores[0]!;
    assert.equal(FULL.slice(ig.at.range.start, ig.at.range.end), '[[ignore]]');
    assert.equal(FULL.slice(ig.expires!.span.range.start, ig.expires!.span.range.end), '2027-03-01');
  });

  it('reads the same policy from dotted keys, inline tables and an inline array of ignores', () => {
    const p = policyOf(`packages.deny = ["evil"]
models = { allow = ["org/*"], licenses = { deny = ["other"] } }
ignore = [{ rule = "unknown-package", package = "internal-*", reason = "our index" }]
`);
    assert.deepEqual(p.packages.deny.map((x) => x.glob), ['evil']);
    assert.deepEqual(p.models.allow.map((x) => x.glob), ['org/*']);
    assert.deepEqual(p.models.licenses.deny.map((x) => x.glob), ['other']);
    assert.equal(p.ignores.length, 1);
    assert.equal(p.ignores[0]!.package?.glob, 'internal-*');
  });

  it('an empty file is an empty policy', () => {
    const r = parse('');
    assert.deepEqual(r.problems, []);
    assert.equal(r.policy?.ignores.length, 0);
  });

  describe('[tool.aidr] in pyproject.toml', () => {
    it('reads the table and leaves the rest of the file alone', () => {
      const text = `[project]\nname = "x"\ndependencies = ["torch"]\n\n[tool.aidr.packages]\ndeny = ["evil"]\n\n[tool.ruff]\nline-length = 100\n`;
      const r = parse(text, 'pyproject.toml');
      assert.deepEqual(r.problems, []);
      assert.equal(r.policy?.source, 'pyproject.toml');
      assert.deepEqual(r.policy?.packages.deny.map((x) => x.glob), ['evil']);
    });

    it('a pyproject.toml without the table holds no policy', () => {
      const r = parse('[project]\nname = "aidr-demo"\n', 'pyproject.toml');
      assert.equal(r.policy, undefined);
      assert.deepEqual(r.problems, []);
    });

    it('reports problems inside the table with their ranges, and a table that is not one', () => {
      assert.deepEqual(problemsOf('[tool.aidr]\npackage = { deny = ["x"] }\n', 'pyproject.toml'), [['package', "Unknown key 'package' in [tool.aidr]; did you mean 'packages'?"]]);
      assert.deepEqual(problemsOf('[tool]\naidr = "strict"\n', 'pyproject.toml'), [['"strict"', "'tool.aidr' must be a table ([tool.aidr]); the policy is not applied"]]);
    });

    it('leaves invalid TOML to the manifest parser, but keeps the folder governed', () => {
      const r = parse('[tool.aidr\ndeny = 1\n', 'pyproject.toml');
      assert.deepEqual(r.problems, []);
      assert.ok(r.policy, 'an empty policy, so a parent policy does not take over');
    });
  });

  describe('validation problems (exact ranges)', () => {
    it('invalid TOML: one problem where the parser stopped, and an empty policy', () => {
      const text = '[packages]\ndeny = ["evil"\n';
      const r = parse(text);
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!.message, /^Invalid TOML: .*; the policy is not applied until this is fixed$/);
      assert.equal(r.problems[0]!.range.start, text.length);
      assert.deepEqual(r.policy?.packages.deny, []);
    });

    it('unknown keys, at every level, with a suggestion when one is close', () => {
      assert.deepEqual(problemsOf('[package]\ndeny = ["x"]\n'), [['package', "Unknown key 'package' in the policy; did you mean 'packages'?"]]);
      assert.deepEqual(problemsOf('[packages]\nmin_release_age = "7d"\n'), [['min_release_age', "Unknown key 'min_release_age' in [packages]; did you mean 'min-release-age'?"]]);
      assert.deepEqual(problemsOf('[models]\nrequire_revision = true\n'), [['require_revision', "Unknown key 'require_revision' in [models]; did you mean 'require-revision'?"]]);
      assert.deepEqual(problemsOf('[models.licenses]\nalow = ["x"]\n'), [['alow', "Unknown key 'alow' in [models.licenses]; did you mean 'allow'?"]]);
      assert.deepEqual(problemsOf('[telemetry]\non = true\n'), [['telemetry', "Unknown key 'telemetry' in the policy (expected one of: rules, packages, models, licenses, ignore)"]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\npackage = "x"\nreason = "r"\ncomment = "c"\n'), [
        ['comment', "Unknown key 'comment' in an [[ignore]] entry (expected one of: rule, package, model, path, reason, expires)"],
      ]);
      assert.deepEqual(problemsOf('[packages.pypi]\ndeny = ["x"]\n'), [['pypi', "Per-ecosystem tables are not supported: write 'pypi:<name>' patterns in packages.deny and packages.allow"]]);
    });

    it('wrong types', () => {
      assert.deepEqual(problemsOf('packages = ["x"]\n'), [['["x"]', "'packages' must be a table ([packages]), not an array"]]);
      assert.deepEqual(problemsOf('[packages]\ndeny = "evil"\n'), [['"evil"', `'packages.deny' must be an array of strings (deny = ["evil"]), not a string`]]);
      assert.deepEqual(problemsOf('[packages]\ndeny = ["evil", 3, true]\n'), [
        ['3', "Entries of 'packages.deny' must be strings, not an integer"],
        ['true', "Entries of 'packages.deny' must be strings, not a boolean"],
      ]);
      assert.deepEqual(problemsOf('[models]\nrequire-revision = "yes"\n'), [['"yes"', 'require-revision must be true or false, not a string']]);
      assert.deepEqual(problemsOf('[models]\nrequire-revision = "true"\n'), [['"true"', 'require-revision must be true or false, not a string (write true without quotes)']]);
      assert.deepEqual(problemsOf('[models]\nformats = "safetensors"\n'), [['"safetensors"', `'models.formats' must be an array of strings (formats = ["safetensors"]), not a string`]]);
      assert.deepEqual(problemsOf('[rules]\ntrust-remote-code = false\n'), [['false', `The level of 'trust-remote-code' must be one of "error", "warning", "info", "hint", "off", not a boolean (write "off" to turn a rule off)`]]);
      assert.deepEqual(problemsOf('[ignore]\nrule = "x"\n'), [['[ignore]', 'Write ignores as [[ignore]] entries (double brackets: an array of tables), one per ignore']]);
      assert.deepEqual(problemsOf('ignore = ["vulnerable-dependency"]\n'), [['"vulnerable-dependency"', `Each ignore must be a table ({ rule = "...", package = "...", reason = "..." }), not a string`]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = 1\npackage = "x"\nreason = "r"\n'), [['1', "'rule' must be a string, not an integer"]]);
    });

    it('bad patterns and globs', () => {
      const text = '[packages]\ndeny = ["pip:foo", "torch==2.0", "a[b]", "", "bad name", "evil***"]\n';
      assert.deepEqual(problemsOf(text), [
        ['pip:foo', "Unknown ecosystem 'pip'; did you mean 'pypi'?"],
        ['torch==2.0', 'Versions are not part of a package pattern: write the name only (policies allow or deny whole packages)'],
        ['a[b]', "'[' is not supported: patterns know only '*', '**' and '?'"],
        ['""', 'Empty pattern'],
        ['bad name', "'bad name' contains white space: a pattern is one package name or glob"],
        ['evil***', "'***' is not a pattern: use '*' (within a name or folder) or '**' (across folders)"],
      ]);
      assert.deepEqual(problemsOf('[models]\nallow = ["https://huggingface.co/org/x", "a/b/c", "org/{a,b}"]\n'), [
        ['https://huggingface.co/org/x', "Write the Hub model id ('organisation/name'), not a URL"],
        ['a/b/c', "A Hub model id is 'organisation/name'; 'a/b/c' has more than one '/'"],
        ['org/{a,b}', "'{' is not supported: patterns know only '*', '**' and '?'"],
      ]);
      assert.deepEqual(problemsOf('[licenses]\nallow = ["Apache License 2.0"]\n'), [['Apache License 2.0', "A licence id has no spaces: use its SPDX id ('Apache-2.0') or Hub id ('apache-2.0')"]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\npath = "../other/**"\nreason = "r"\n'), [['../other/**', "A policy governs only its own folder: '..' cannot leave it"]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\npath = "src/a**"\nreason = "r"\n'), [['src/a**', "'**' must stand for whole folders ('legacy/**', '**/test_*.py')"]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\npath = "/etc/x"\nreason = "r"\n'), [['/etc/x', "Paths are relative to the folder of the policy file; '/etc/x' is absolute"]]);
    });

    it('bad durations', () => {
      assert.deepEqual(problemsOf('[packages]\nmin-release-age = "7"\n'), [['7', 'Add a unit to \'7\': h (hours), d (days) or w (weeks), e.g. "7d"']]);
      assert.deepEqual(problemsOf('[packages]\nmin-release-age = "1mo"\n'), [['1mo', "Unknown unit 'mo' (months and years vary in length: write days or weeks): use h (hours), d (days) or w (weeks)"]]);
      assert.deepEqual(problemsOf('[packages]\nmin-release-age = "7 days ago"\n'), [['7 days ago', `'7 days ago' is not a duration like "48h", "7d" or "2w"`]]);
      assert.deepEqual(problemsOf('[packages]\nmin-release-age = 7\n'), [['7', 'Add a unit and quotes: min-release-age = "7d" (h, d or w)']]);
      assert.deepEqual(problemsOf('[packages]\nmin-release-age = "9999w"\n'), [['9999w', "'9999w' is longer than five years; a minimum release age is days or weeks"]]);
    });

    it('bad dates: quoted, a time, or not a date at all; an impossible date is invalid TOML at the date', () => {
      const entry = (v: string) => `[[ignore]]\nrule = "unknown-package"\npackage = "x"\nreason = "r"\nexpires = ${v}\n`;
      assert.deepEqual(problemsOf(entry('"2027-03-01"')), [['"2027-03-01"', 'Write the date without quotes (expires = 2027-03-01): a quoted date is a string; this ignore is not applied']]);
      assert.deepEqual(problemsOf(entry('10:00:00')), [['10:00:00', 'A time of day is not a date: write a TOML date (expires = 2027-03-01); this ignore is not applied']]);
      assert.deepEqual(problemsOf(entry('"soon"')), [['"soon"', "'soon' is not a date: write a TOML date (expires = 2027-03-01); this ignore is not applied"]]);
      assert.deepEqual(problemsOf(entry('20270301')), [['20270301', 'expires must be a TOML date (expires = 2027-03-01); this ignore is not applied']]);
      const bad = entry('2027-02-30');
      const r = parse(bad);
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!.message, /^Invalid TOML: .*date/i);
      assert.equal(bad.slice(r.problems[0]!.range.start, r.problems[0]!.range.end), '2027-02-30');
      // A date-time is accepted (an offset one as written, a local one as UTC).
      assert.equal(policyOf(entry('2027-03-01T12:00:00Z')).ignores[0]!.expires?.at, Date.UTC(2027, 2, 1, 12));
      assert.equal(policyOf(entry('2027-03-01T12:00:00')).ignores[0]!.expires?.at, Date.UTC(2027, 2, 1, 12));
    });

    it('unknown rule ids and levels, in [rules] and in ignores', () => {
      assert.deepEqual(problemsOf('[rules]\nunpinned-model-revison = "error"\n'), [['unpinned-model-revison', "Unknown rule 'unpinned-model-revison'; did you mean 'unpinned-model-revision'?"]]);
      assert.deepEqual(problemsOf('[rules]\nsql-injection = "error"\n'), [['sql-injection', "Unknown rule 'sql-injection' (the rule ids are the names of the pages in docs/rules/)"]]);
      assert.deepEqual(problemsOf('[rules]\nparse-error = "off"\n'), [['parse-error', "'parse-error' is not a rule: files that cannot be read are always reported"]]);
      assert.deepEqual(problemsOf('[rules]\nlicense-notice = "warn"\n'), [['warn', "Unknown level 'warn' for 'license-notice'; did you mean 'warning'?"]]);
      assert.deepEqual(problemsOf('[rules]\nlicense-notice = "loud"\n'), [['loud', `Unknown level 'loud' for 'license-notice' (expected "error", "warning", "info", "hint" or "off")`]]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "typosquat-suspct"\npackage = "x"\nreason = "r"\n'), [['typosquat-suspct', "Unknown rule 'typosquat-suspct'; did you mean 'typosquat-suspect'?: this ignore is not applied"]]);
    });

    it('formats: unknown names with the usual aliases, and an empty list', () => {
      assert.deepEqual(problemsOf('[models]\nformats = ["safetensors", "pt", "safetensor", "xyz"]\n'), [
        ['pt', "Unknown weight format 'pt'; did you mean 'pytorch'?"],
        ['safetensor', "Unknown weight format 'safetensor'; did you mean 'safetensors'?"],
        ['xyz', "Unknown weight format 'xyz' (expected one of: safetensors, gguf, onnx, pytorch, pickle, keras, h5, tensorflow, tflite, flax, coreml)"],
      ]);
      const r = parse('[models]\nformats = []\n');
      assert.deepEqual(r.problems.map((p) => [p.severity, p.message]), [['warning', 'An empty formats list allows no weight format: every model with weight files is reported']]);
      assert.deepEqual(r.policy?.models.formats?.values, []);
    });

    it('ignores need a rule, a reason and a scope; a broken ignore is not applied', () => {
      const noReason = '[[ignore]]\nrule = "unknown-package"\npackage = "internal-*"\n';
      assert.deepEqual(problemsOf(noReason), [['[[ignore]]', 'This ignore has no reason: add reason = "why this is accepted"; an ignore without a reason is not applied']]);
      assert.equal(parse(noReason).policy?.ignores.length, 0);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\npackage = "x"\nreason = "  "\n'), [['"  "', 'The reason is empty: say why this is accepted; an ignore without a reason is not applied']]);
      assert.deepEqual(problemsOf('[[ignore]]\npackage = "x"\nreason = "r"\n'), [['[[ignore]]', 'This ignore has no rule: add rule = "<rule id>" (an ignore silences one rule); it is not applied']]);
      assert.deepEqual(problemsOf('[[ignore]]\nrule = "unknown-package"\nreason = "r"\n'), [['[[ignore]]', 'This ignore covers nothing: add package, model or path to say what it applies to; it is not applied']]);
      assert.deepEqual(problemsOf('ignore = [{ rule = "unknown-package", package = "x" }]\n'), [['{ rule = "unknown-package", package = "x" }', 'This ignore has no reason: add reason = "why this is accepted"; an ignore without a reason is not applied']]);
      // The second, valid entry still applies.
      const two = `${noReason}\n[[ignore]]\nrule = "unknown-package"\npackage = "other"\nreason = "ours"\n`;
      assert.deepEqual(parse(two).policy?.ignores.map((i) => i.package?.glob), ['other']);
    });

    it('keeps the valid parts of a policy with errors', () => {
      const r = parse('[packages]\ndeny = ["evil", "bad name"]\n[modles]\nallow = ["x/*"]\n');
      assert.equal(r.problems.length, 2);
      assert.deepEqual(r.policy?.packages.deny.map((x) => x.glob), ['evil']);
    });
  });

  describe('hostile input', () => {
    it('a huge generated policy parses in time linear in its size, and long lists are cut', function () {
      this.timeout(60_000);
      const n = 20_000;
      const text = `[packages]\ndeny = [${Array.from({ length: n }, (_, i) => `"pkg-${i}-*"`).join(', ')}]\n${Array.from({ length: 2000 }, (_, i) => `[[ignore]]\nrule = "unknown-package"\npackage = "p${i}"\nreason = "r"\n`).join('')}`;
      const r = parse(text);
      assert.equal(r.policy?.packages.deny.length, 5000);
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]!.message, /More than 5000 entries in 'packages.deny'/);
      assert.equal(r.policy?.ignores.length, 2000);
    });

    it('deep nesting is reported as the wrong type, not followed', () => {
      const text = `[packages]\ndeny = ${'['.repeat(200)}${']'.repeat(200)}\nallow = ${'{ a = '.repeat(100)}1${' }'.repeat(100)}\n`;
      const r = parse(text);
      assert.ok(r.policy);
      assert.ok(r.problems.length >= 2, JSON.stringify(r.problems.map((p) => p.message)));
    });
  });
});
