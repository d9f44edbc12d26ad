// When the watch checks: a first check (the baseline) soon after it is enabled, then one per
// interval (the cache TTL, so cached answers have expired) plus random jitter (so many windows do not
// ask at the same moment), measured from the end of the previous check: never more often than the
// interval, never two checks at once. Disabling (offline, TTL 0) or disposing stops the timer and
// aborts a running check. Time comes from an injected clock, so tests run on fake time.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; its timers do not keep the process alive. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface WatchTiming {
  enabled: boolean;
  /** The interval between checks (the cache TTL), in ms. */
  intervalMs: number;
}

export interface SchedulerOptions {
  clock: Clock;
  /** In [0, 1): Math.random in the server, fixed in tests. */
  random: () => number;
  check: (signal: AbortSignal) => Promise<void>;
  /** The fraction of the interval added at random (default 0.1: up to 10 % later). */
  jitter?: number;
  /** The shortest interval honoured (default 1 s): a tiny TTL cannot make a busy loop. */
  minIntervalMs?: number;
  /** The first check waits min(interval, this) (default 2 min), jittered: after start-up, not during. */
  firstDelayMs?: number;
  onError?: (e: unknown) => void;
}

export const DEFAULT_JITTER = 0.1;
export const DEFAULT_MIN_INTERVAL_MS = 1000;
export const DEFAULT_FIRST_DELAY_MS = 120_000;

export class WatchScheduler {
  private timing: WatchTiming = { enabled: false, intervalMs: 0 };
  private timer: unknown;
  private due: number | undefined;
  private armedInterval = 0;
  private inflight: AbortController | undefined;
  /** When the last check ended, or when the watch was (re-)enabled before any check. */
  private from: number | undefined;
  private checked = false;
  private disposed = false;
  /** Checks completed (or failed). */
  runs = 0;

  constructor(private readonly opts: SchedulerOptions) {}

  /** When the next check is due (clock time), if one is armed. */
  get nextDue(): number | undefined {
    return this.due;
  }

  get running(): boolean {
    return this.inflight !== undefined;
  }

  configure(t: WatchTiming): void {
    if (this.disposed) return;
    const enabled = t.enabled && Number.isFinite(t.intervalMs) && t.intervalMs > 0;
    const was = this.timing.enabled;
    this.timing = { enabled, intervalMs: t.intervalMs };
    if (!enabled) {
      this.clear();
      this.inflight?.abort();
      return;
    }
    if (!was && !this.inflight) this.from = this.opts.clock.now();
    // A running check re-arms when it ends, with the timing of that moment.
    if (this.inflight) return;
    if (this.timer !== undefined && this.armedInterval === this.interval()) return;
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
    this.inflight?.abort();
  }

  private interval(): number {
    return Math.max(this.timing.intervalMs, this.opts.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS);
  }

  private arm(): void {
    this.clear();
    const interval = this.interval();
    const base = this.checked ? interval : Math.min(interval, this.opts.firstDelayMs ?? DEFAULT_FIRST_DELAY_MS);
    const r = Math.min(Math.max(this.opts.random(), 0), 1);
    const delay = base * (1 + (this.opts.jitter ?? DEFAULT_JITTER) * r);
    const now = this.opts.clock.now();
    const due = (this.from ?? now) + delay;
    this.due = due;
    this.armedInterval = interval;
    this.timer = this.opts.clock.setTimeout(() => void this.fire(), Math.max(0, due - now));
  }

  private clear(): void {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.due = undefined;
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.due = undefined;
    if (this.disposed || !this.timing.enabled || this.inflight) return;
    const ctrl = new AbortController();
    this.inflight = ctrl;
    try {
      await this.opts.check(ctrl.signal);
    } catch (e) {
      if (!ctrl.signal.aborted) this.opts.onError?.(e);
    } finally {
      this.inflight = undefined;
      this.runs++;
      this.checked = true;
      this.from = this.opts.clock.now();
      if (!this.disposed && this.timing.enabled) this.arm();
    }
  }
}
