// The JSON Schema for aidr.toml and [tool.aidr] (docs/schema/) against sample policies, with the
// validator the project already uses (ajv with ajv-formats, draft 2020-12): the samples the parser
// accepts are valid, the ones it rejects are invalid, and the schema's lists cannot drift from the
// code's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { MODEL_WEIGHT_FORMATS } from '../../../server/src/domain/policy';
import { RULE_IDS } from '../../../server/src/domain/ruleIds';
import { parse } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const read = (p: string) => JSON.parse(readFileSync(path.join(ROOT, p), 'utf8')) as Record<string, unknown> & { $defs: Record<string, { enum?: string[] }>; properties: Record<string, unknown> };
const policySchema = read('docs/schema/aidr.schema.json');
const pyprojectSchema = read('docs/schema/pyproject-tool-aidr.schema.json');

// Strict, except that `anyOf: [{ required: [...] }]` (one of package, model, path) is the usual idiom.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
ajv.addSchema(policySchema);
const validatePolicy = ajv.compile(policySchema);
const validatePyproject = ajv.compile(pyprojectSchema);

/** TOML as the JSON a schema validator sees (dates become ISO strings). */
function json(text: string): unknown {
  const v = getStaticTOMLValue(parseTOML(text));
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => x));
}

const DOCS_SAMPLE = /```toml\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'docs/policy.md'), 'utf8'))![1]!;
const README_SAMPLE = readFileSync(path.join(ROOT, 'test/fixtures/policy/aidr.toml'), 'utf8');

describe('policy JSON Schema', () => {
  it('accepts the documented samples, which the parser accepts too', () => {
    for (const sample of [DOCS_SAMPLE, README_SAMPLE, '', '[packages]\ndeny = ["npm:@acme/*"]\n']) {
      assert.equal(validatePolicy(json(sample)), true, `${JSON.stringify(validatePolicy.errors)}\n${sample}`);
      assert.deepEqual(parse(sample).problems, []);
    }
  });

  it('accepts [tool.aidr] in a pyproject.toml and checks it', () => {
    const ok = `[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n\n[tool.aidr.models]\nallow = ["meta-llama/*"]\n`;
    assert.equal(validatePyproject(json(ok)), true, JSON.stringify(validatePyproject.errors));
    assert.deepEqual(parse(ok, 'pyproject.toml').problems, []);
    const bad = `[tool.aidr.models]\nalow = ["meta-llama/*"]\n`;
    assert.equal(validatePyproject(json(bad)), false);
    assert.equal(parse(bad, 'pyproject.toml').problems.length, 1);
  });

  it('rejects what the parser reports', () => {
    const bad = [
      '[package]\ndeny = ["x"]\n',
      '[packages]\ndeny = "evil"\n',
      '[packages]\ndeny = ["evil***"]\n',
      '[packages]\ndeny = ["torch==2.0"]\n',
      '[packages]\ndeny = ["a[b]"]\n',
      '[packages]\nmin-release-age = "7m"\n',
      '[packages]\nmin-release-age = 7\n',
      '[rules]\nunpinned-model-revison = "error"\n',
      '[rules]\nlicense-notice = "warn"\n',
      '[models]\nrequire-revision = "true"\n',
      '[models]\nformats = ["pt"]\n',
      '[models]\nallow = ["a/b/c"]\n',
      '[licenses]\nallow = ["Apache License 2.0"]\n',
      '[[ignore]]\nrule = "unknown-package"\npackage = "x"\n',
      '[[ignore]]\nrule = "unknown-package"\nreason = "r"\n',
      '[[ignore]]\nrule = "nope"\npackage = "x"\nreason = "r"\n',
      '[[ignore]]\nrule = "unknown-package"\npath = "../x"\nreason = "r"\n',
      '[[ignore]]\nrule = "unknown-package"\npackage = "x"\nreason = "r"\nexpires = "soon"\n',
      '[ignore]\nrule = "unknown-package"\npackage = "x"\nreason = "r"\n',
    ];
    for (const sample of bad) {
      assert.equal(validatePolicy(json(sample)), false, `schema accepted:\n${sample}`);
      assert.ok(parse(sample).problems.length > 0, `parser accepted:\n${sample}`);
    }
  });

  it('lists exactly the rule ids, weight formats and tables the code knows', () => {
    assert.deepEqual(policySchema.$defs.ruleId!.enum, [...RULE_IDS]);
    assert.deepEqual(policySchema.$defs.weightFormat!.enum, [...MODEL_WEIGHT_FORMATS]);
    assert.deepEqual(Object.keys(policySchema.properties), ['rules', 'packages', 'models', 'licenses', 'ignore']);
    assert.equal(policySchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });
});
