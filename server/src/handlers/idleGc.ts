// After a burst of analyses (opening a workspace, a cold fetch of thousands of packages), V8
// keeps the heap it grew for the garbage; a language server then sits idle holding it. One full
// collection when the server goes quiet returns that memory. Runs at most once per quiet period.
import v8 from 'node:v8';
import vm from 'node:vm';

type Gc = () => void;

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
    getGc()?.();
    if (process.env.AIDR_MEMLOG) process.stderr.write(JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)]))) + '\n');
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
