import * as assert from 'node:assert/strict';
import { TimedOut, timeBoxed } from '../../../server/src/models/timeBox';

describe('timeBoxed', () => {
  it('returns the result of a quick call', () => {
    assert.equal(
      timeBoxed(() => 6 * 7, 1000),
      42,
    );
  });

  it('interrupts a function that never returns (defined outside the vm)', () => {
    const spin = (): number => {
      let x = 0;
      for (;;) x++;
    };
    const t = Date.now();
    assert.throws(() => timeBoxed(spin, 100), TimedOut);
    assert.ok(Date.now() - t < 10_000);
    // The box is reusable after a timeout.
    assert.equal(
      timeBoxed(() => 'again', 1000),
      'again',
    );
  });

  it('passes through what the function throws, including non-Error values', () => {
    assert.throws(() => timeBoxed(() => { throw new RangeError('bad offset'); }, 1000), RangeError);
    assert.throws(() => timeBoxed(() => { throw 'jsfive throws strings'; }, 1000), (e: unknown) => e === 'jsfive throws strings');
  });
});
