import assert from 'node:assert/strict';
import fc from 'fast-check';
import { anyValue, anyObj, arr, bool, clip, num, obj, oneOf, opt, pattern, record, str, validate } from '../../../server/src/sources/shape';
import { querybatchProblem, vulnProblem } from '../../../server/src/sources/osvShapes';
import { packumentProblem, pypiDocumentProblem } from '../../../server/src/sources/registryShapes';
import { modelInfoProblem, pathsInfoProblem } from '../../../server/src/sources/hubShapes';

describe('sources/shape', () => {
  it('names the first problem with a JSON path', () => {
    const check = obj({ a: arr(obj({ b: str })), 'dist-tags': opt(record(str)), 'x y': opt(num) });
    assert.equal(validate(check, { a: [{ b: 'ok' }, { b: 1 }] }), 'a[1].b: expected string, got number');
    assert.equal(validate(check, { a: [], 'dist-tags': { latest: null } }), 'dist-tags.latest: expected string, got null');
    assert.equal(validate(check, { a: [], 'x y': 'no' }), '["x y"]: expected number, got string');
    assert.equal(validate(check, []), '(root): expected object, got array');
    assert.equal(validate(check, { a: [{ b: 'x' }], extra: { anything: [1, 2] } }), undefined, 'unnamed keys are not checked');
  });

  it('opt accepts missing and null only; oneOf, pattern, limits', () => {
    assert.equal(validate(obj({ a: opt(str) }), {}), undefined);
    assert.equal(validate(obj({ a: opt(str) }), { a: null }), undefined);
    assert.match(validate(obj({ a: opt(str) }), { a: 0 }) ?? '', /expected string/);
    assert.equal(validate(obj({ a: str }), {}), 'a: expected string, got undefined');
    assert.equal(validate(oneOf('string or boolean', str, bool), true), undefined);
    assert.equal(validate(oneOf('string or boolean', str, bool), 1), '(root): expected string or boolean, got number');
    assert.equal(validate(pattern(/^[a-f0-9]{4}$/, 'hex'), 'abcd'), undefined);
    assert.equal(validate(pattern(/^[a-f0-9]{4}$/, 'hex'), 'abcz'), '(root): not a valid hex');
    assert.equal(validate(arr(anyValue, 2), [1, 2, 3]), '(root): more than 2 items');
    assert.equal(validate(record(anyValue, 1), { a: 1, b: 2 }), '(root): more than 1 entries');
    assert.equal(validate(num, Number.NaN), '(root): expected number, got number');
    assert.equal(validate(anyObj, null), '(root): expected object, got null');
    assert.equal(clip('abcdef', 4), 'abc…');
    assert.equal(clip('abc', 4), 'abc');
  });

  it('does not treat inherited or prototype keys as present', () => {
    const o = JSON.parse('{"__proto__": {"b": 1}}') as unknown;
    assert.equal(validate(obj({ b: str }), o), 'b: expected string, got undefined');
    assert.equal(validate(record(str), o), '__proto__: expected string, got object');
  });

  it('every registry shape check returns a string or undefined for any JSON, and never throws', () => {
    const checks = [
      (v: unknown) => querybatchProblem(v, 1),
      (v: unknown) => vulnProblem(v, 'X'),
      pypiDocumentProblem,
      packumentProblem,
      modelInfoProblem,
      (v: unknown) => pathsInfoProblem(v, 10),
    ];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        for (const c of checks) {
          const r = c(v);
          assert.ok(r === undefined || typeof r === 'string');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('checks a large answer in linear time (a 400,000-release document)', function () {
    this.timeout(60_000);
    const releases: Record<string, unknown[]> = {};
    for (let i = 0; i < 20_000; i++) releases[`1.${i}`] = Array.from({ length: 20 }, () => ({ yanked: false, upload_time_iso_8601: '2020-01-01T00:00:00Z' }));
    assert.equal(pypiDocumentProblem({ info: {}, releases }), undefined);
    releases['1.19999']![19] = { yanked: 'no' };
    assert.equal(pypiDocumentProblem({ info: {}, releases }), 'releases["1.19999"][19].yanked: expected boolean, got string');
  });
});
