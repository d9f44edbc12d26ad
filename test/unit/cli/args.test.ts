import assert from 'node:assert/strict';
import { parseArgs, USAGE } from '../../../server/src/cli/args';

describe('aidr arguments: include confinement', () => {
  it('--allow-outside-includes is off unless given, and documented', () => {
    const a = parseArgs(['scan', '.'], {});
    const b = parseArgs(['scan', '.', '--allow-outside-includes'], {});
    const c = parseArgs(['inventory', '--allow-outside-includes', 'x'], {});
    assert.ok(typeof a === 'object' && typeof b === 'object' && typeof c === 'object');
    assert.equal(a.allowOutsideIncludes, false);
    assert.equal(b.allowOutsideIncludes, true);
    assert.equal(c.allowOutsideIncludes, true);
    assert.deepEqual(c.paths, ['x']);
    assert.match(USAGE, /--allow-outside-includes/);
  });
});
