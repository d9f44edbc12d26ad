import * as assert from 'node:assert/strict';
import { IncludeRefused, MAX_INCLUDE_DEPTH, resolveIncludes } from '../../../server/src/manifests/includes';
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

  it('reports a cycle once, on the root include line that leads into it, and terminates', async () => {
    const a = '-r b.txt\nfoo\n';
    const b = 'bar\n-r a.txt\n';
    const fs = fsFrom({ '/w/a.txt': a, '/w/b.txt': b });
    const res = await resolveIncludes('/w/a.txt', fs.read);
    assert.deepEqual(res.files.map((f) => f.path), ['/w/a.txt', '/w/b.txt']);
    assert.equal(res.problems.length, 1);
    const p = res.problems[0]!;
    assert.equal(p.file, '/w/a.txt');
    assert.match(p.problem.message, /cycle: a\.txt -> b\.txt -> a\.txt/);
    assert.equal(at(a, p.problem.range), 'b.txt');
    assert.equal(fs.calls.length, 2);
    // The same cycle seen from b carries the same key, so a report over both files shows it once.
    const fromB = await resolveIncludes('/w/b.txt', fsFrom({ '/w/a.txt': a, '/w/b.txt': b }).read);
    assert.equal(fromB.problems.length, 1);
    assert.equal(fromB.problems[0]!.file, '/w/b.txt');
    assert.equal(at(b, fromB.problems[0]!.problem.range), 'a.txt');
    assert.ok(p.problem.key);
    assert.equal(fromB.problems[0]!.problem.key, p.problem.key);
  });

  it('reports a cycle below the root on the root line that reaches it, once even when reached twice', async () => {
    const r = '-r x.txt\n-r y.txt\n';
    const fs = fsFrom({ '/w/r.txt': r, '/w/x.txt': '-r y.txt\n', '/w/y.txt': '-r x.txt\n' });
    const res = await resolveIncludes('/w/r.txt', fs.read);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0]!.file, '/w/r.txt');
    assert.equal(at(r, res.problems[0]!.problem.range), 'x.txt');
    assert.match(res.problems[0]!.problem.message, /x\.txt -> y\.txt -> x\.txt \(reached from r\.txt\)/);
  });

  it('stops at a depth cap on an endless chain of distinct paths (a symlinked folder loop), reported once', async () => {
    // `loop/` stands for a symlink to `.`: every level is a new path with the same text.
    let reads = 0;
    const res = await resolveIncludes('/w/r.txt', async () => {
      reads++;
      return '-r loop/r.txt\n';
    });
    assert.equal(res.files.length, MAX_INCLUDE_DEPTH);
    assert.equal(reads, MAX_INCLUDE_DEPTH);
    assert.equal(res.problems.length, 1);
    assert.equal(res.problems[0]!.file, '/w/r.txt');
    assert.match(res.problems[0]!.problem.message, /deeper than/);
  });

  it('reports a refused include as an error on its line with the reader\'s reason, and reads nothing there', async () => {
    const text = '-r ../../etc/passwd\n-c ok.txt\nflask\n';
    const calls: string[] = [];
    const res = await resolveIncludes('/w/app/r.txt', async (p) => {
      calls.push(p);
      if (!p.startsWith('/w/')) throw new IncludeRefused('is outside the scanned folder; not read.');
      return p === '/w/app/r.txt' ? text : 'idna==3.4\n';
    });
    assert.deepEqual(res.problems.map((p) => [p.file, p.problem.severity, at(text, p.problem.range), p.problem.message]), [
      ['/w/app/r.txt', 'error', '../../etc/passwd', "Included file '../../etc/passwd' is outside the scanned folder; not read."],
    ]);
    assert.deepEqual(res.files.map((f) => f.path), ['/w/app/r.txt', '/w/app/ok.txt']);
  });

  it('never fetches a remote include and hides credentials in its message', async () => {
    const text = '-r https://user:s3cret@example.com/r.txt\n-c git+https://TOKEN@host/c.txt\n';
    const calls: string[] = [];
    const res = await resolveIncludes('/w/r.txt', async (p) => {
      calls.push(p);
      return text;
    });
    assert.deepEqual(calls, ['/w/r.txt']);
    assert.equal(res.problems.length, 2);
    for (const p of res.problems) assert.ok(!/s3cret|TOKEN/.test(p.problem.message), p.problem.message);
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
