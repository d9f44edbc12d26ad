import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../server/src/cli/args';
import { exitCodeFor, type JsonReport } from '../../../server/src/cli/report';

describe('aidr argument parsing', () => {
  it('parses the contract flags, repeatable --advisory-db and --flag=value', () => {
    const a = parseArgs(['scan', 'a', 'b', '--format=sarif', '--output', 'o.sarif', '--offline', '--advisory-db', 'x.zip', '--advisory-db', 'dir', '--fail-on', 'warning', '--cache-dir', 'c'], {});
    assert.ok(typeof a === 'object');
    assert.deepEqual([a.paths, a.format, a.output, a.offline, a.advisoryDb, a.failOn, a.cacheDir], [['a', 'b'], 'sarif', 'o.sarif', true, ['x.zip', 'dir'], 'warning', 'c']);
  });

  it('defaults to the current folder, text, fail-on error; endpoint URLs from the environment, flags win', () => {
    const a = parseArgs(['scan'], { AIDR_OSV_URL: 'http://127.0.0.1:1', AIDR_PYPI_URL: 'http://127.0.0.1:2' });
    assert.ok(typeof a === 'object');
    assert.deepEqual([a.paths, a.format, a.failOn, a.osvUrl, a.pypiUrl], [['.'], 'text', 'error', 'http://127.0.0.1:1', 'http://127.0.0.1:2']);
    const b = parseArgs(['scan', '--osv-url', 'http://127.0.0.1:3'], { AIDR_OSV_URL: 'http://127.0.0.1:1' });
    assert.ok(typeof b === 'object' && b.osvUrl === 'http://127.0.0.1:3');
  });

  it('rejects what it does not know, with a reason', () => {
    for (const argv of [['scan', '--format', 'xml'], ['scan', '--nope'], ['lint'], ['scan', '--fail-on', 'critical'], ['scan', '--output'], ['scan', '--osv-url', 'ftp://x']]) {
      assert.throws(() => parseArgs(argv, {}), UsageError, argv.join(' '));
    }
    assert.equal(parseArgs(['--help'], {}), 'help');
    assert.equal(parseArgs(['--version'], {}), 'version');
  });

  it('exit code follows --fail-on', () => {
    const rep = (sev: 'error' | 'warning' | 'info' | 'hint'): JsonReport => ({
      version: 1,
      findings: [{ rule: 'x', severity: sev, file: 'f', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm' }],
      errors: [],
    });
    assert.equal(exitCodeFor(rep('error'), 'error'), 1);
    assert.equal(exitCodeFor(rep('warning'), 'error'), 0);
    assert.equal(exitCodeFor(rep('warning'), 'warning'), 1);
    assert.equal(exitCodeFor(rep('info'), 'warning'), 0);
    assert.equal(exitCodeFor(rep('info'), 'info'), 1);
    assert.equal(exitCodeFor(rep('hint'), 'info'), 0);
    assert.equal(exitCodeFor(rep('error'), 'never'), 0);
    assert.equal(exitCodeFor({ version: 1, findings: [], errors: [{ message: 'x' }] }, 'info'), 0);
  });
});
