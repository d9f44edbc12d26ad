// The watch's scheduler on fake time: first check soon after start, then once per TTL plus jitter
// from the end of the previous check; never two at once; off when disabled (offline, TTL 0) or
// disposed, aborting a running check.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WatchScheduler, type SchedulerOptions } from '../../../server/src/handlers/watchScheduler';
import { deferred, FakeClock } from './fakeClock';

const HOUR = 3_600_000;

function scheduler(opts: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  const s = new WatchScheduler({
    clock,
    random: () => 0,
    check: async (signal) => {
      starts.push(clock.now());
      signals.push(signal);
    },
    ...opts,
  });
  return { clock, s, starts, signals };
}

describe('WatchScheduler', () => {
  it('checks first after min(TTL, first delay), then once per TTL', async () => {
    const { clock, s, starts } = scheduler({ firstDelayMs: 60_000 });
    s.configure({ enabled: true, intervalMs: 24 * HOUR });
    await clock.advance(59_999);
    assert.deepEqual(starts, []);
    await clock.advance(1);
    assert.deepEqual(starts, [60_000]);
    await clock.advance(24 * HOUR - 1);
    assert.equal(starts.length, 1, 'not before the TTL');
    await clock.advance(1);
    assert.deepEqual(starts, [60_000, 60_000 + 24 * HOUR]);
    await clock.advance(3 * 24 * HOUR);
    assert.equal(starts.length, 5);
  });

  it('a short TTL is also the first delay', async () => {
    const { clock, s, starts } = scheduler();
    s.configure({ enabled: true, intervalMs: 5000 });
    await clock.advance(5000);
    assert.deepEqual(starts, [5000]);
  });

  it('measures the interval from the end of the previous check', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    let gate = deferred();
    const s = new WatchScheduler({
      clock,
      random: () => 0,
      firstDelayMs: 1000,
      check: async () => {
        starts.push(clock.now());
        await gate.promise;
      },
    });
    s.configure({ enabled: true, intervalMs: 10_000 });
    await clock.advance(1000);
    await clock.advance(7000); // the check takes 7 s
    gate.resolve();
    gate = deferred();
    await clock.advance(0);
    assert.equal(s.nextDue, 8000 + 10_000);
    await clock.advance(10_000);
    assert.deepEqual(starts, [1000, 18_000]);
  });

  it('keeps jitter within [TTL, TTL × (1 + jitter)]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1000, max: 100 * HOUR }), fc.double({ min: 0, max: 0.5, noNaN: true }), (r, interval, jitter) => {
        const clock = new FakeClock();
        const s = new WatchScheduler({ clock, random: () => r, jitter, firstDelayMs: Number.MAX_SAFE_INTEGER, check: async () => undefined });
        s.configure({ enabled: true, intervalMs: interval });
        const due = s.nextDue!;
        return due >= interval && due <= interval * (1 + jitter) + 1e-6;
      }),
    );
  });

  it('spreads windows apart: different random draws give different times', async () => {
    const a = scheduler({ random: () => 0.1, firstDelayMs: 10 * HOUR });
    const b = scheduler({ random: () => 0.9, firstDelayMs: 10 * HOUR });
    a.s.configure({ enabled: true, intervalMs: HOUR });
    b.s.configure({ enabled: true, intervalMs: HOUR });
    assert.ok(b.s.nextDue! - a.s.nextDue! > 0.07 * HOUR);
  });

  it('never runs two checks at once, however long one takes or how often it is reconfigured', async () => {
    const clock = new FakeClock();
    let running = 0;
    let peak = 0;
    let started = 0;
    const gate = deferred();
    const s = new WatchScheduler({
      clock,
      random: () => 0,
      check: async () => {
        started++;
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      },
    });
    s.configure({ enabled: true, intervalMs: 2000 });
    await clock.advance(2000);
    assert.equal(s.running, true);
    for (let i = 0; i < 10; i++) {
      s.configure({ enabled: true, intervalMs: 1000 + i });
      await clock.advance(5000);
    }
    assert.equal(started, 1);
    assert.equal(clock.pending, 0, 'no timer armed while a check runs');
    gate.resolve();
    await clock.advance(0);
    assert.equal(s.nextDue, 52_000 + 1009, 'the last timing applies after the check');
    await clock.advance(1009);
    assert.equal(started, 2);
    assert.equal(peak, 1);
  });

  it('honours a minimum interval: a tiny TTL is no busy loop', async () => {
    const { clock, s, starts } = scheduler({ minIntervalMs: 1000 });
    s.configure({ enabled: true, intervalMs: 1 });
    await clock.advance(10_000);
    assert.equal(starts.length, 10);
    assert.ok(starts.every((t, i) => i === 0 || t - starts[i - 1]! >= 1000));
  });

  it('stops when disabled (offline), aborting a running check, and starts again when enabled', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const gate = deferred();
    let starts = 0;
    const s = new WatchScheduler({
      clock,
      random: () => 0,
      check: async (signal) => {
        starts++;
        signals.push(signal);
        if (starts === 1) await gate.promise;
      },
    });
    s.configure({ enabled: true, intervalMs: 1000 });
    await clock.advance(1000);
    s.configure({ enabled: false, intervalMs: 1000 });
    assert.equal(signals[0]!.aborted, true);
    gate.resolve();
    await clock.advance(100 * 1000);
    assert.equal(starts, 1, 'nothing while offline');
    assert.equal(s.nextDue, undefined);
    s.configure({ enabled: true, intervalMs: 1000 });
    await clock.advance(999);
    assert.equal(starts, 1);
    await clock.advance(1);
    assert.equal(starts, 2);
    assert.equal(signals[1]!.aborted, false);
  });

  it('a TTL of 0 means no watch', async () => {
    const { clock, s, starts } = scheduler();
    s.configure({ enabled: true, intervalMs: 0 });
    await clock.advance(10 * HOUR);
    assert.deepEqual(starts, []);
    s.configure({ enabled: true, intervalMs: Number.NaN });
    await clock.advance(10 * HOUR);
    assert.deepEqual(starts, []);
  });

  it('stops for good when disposed', async () => {
    const { clock, s, starts, signals } = scheduler();
    s.configure({ enabled: true, intervalMs: 1000 });
    await clock.advance(1000);
    s.dispose();
    s.configure({ enabled: true, intervalMs: 1000 });
    await clock.advance(60_000);
    assert.equal(starts.length, 1);
    assert.equal(clock.pending, 0);
    assert.equal(signals[0]!.aborted, false, 'a finished check is not aborted after the fact');
  });

  it('a reconfigured interval does not postpone a check that is due', async () => {
    const { clock, s, starts } = scheduler({ firstDelayMs: 10_000 });
    s.configure({ enabled: true, intervalMs: HOUR });
    await clock.advance(6000);
    s.configure({ enabled: true, intervalMs: HOUR });
    assert.equal(s.nextDue, 10_000, 'the same timing keeps its timer');
    s.configure({ enabled: true, intervalMs: 5000 });
    assert.equal(s.nextDue, 5000, 'from the same start, not from now');
    await clock.advance(0);
    assert.deepEqual(starts, [6000], 'overdue: runs at once');
  });

  it('keeps going after a failed check, and reports the failure', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const s = new WatchScheduler({
      clock,
      random: () => 0,
      onError: (e) => errors.push(e),
      check: async () => {
        n++;
        throw new Error('registry down');
      },
    });
    s.configure({ enabled: true, intervalMs: 1000 });
    await clock.advance(3000);
    assert.equal(n, 3);
    assert.equal(errors.length, 3);
  });
});
