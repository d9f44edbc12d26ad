// Cooperative time slicing: long analyses yield to the event loop every few milliseconds, so one
// big document never keeps the language server from answering hovers and edits for others.

/** Returns a function to call between units of work; it yields once `budgetMs` have passed since
 * the last yield, and throws if `signal` was aborted meanwhile. */
export function timeSlicer(budgetMs = 10, signal?: AbortSignal, now: () => number = () => performance.now()): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = now();
    signal?.throwIfAborted();
  };
}
