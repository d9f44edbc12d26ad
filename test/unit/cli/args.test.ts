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

describe('aidr arguments: bom and baselines', () => {
  it('bom defaults to JSON and refuses other formats', () => {
    const a = parseArgs(['bom', 'proj', '--offline', '-o', 'bom.json'], {});
    assert.ok(typeof a === 'object');
    assert.deepEqual([a.command, a.format, a.offline, a.output, a.paths], ['bom', 'json', true, 'bom.json', ['proj']]);
    assert.throws(() => parseArgs(['bom', '--format', 'sarif'], {}), /CycloneDX JSON only/);
    assert.match(USAGE, /aidr bom/);
  });

  it('--baseline and --write-baseline take a file, for scan only', () => {
    const a = parseArgs(['scan', '.', '--baseline', 'b.json', '--write-baseline=n.json'], {});
    assert.ok(typeof a === 'object');
    assert.deepEqual([a.baseline, a.writeBaseline], ['b.json', 'n.json']);
    assert.throws(() => parseArgs(['scan', '--baseline'], {}), /needs a value/);
    assert.throws(() => parseArgs(['bom', '--baseline', 'b.json'], {}), /apply to aidr scan/);
    assert.throws(() => parseArgs(['inventory', '--write-baseline', 'b.json'], {}), /apply to aidr scan/);
    assert.match(USAGE, /--baseline FILE/);
    assert.match(USAGE, /--write-baseline FILE/);
  });

  it('an unknown command names the three', () => {
    assert.throws(() => parseArgs(['sbom'], {}), /"scan", "inventory" or "bom"/);
  });
});
