import assert from 'node:assert/strict';
import { toAdvisoryRef, firstSentence } from '../../../server/src/versions/advisoryRef';
import { advisorySeverity, cvssScore, severityFromScore } from '../../../server/src/versions/severity';
import type { OsvRecord } from '../../../server/src/domain';
import { osvFixture } from './osvFixtures';

describe('cvssScore', () => {
  it('scores v3.1, v3.0, v4.0 and v2 vectors', () => {
    assert.equal(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvssScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvssScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'), 3.1);
    assert.equal(cvssScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
    assert.equal(cvssScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), 7.5);
  });
  it('returns undefined for junk instead of throwing', () => {
    assert.equal(cvssScore('garbage'), undefined);
    assert.equal(cvssScore('CVSS:3.1/'), undefined);
    assert.equal(cvssScore(''), undefined);
    assert.equal(cvssScore(undefined as unknown as string), undefined);
  });
  it('maps scores to labels', () => {
    assert.equal(severityFromScore(9), 'CRITICAL');
    assert.equal(severityFromScore(8.9), 'HIGH');
    assert.equal(severityFromScore(7), 'HIGH');
    assert.equal(severityFromScore(4), 'MODERATE');
    assert.equal(severityFromScore(0.1), 'LOW');
    assert.equal(severityFromScore(0), 'UNKNOWN');
  });
});

describe('advisorySeverity', () => {
  it('prefers the GHSA label', () => {
    assert.equal(advisorySeverity(osvFixture('TEST-NPM-1'), 'npm', 'left-pad-ish'), 'HIGH');
    assert.equal(advisorySeverity(osvFixture('TEST-PILLOW-1'), 'PyPI', 'pillow'), 'MODERATE');
    const medium = { id: 'x', modified: '', database_specific: { severity: 'medium' } } as OsvRecord;
    assert.equal(advisorySeverity(medium, 'PyPI', 'x'), 'MODERATE');
  });
  it('falls back to the highest CVSS score, including the package-level vectors', () => {
    assert.equal(advisorySeverity(osvFixture('PYSEC-2024-97'), 'PyPI', 'apache-submarine'), 'CRITICAL');
    // Top-level v3 is 3.1 (LOW); the transformers entry carries a v4 vector scoring 9.3.
    assert.equal(advisorySeverity(osvFixture('TEST-CVSS4-1'), 'PyPI', 'transformers'), 'CRITICAL');
    assert.equal(advisorySeverity(osvFixture('TEST-CVSS4-1'), 'PyPI', 'some-other-pkg'), 'LOW');
  });
  it('is UNKNOWN without label or scorable vector', () => {
    assert.equal(advisorySeverity(osvFixture('PYSEC-2022-43015'), 'PyPI', 'torch'), 'UNKNOWN');
    const bad = { id: 'x', modified: '', severity: [{ type: 'CVSS_V3', score: 'nope' }], database_specific: { severity: 'SEVERE' } } as OsvRecord;
    assert.equal(advisorySeverity(bad, 'PyPI', 'x'), 'UNKNOWN');
  });
});

describe('toAdvisoryRef', () => {
  it('builds a ref from a PyPA record (summary from details, aliases, fixes, link)', () => {
    const ref = toAdvisoryRef(osvFixture('PYSEC-2023-61'), 'PyPI', 'django');
    assert.equal(ref.id, 'PYSEC-2023-61');
    assert.deepEqual(ref.fixed, ['3.2.19', '4.1.9', '4.2.1']);
    assert.equal(ref.url, 'https://osv.dev/vulnerability/PYSEC-2023-61');
    assert.ok(ref.summary && ref.summary.length <= 200 && !ref.summary.includes('\n'));
    assert.equal(ref.severity, 'UNKNOWN');
  });
  it('keeps an explicit summary and the GHSA severity', () => {
    const ref = toAdvisoryRef(osvFixture('TEST-NPM-1'), 'npm', 'left-pad-ish');
    assert.deepEqual(ref, {
      id: 'TEST-NPM-1',
      aliases: ['CVE-2099-0001', 'GHSA-aaaa-bbbb-cccc'],
      summary: 'Prototype pollution in left-pad-ish',
      severity: 'HIGH',
      fixed: ['1.3.1', '2.1.0'],
      url: 'https://osv.dev/vulnerability/TEST-NPM-1',
    });
    assert.equal(toAdvisoryRef(osvFixture('TEST-CVSS4-1'), 'PyPI', 'transformers').summary, 'Unsafe deserialization in checkpoint loading.');
  });
  it('firstSentence trims long text and keeps version numbers intact', () => {
    assert.equal(firstSentence('Fixed in v1.2.3 and later. Other.'), 'Fixed in v1.2.3 and later.');
    assert.equal(firstSentence('   '), undefined);
    const long = firstSentence('word '.repeat(100))!;
    assert.ok(long.length <= 200 && long.endsWith('…'));
  });
});
