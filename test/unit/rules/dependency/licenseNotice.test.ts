import assert from 'node:assert/strict';
import { licenseConcern } from '../../../../server/src/data/licenses';
import { licenseNotice } from '../../../../server/src/rules/dependency/licenseNotice';
import { factsFor, metadata } from './factsBuilder';

const check = (license: string | undefined) => licenseNotice.check(factsFor('somepkg==1.0\n', { metadata: metadata('somepkg', license === undefined ? {} : { license }) }));

describe('license-notice', () => {
  it('gives one hint naming a restrictive licence', () => {
    const [f, ...rest] = check('AGPL-3.0-only');
    assert.equal(rest.length, 0);
    assert.equal(f!.rule, 'license-notice');
    assert.equal(f!.severity, 'hint');
    assert.deepEqual(f!.range, { start: 0, end: 7 });
    assert.deepEqual(f!.package, { ecosystem: 'PyPI', name: 'somepkg' });
    assert.match(f!.message, /^somepkg is licensed under AGPL-3\.0-only \(network copyleft: .*\): check that this fits how you ship your project\.$/);
  });

  it('recognises strong copyleft, source-available and non-commercial terms', () => {
    const restrictive = [
      'GPL-3.0-or-later',
      'GNU General Public License v3 (GPLv3)',
      'GNU Affero General Public License v3',
      'SSPL-1.0',
      'BUSL-1.1',
      'Elastic-2.0',
      'CC-BY-NC-4.0',
      'CC-BY-NC-SA-4.0',
      'Free for non-commercial use',
      'Research only',
      'Other/Proprietary License',
      'UNLICENSED',
      'MIT AND GPL-2.0-only',
    ];
    for (const l of restrictive) assert.equal(licenseConcern(l)?.kind, 'restrictive', l);
    assert.match(licenseConcern('GPL-3.0')!.why, /strong copyleft/);
    assert.match(licenseConcern('CC-BY-NC-4.0')!.why, /non-commercial/);
  });

  it('lets permissive, weak-copyleft, excepted and dual licences pass', () => {
    const fine = [
      'MIT',
      'Apache-2.0',
      'BSD-3-Clause',
      'BSL-1.0',
      'MPL-2.0',
      'LGPL-3.0-or-later',
      'GNU Lesser General Public License v3 (LGPLv3)',
      'GPL-2.0-only WITH Classpath-exception-2.0',
      'GPL-3.0 WITH GCC-exception-3.1',
      'MIT OR GPL-3.0-or-later',
      '(Apache-2.0 OR GPL-2.0)',
      'MIT License, GNU General Public License v2 (GPLv2)',
      'The Unlicense',
      'CC-BY-4.0',
    ];
    for (const l of fine) assert.equal(licenseConcern(l), undefined, l);
    assert.deepEqual(check('BSD-3-Clause'), []);
  });

  it('hints at a missing licence only when metadata was fetched', () => {
    const [f] = check(undefined);
    assert.match(f!.message, /^somepkg declares no licence/);
    assert.equal(check('UNKNOWN').length, 1);
    assert.equal(check('  ').length, 1);
    assert.deepEqual(licenseNotice.check(factsFor('somepkg==1.0\n')), [], 'no metadata, no claim');
  });

  it('skips direct references and carries the notebook cell', () => {
    assert.deepEqual(licenseNotice.check(factsFor('x @ https://example.invalid/x.tar.gz\n', { metadata: metadata('x', { license: 'GPL-3.0' }) })), []);
    const facts = factsFor('somepkg\n', { metadata: metadata('somepkg', { license: 'GPL-3.0' }) });
    assert.equal(licenseNotice.check({ ...facts, dep: { ...facts.dep, cell: 1 } })[0]!.cell, 1);
  });
});
