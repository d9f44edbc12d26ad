// What a benchmark reads about another process from /proc (Linux): resident memory now and at its
// peak, and the CPU time all its threads have used (nanoseconds, from schedstat), which stays
// meaningful on a loaded machine where wall-clock times are mostly waiting for a core.
import { readdirSync, readFileSync } from 'node:fs';

export interface Memory {
  /** Resident set now (VmRSS), MB. */
  rss: number;
  /** Peak resident set since the process started (VmHWM), MB. */
  peak: number;
}

export function memoryOf(pid: number | undefined): Memory | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU time used so far by every thread of the process (main, GC helpers, libuv pool), in ms. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  let ns = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return NaN;
  }
  return ns / 1e6;
}

export const mb = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '?' : `${n.toFixed(0)} MB`);

/** A budget verdict for a printed line. */
export const verdict = (value: number, budget: number): string => (value <= budget ? 'OK' : 'OVER');
