import assert from 'node:assert/strict';
import { MAX_TOML_DEPTH, MAX_TOML_KEY_PARTS, tomlRefusal } from '../../../server/src/manifests/tomlGuard';

describe('tomlGuard', () => {
  it('lets real manifests and lockfiles through', () => {
    const real = [
      '[project]\ndependencies = ["torch>=2.1 ; python_version >= \'3.8\'", "a.b.c.d.e.f.g.h @ https://x.y.z/a.b.c.whl"]\n',
      '[[package]]\nname = "a"\nwheels = [{ url = "https://files.pythonhosted.org/a/b/c/d/e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.whl", hash = "sha256:0" }]\n',
      `x = """${'[.'.repeat(1_000)}"""\ny = '''${'{.'.repeat(1_000)}'''\n# ${'[.'.repeat(1_000)}\nz = 'a.b'\n`,
      'a = "\\"[[[["\nb = 1.5\nc = 1979-05-27T07:32:00.999Z\n',
    ];
    for (const text of real) assert.equal(tomlRefusal(text), undefined, text.slice(0, 60));
  });

  it('refuses nesting and dotted keys past the limits, counting only outside strings and comments', () => {
    assert.equal(tomlRefusal(`x = ${'['.repeat(MAX_TOML_DEPTH)}${']'.repeat(MAX_TOML_DEPTH)}`), undefined);
    assert.match(tomlRefusal(`x = ${'['.repeat(MAX_TOML_DEPTH + 1)}`)!, /nested more than/);
    assert.match(tomlRefusal(`x = ${'{a = '.repeat(MAX_TOML_DEPTH + 1)}`)!, /nested more than/);
    assert.equal(tomlRefusal(`${'a.'.repeat(MAX_TOML_KEY_PARTS - 2)}a = 1`), undefined);
    assert.match(tomlRefusal(`${'a.'.repeat(MAX_TOML_KEY_PARTS)}a = 1`)!, /dotted parts/);
    assert.match(tomlRefusal(`[${'a.'.repeat(MAX_TOML_KEY_PARTS)}a]`)!, /dotted parts/);
    // Closing brackets and separators reset what they close.
    assert.equal(tomlRefusal(`x = [${'[1],'.repeat(10_000)}]\n${'a.b = 1\n'.repeat(10_000)}`), undefined);
  });

  it('an unterminated string ends at its line for the guard, so nothing after it hides', () => {
    assert.match(tomlRefusal(`x = "abc\ny = ${'['.repeat(MAX_TOML_DEPTH + 1)}`)!, /nested/);
  });
});
