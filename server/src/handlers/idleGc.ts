// The language server's memory policy. Two parts:
// - While it works, V8 lets the old generation grow to up to four times what survived the last
//   full collection before collecting again. Each keystroke's analysis outlives a few young
//   collections and is promoted, so a dense file or a workspace's cold fetch piled up 50-80 MB of
//   dead objects on ~20 MB of live ones (peaks of 200+ MB). A fixed, small growth factor collects
//   sooner at no measurable cost per keystroke (bench/lsp.bench.ts).
// - After a burst of analyses V8 keeps the pages it grew; a language server then sits idle
//   holding them. One collection in V8's low-memory mode when the server goes quiet returns them
//   to the system. Runs at most once per quiet period.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Collect once the heap is this much (percent) larger than what the last full collection kept. */
export const HEAP_GROWING_PERCENT = 30;

interface GcOptions {
  type: 'major' | 'minor';
  execution: 'sync' | 'async';
  /** 'last-resort' is V8's low-memory notification: full collections that also hand free pages back. */
  flavor?: 'regular' | 'last-resort';
}
type Gc = (options?: GcOptions) => void;

let gcFn: Gc | undefined | null;

function getGc(): Gc | undefined {
  if (gcFn !== undefined) return gcFn ?? undefined;
  try {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as Gc;
  } catch {
    gcFn = null;
  }
  return gcFn ?? undefined;
}

let heapConfigured = false;

/** Sets the server's heap growth (once per process; the CLI keeps V8's defaults, it exits anyway).
 * V8 reads this flag each time it sets the next collection's limit, so it applies at run time. */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (heapConfigured) return;
  heapConfigured = true;
  // A launcher's own choice (NODE_OPTIONS, execArgv) wins.
  if ([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return;
  try {
    v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  } catch {
    // Not fatal: V8's default growth.
  }
}

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(private readonly quietMs = 2000) {}

  /** Work happened: collect once the server has been quiet for a while. */
  touch(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.quietMs);
    this.timer.unref();
  }

  private collect(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const gc = getGc();
    if (gc) {
      try {
        gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      } catch {
        // A V8 without gc options: a plain full collection.
        gc();
      }
    }
    if (process.env.AIDR_MEMLOG) process.stderr.write(JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)]))) + '\n');
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
