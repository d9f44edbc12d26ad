// What every parse result must be, whatever the input: ranges inside the text with start <= end,
// names present, problems with a message. Throws an AssertionError naming the first violation.
import assert from 'node:assert/strict';
import type { Dependency, ManifestParseResult, OffsetRange } from '../../../server/src/domain';

export function assertRange(r: OffsetRange | undefined, length: number, what: string): void {
  if (r === undefined) return;
  assert.ok(Number.isInteger(r.start) && Number.isInteger(r.end), `${what}: non-integer range ${JSON.stringify(r)}`);
  assert.ok(r.start >= 0 && r.start <= r.end && r.end <= length, `${what}: range ${JSON.stringify(r)} outside [0, ${length}]`);
}

/** `strict` adds what the parsers of this area promise beyond safety: every dependency has a
 * name, and messages quote at most an excerpt of the input. */
export interface WellFormedOptions {
  strict?: boolean;
}

export function assertDependency(d: Dependency, length: number, opts: WellFormedOptions = {}): void {
  assert.equal(typeof d.name, 'string');
  if (opts.strict !== false) assert.ok(d.name.length > 0, `dependency without a name: ${JSON.stringify(d).slice(0, 200)}`);
  assert.ok(d.ecosystem === 'PyPI' || d.ecosystem === 'npm');
  assert.equal(typeof d.specifier, 'string');
  assertRange(d.range, length, `${d.name} range`);
  assertRange(d.nameRange, length, `${d.name} nameRange`);
  assertRange(d.versionRange, length, `${d.name} versionRange`);
}

export function assertWellFormed(r: ManifestParseResult, length: number, opts: WellFormedOptions = {}): void {
  assert.ok(Array.isArray(r.dependencies) && Array.isArray(r.problems) && Array.isArray(r.includes) && Array.isArray(r.indexUrls));
  for (const d of r.dependencies) assertDependency(d, length, opts);
  for (const i of r.includes) assertRange(i.range, length, `include ${i.target}`);
  for (const p of r.problems) {
    assert.ok(typeof p.message === 'string' && p.message.length > 0, 'problem without a message');
    if (opts.strict !== false) assert.ok(p.message.length <= 1000, `problem message of ${p.message.length} characters (an unbounded excerpt)`);
    assertRange(p.range, length, `problem '${p.message.slice(0, 80)}'`);
  }
}
