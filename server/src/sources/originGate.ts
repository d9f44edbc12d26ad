// Back-off shared by every request to one origin. A Retry-After pauses the whole origin (requests
// queued behind it wait for the same window instead of each discovering the limit in turn); a
// request that still fails after that, or one that timed out, closes the origin for a short while,
// so later stages fail fast (with the same code) and use stale data; repeated 5xx or connection
// failures make new requests try only once. Any success opens everything again. Times are ms since
// epoch, from the client's clock.

/** Why an origin is closed, and the failure code requests get meanwhile. */
export interface Closed {
  reason: string;
  code: string;
  status?: number;
}

export class OriginGate {
  /** No request is sent before this (a server's Retry-After). */
  pausedUntil = 0;
  /** Requests fail at once until this: the origin kept refusing after we honoured its Retry-After. */
  private closedUntil = 0;
  private closed: Closed = { reason: '', code: '' };
  /** Requests get one attempt only until this: the origin failed a request through all its retries. */
  private degradedUntil = 0;

  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  close(until: number, closed: Closed): void {
    if (until > this.closedUntil) {
      this.closedUntil = until;
      this.closed = closed;
    }
  }

  degrade(until: number): void {
    this.degradedUntil = Math.max(this.degradedUntil, until);
  }

  /** Why to fail without sending, while the origin is closed. */
  closedAt(now: number): Closed | undefined {
    return now < this.closedUntil ? this.closed : undefined;
  }

  degradedAt(now: number): boolean {
    return now < this.degradedUntil;
  }

  succeeded(): void {
    this.closedUntil = 0;
    this.degradedUntil = 0;
  }
}
