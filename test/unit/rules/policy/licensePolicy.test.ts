import assert from 'node:assert/strict';
import type { ModelInfo } from '../../../../server/src/domain';
import { judgeLicense, modelLicensePolicy, packageLicensePolicy } from '../../../../server/src/rules/policy/licensePolicy';
import { licenseAlternatives } from '../../../../server/src/rules/policy/licenseIds';
import { factsFor, metadata } from '../dependency/factsBuilder';
import { policyOf } from '../../policy/helpers';

const NOW = Date.UTC(2025, 0, 1);
const hub = (license?: string): ModelInfo => ({ id: 'x', files: [], ...(license ? { license } : {}), freshness: { fetchedAt: 0, stale: false, origin: 'network' } });

describe('licence expressions', () => {
  it('reads SPDX expressions (AND binds tighter than OR), classifier lists and common names', () => {
    assert.deepEqual(licenseAlternatives('MIT'), [['mit']]);
    assert.deepEqual(licenseAlternatives('MIT OR Apache-2.0'), [['mit'], ['apache-2.0']]);
    assert.deepEqual(licenseAlternatives('MIT AND (Apache-2.0 OR BSD-3-Clause)'), [
      ['mit', 'apache-2.0'],
      ['mit', 'bsd-3-clause'],
    ]);
    assert.deepEqual(licenseAlternatives('GPL-2.0-only WITH Classpath-exception-2.0'), [['gpl-2.0-only']]);
    assert.deepEqual(licenseAlternatives('MIT License, Apache Software License'), [['mit'], ['apache-2.0']]);
    assert.deepEqual(licenseAlternatives('Apache License, Version 2.0'), [['apache-2.0']]);
    assert.deepEqual(licenseAlternatives('cc-by-nc-4.0'), [['cc-by-nc-4.0']]);
    assert.deepEqual(licenseAlternatives('Dual License'), [['dual license']]);
  });

  it('never loops or explodes on hostile text', () => {
    assert.ok(licenseAlternatives('((((((((((((((((((((((((((((((a').length <= 64);
    assert.ok(licenseAlternatives(')))) OR AND WITH ((').length <= 64);
    assert.ok(licenseAlternatives(Array.from({ length: 40 }, (_, i) => `(a${i} OR b${i})`).join(' AND ')).length <= 64);
  });
});

describe('license-policy', () => {
  const lists = (toml: string) => policyOf(toml).licenses;

  it('a denied licence is reported with the pattern; an alternative that passes lets the package pass', () => {
    const l = lists('[licenses]\ndeny = ["AGPL-*", "GPL-3.0*"]\n');
    assert.equal(judgeLicense('AGPL-3.0-only', l)?.kind, 'denied');
    assert.equal(judgeLicense('MIT OR GPL-3.0-or-later', l), undefined);
    assert.equal(judgeLicense('MIT AND GPL-3.0-only', l)?.kind, 'denied');
    assert.equal(judgeLicense('gnu general public license v3 (gplv3)', l)?.kind, 'denied', 'classifier names map to SPDX ids');
    assert.equal(judgeLicense(undefined, l), undefined, 'no licence and no allow list: nothing to say');
  });

  it('with an allow list, every part must be listed, and a missing licence is reported', () => {
    const l = lists('[licenses]\nallow = ["MIT", "Apache-2.0", "BSD-*"]\n');
    assert.equal(judgeLicense('BSD-3-Clause', l), undefined);
    assert.deepEqual(judgeLicense('MPL-2.0', l), { kind: 'unlisted', parts: ['mpl-2.0'] });
    assert.deepEqual(judgeLicense('MIT AND Zlib', l), { kind: 'unlisted', parts: ['zlib'] });
    assert.deepEqual(judgeLicense(undefined, l), { kind: 'missing' });
    assert.deepEqual(judgeLicense('', l), { kind: 'missing' });
  });

  it('reports a package, on its name, from registry metadata', () => {
    const policy = policyOf('[licenses]\ndeny = ["AGPL-*"]\n');
    const text = 'some-agpl-tool==1.0\n';
    const [f, ...rest] = packageLicensePolicy(factsFor(text, { metadata: metadata('some-agpl-tool', { license: 'AGPL-3.0-or-later' }) }), { policy, now: NOW });
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'license-policy');
    assert.equal(f!.severity, 'error');
    assert.equal(text.slice(f!.range.start, f!.range.end), 'some-agpl-tool');
    assert.match(f!.message, /^some-agpl-tool is licensed under AGPL-3\.0-or-later, which the project policy denies \("AGPL-\*" in aidr\.toml line 2\)\./);
    assert.deepEqual(packageLicensePolicy(factsFor(text), { policy, now: NOW }), [], 'licence unknown (no metadata): not judged');
    assert.deepEqual(packageLicensePolicy(factsFor(text, { metadata: metadata('x', { license: 'MIT' }) }), { policy, now: NOW }), []);
  });

  it('reports a Hub model licence from [models.licenses], and only when the Hub was asked', () => {
    const policy = policyOf('[models.licenses]\ndeny = ["cc-by-nc-*"]\nallow = ["apache-2.0", "mit", "llama3.*"]\n');
    const use = { id: 'acme/research-only', range: { start: 10, end: 28 } };
    const [f] = modelLicensePolicy({ ...use, hub: hub('cc-by-nc-4.0') }, { policy, now: NOW });
    assert.equal(f!.rule, 'license-policy');
    assert.deepEqual(f!.range, use.range);
    assert.match(f!.message, /^The model acme\/research-only is licensed under cc-by-nc-4\.0, which the project policy denies \("cc-by-nc-\*"/);
    const [o] = modelLicensePolicy({ ...use, hub: hub('other') }, { policy, now: NOW });
    assert.match(o!.message, /'other' is not in models\.licenses\.allow/);
    const [m] = modelLicensePolicy({ ...use, hub: hub() }, { policy, now: NOW });
    assert.match(m!.message, /declares no licence/);
    assert.deepEqual(modelLicensePolicy({ ...use, hub: hub('llama3.1') }, { policy, now: NOW }), []);
    assert.deepEqual(modelLicensePolicy({ ...use, hub: hub('Apache-2.0') }, { policy, now: NOW }), [], 'case-insensitive');
    assert.deepEqual(modelLicensePolicy(use, { policy, now: NOW }), [], 'no Hub facts: not judged');
  });
});
