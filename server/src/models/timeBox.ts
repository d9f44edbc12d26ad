// Runs synchronous code under a hard time limit. Third-party parsers that work on a buffer
// (jsfive's HDF5 reader) cannot be interrupted by our deadline checks, and a crafted file can
// make them loop; node:vm's `timeout` terminates any JavaScript running inside the call —
// including functions defined outside the context — and throws, leaving the process intact.
import { type Context, Script, createContext } from 'node:vm';

const box: { run: () => void } = { run: () => undefined };
/** The code crossing into the vm only calls back out to `fn`; built on first use, not at load. */
let vm: { script: Script; context: Context } | undefined;

export class TimedOut extends Error {}

/** Calls `fn` and returns its result, or throws `TimedOut` after `ms` milliseconds. */
export function timeBoxed<T>(fn: () => T, ms: number): T {
  let result: { value: T } | undefined;
  box.run = () => {
    result = { value: fn() };
  };
  vm ??= { script: new Script('run()'), context: createContext(box) };
  try {
    vm.script.runInContext(vm.context, { timeout: Math.max(1, Math.floor(ms)) });
  } catch (e) {
    if ((e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new TimedOut(`gave up after ${Math.floor(ms)} ms`);
    throw e;
  } finally {
    box.run = () => undefined;
  }
  return result!.value;
}
