import * as assert from 'node:assert/strict';
import { resolveIncludes } from '../../../server/src/manifests/includes';
import { at } from './helpers';

function fsFrom(files: Record<string, string>): { read: (p: string) => Promise<string | undefined>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    read: async (p) => {
      calls.push(p);
      return files[p];
    },
  };
}

describe('includes', () => {
  it('follows -r and -c relative to the including file; constraint deps are constraint-only', async () => {
    const fs = fsFrom({
      '/proj/requirements.txt': '-r reqs/base.txt\n-c constraints.txt\nflask\n',
      '/proj/reqs/base.txt': 'numpy>=1.0\n-r ../common.txt\n',
      '/proj/common.txt': 'requests\n',
      '/proj/constraints.txt': 'urllib3<2\n-r more-constraints.txt\n',
      '/proj/more-constraints.txt': 'idna==3.4\n',
    });
    const res = await resolveIncludes('/proj/requirements.txt', fs.read);
    assert.deepEqual(res.problems, []);
    assert.deepEqual(res.files.map((f) => [f.path, f.via]), [
      ['/proj/requirements.txt', 'root'],
      ['/proj/reqs/base.txt', 'requirement'],
      ['/proj/common.txt', 'requirement'],
      ['/proj/constraints.txt', 'constraint'],
      ['/proj/more-constraints.txt', 'constraint'],
    ]);
    const byFile = new Map(res.files.map((f) => [f.path, f.result]));
    const urllib3 = byFile.get('/proj/constraints.txt')!.dependencies[0]!;
    assert.equal(urllib3.constraintOnly, true);
    assert.equal(urllib3.group, 'constraints');
    assert.equal(byFile.get('/proj/more-constraints.txt')!.dependencies[0]!.constraintOnly, true);
    assert.equal(byFile.get('/proj/reqs/base.txt')!.dependencies[0]!.constraintOnly, undefined);
  });

  it('reports a cycle on the include line and terminates', async () => {
    const a = '-r b.txt\nfoo\n';
    const b = 'bar\n-r a.txt\n';
    const fs = fsFrom({ '/w/a.txt': a, '/w/b.txt': b });
    const res = await resolveIncludes('/w/a.txt', fs.read);
    assert.deepEqual(res.files.map((f) => f.path), ['/w/a.txt', '/w/b.txt']);
    assert.equal(res.problems.length, 1);
    const p = res.problems[0]!;
    assert.equal(p.file, '/w/b.txt');
    assert.match(p.problem.message, /cycle: a\.txt -> b\.txt -> a\.txt/);
    assert.equal(at(b, p.problem.range), 'a.txt');
    assert.equal(fs.calls.length, 2);
  });

  it('reports a self-include as a cycle', async () => {
    const text = '-r ./self.txt\n';
    const res = await resolveIncludes('/w/self.txt', fsFrom({ '/w/self.txt': text }).read);
    assert.equal(res.problems.length, 1);
    assert.match(res.problems[0]!.problem.message, /cycle/);
  });

  it('reads a file included twice (diamond) only once, without a problem', async () => {
    const fs = fsFrom({ '/w/r.txt': '-r x.txt\n-r y.txt\n', '/w/x.txt': '-r z.txt\n', '/w/y.txt': '-r z.txt\n', '/w/z.txt': 'six\n' });
    const res = await resolveIncludes('/w/r.txt', fs.read);
    assert.deepEqual(res.problems, []);
    assert.equal(res.files.filter((f) => f.path === '/w/z.txt').length, 1);
  });

  it('reports a missing include on its line, and remote includes as info', async () => {
    const text = 'a\n-r missing.txt\n-c https://example.com/c.txt\n-r ${DIR}/x.txt\n';
    const fs = fsFrom({ '/w/r.txt': text });
    const res = await resolveIncludes('/w/r.txt', async (p) => {
      if (p.endsWith('missing.txt')) throw new Error('ENOENT');
      return fs.read(p);
    });
    assert.deepEqual(res.problems.map((p) => [p.problem.severity, at(text, p.problem.range)]), [
      ['error', 'missing.txt'],
      ['info', 'https://example.com/c.txt'],
      ['info', '${DIR}/x.txt'],
    ]);
    assert.equal(res.files.length, 1);
  });

  it('reports an unreadable root', async () => {
    const res = await resolveIncludes('/nope.txt', async () => undefined);
    assert.equal(res.files.length, 0);
    assert.equal(res.problems[0]!.problem.severity, 'error');
  });
});
