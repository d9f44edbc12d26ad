import assert from 'node:assert/strict';
import type { Finding } from '../../../../server/src/domain';
import { applyPolicy, expiryProblems, untrustedProblems } from '../../../../server/src/rules/policy/apply';
import { policyOf } from '../../policy/helpers';

const DAY = 86_400_000;
const BEFORE = Date.UTC(2027, 1, 20);
const AFTER = Date.UTC(2027, 2, 1); // the expiry day itself: no longer covered

const f = (rule: Finding['rule'], severity: Finding['severity'], extra: Partial<Finding> = {}): Finding => ({ rule, severity, range: { start: 0, end: 5 }, message: `${rule} message.`, ...extra });
const jinja = f('vulnerable-dependency', 'warning', { package: { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' } });
const hint = f('license-notice', 'hint', { package: { ecosystem: 'PyPI', name: 'x' } });
const trc = f('trust-remote-code', 'error', { range: { start: 40, end: 62 } });

const POLICY = `[rules]
license-notice = "off"
unpinned-dependency = "error"
vulnerable-dependency = "info"

[[ignore]]
rule = "vulnerable-dependency"
package = "pypi:Jinja2"
reason = "Templates are never user input"
expires = 2027-03-01

[[ignore]]
rule = "trust-remote-code"
model = "acme/*"
path = "notebooks/**"
reason = "Reviewed acme's code"
`;

describe('applyPolicy', () => {
  const policy = policyOf(POLICY);
  const base = { policy, now: BEFORE, silencingAllowed: true, relPath: 'notebooks/explore.ipynb', modelOf: (x: Finding) => (x === trc ? 'acme/bert-tiny' : undefined) };

  it('sets levels per rule and turns rules off (trusted workspace)', () => {
    const pinned = f('unpinned-dependency', 'hint');
    const out = applyPolicy([hint, pinned], base).findings;
    assert.deepEqual(out.map((x) => [x.rule, x.severity]), [['unpinned-dependency', 'error']]);
  });

  it('an ignore hides the findings it matches: rule, package (normalised), model and path all count', () => {
    const other = { ...jinja, package: { ecosystem: 'PyPI' as const, name: 'requests' } };
    const res = applyPolicy([jinja, other, trc], base);
    assert.deepEqual(res.findings.map((x) => x.package?.name ?? x.rule), ['requests']);
    assert.deepEqual(res.expired, []);
    assert.equal(applyPolicy([trc], { ...base, relPath: 'src/app.py' }).findings.length, 1, 'outside the ignored path');
    assert.equal(applyPolicy([trc], { ...base, modelOf: () => 'other/model' }).findings.length, 1, 'another model');
    assert.equal(applyPolicy([trc], { ...base, modelOf: undefined }).findings.length, 1, 'model unknown');
    assert.equal(applyPolicy([{ ...trc, rule: 'unsafe-torch-load' }], base).findings.length, 1, 'another rule');
    assert.equal(applyPolicy([{ ...jinja, package: { ecosystem: 'npm', name: 'jinja2' } }], base).findings.length, 1, 'pypi: does not cover npm');
  });

  it('an expired ignore stops working and says so on the finding', () => {
    const res = applyPolicy([jinja], { ...base, now: AFTER });
    assert.equal(res.findings.length, 1);
    const back = res.findings[0]!;
    assert.equal(back.severity, 'info', 'the level still applies');
    assert.equal(back.message, 'vulnerable-dependency message. (The ignore for this in aidr.toml expired on 2027-03-01.)');
    assert.equal(back.related?.at(-1)?.message, "expired ignore: Templates are never user input");
    assert.deepEqual(back.related?.at(-1)?.range.start, { line: 5, character: 0 });
    assert.equal(res.expired.length, 1);
    assert.equal(res.expired[0]!.ignore, policy.ignores[0]);
    // The day before, it still works.
    assert.equal(applyPolicy([jinja], { ...base, now: AFTER - 1 }).findings.length, 0);
  });

  it('an untrusted workspace: no ignore applies, no rule is turned off or lowered, stricter levels still apply', () => {
    const u = { ...base, silencingAllowed: false };
    const pinned = f('unpinned-dependency', 'hint');
    const out = applyPolicy([hint, jinja, trc, pinned], u).findings;
    assert.deepEqual(
      out.map((x) => [x.rule, x.severity]),
      [
        ['license-notice', 'hint'],
        ['vulnerable-dependency', 'warning'],
        ['trust-remote-code', 'error'],
        ['unpinned-dependency', 'error'],
      ],
    );
    assert.ok(out.every((x) => !/expired/.test(x.message)));
  });

  it('a policy without levels or ignores changes nothing', () => {
    const list = [jinja, hint, trc];
    assert.deepEqual(applyPolicy(list, { ...base, policy: policyOf('') }).findings, list);
  });
});

describe('policy file notes', () => {
  it('expired ignores are a warning on their date; those about to expire an info', () => {
    const policy = policyOf(POLICY);
    assert.deepEqual(expiryProblems(policy, BEFORE - 30 * DAY), []);
    const soon = expiryProblems(policy, BEFORE);
    assert.deepEqual(soon.map((p) => [p.severity, p.message]), [['info', 'This ignore expires in 9 days (2027-03-01).']]);
    const [gone] = expiryProblems(policy, AFTER);
    assert.equal(gone!.severity, 'warning');
    assert.match(gone!.message, /^This ignore expired on 2027-03-01: it no longer applies, and the vulnerable-dependency findings it covered are reported again\./);
    assert.equal(POLICY.slice(gone!.range.start, gone!.range.end), '2027-03-01');
  });

  it('untrusted: says which entries do not apply', () => {
    const notes = untrustedProblems(policyOf(POLICY));
    assert.deepEqual(
      notes.map((p) => POLICY.slice(p.range.start, p.range.end)),
      ['[[ignore]]', '[[ignore]]', 'off', 'info'],
    );
    assert.match(notes[0]!.message, /^Not applied: this workspace is not trusted/);
    assert.match(notes[2]!.message, /nothing in it may turn a rule off/);
    assert.match(notes[3]!.message, /nothing in it may lower a severity/);
  });
});
