import assert from 'node:assert/strict';
import { timeSlicer } from '../../../server/src/engine/slice';

describe('timeSlicer', () => {
  it('yields to the event loop only once the budget is spent, letting other work run', async () => {
    let t = 0;
    const slice = timeSlicer(10, undefined, () => t);
    let ran = false;
    setImmediate(() => (ran = true));
    t = 5;
    await slice();
    assert.equal(ran, false, 'within budget: no yield');
    t = 11;
    await slice();
    assert.equal(ran, true, 'over budget: queued work ran in between');
  });

  it('throws once the analysis was cancelled, at the next yield', async () => {
    let t = 0;
    const ctrl = new AbortController();
    const slice = timeSlicer(1, ctrl.signal, () => t);
    ctrl.abort();
    t = 5;
    await assert.rejects(slice(), (e: Error) => e.name === 'AbortError');
  });
});
