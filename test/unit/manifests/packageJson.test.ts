import assert from 'node:assert/strict';
import { overrideTarget, parseNpmSpec, parsePackageJson } from '../../../server/src/manifests/packageJson';
import { pinFix, pinText, raiseLowerBoundFix, raiseLowerBoundText } from '../../../server/src/rules/dependency/versionEdits';
import type { Dependency } from '../../../server/src/domain';
import { parseManifest } from '../../../server/src/manifests';
import { parseLockGraph } from '../../../server/src/manifests/lockGraph';
import { at, fixture } from './helpers';

describe('package.json', () => {
  const text = fixture('npm/package.json');
  const r = parsePackageJson(text);
  const dep = (name: string, group?: string): Dependency => {
    const d = r.dependencies.find((x) => x.name === name && (!group || x.group === group));
    assert.ok(d, `missing ${name}`);
    return d;
  };

  it('reads the four dependency groups with key and value offsets', () => {
    assert.deepEqual(r.problems, []);
    const lodash = dep('lodash');
    assert.equal(lodash.ecosystem, 'npm');
    assert.equal(lodash.group, 'dependencies');
    assert.equal(lodash.format, 'package.json');
    assert.equal(lodash.editStyle, 'npm');
    assert.equal(at(text, lodash.nameRange), 'lodash');
    assert.equal(at(text, lodash.versionRange), '4.17.15');
    assert.equal(at(text, lodash.range), '"lodash": "4.17.15"');
    assert.equal(lodash.pinned, '4.17.15');
    assert.equal(dep('mocha').group, 'devDependencies');
    assert.equal(dep('fsevents').group, 'optionalDependencies');
    assert.equal(dep('typescript').group, 'peerDependencies');
    assert.equal(at(text, dep('@babel/core').nameRange), '@babel/core');
  });

  it('keeps ranges as specifiers and pins only exact versions', () => {
    assert.equal(dep('express').specifier, '^4.17.1');
    assert.equal(dep('express').pinned, undefined);
    assert.equal(dep('left-pad').specifier, '>=1.0.0 <2.0.0');
    assert.equal(dep('moment').specifier, '2.x');
    assert.equal(dep('moment').pinned, undefined);
    assert.equal(dep('ws').specifier, '*');
    assert.equal(dep('exact-eq').pinned, '1.2.3');
    assert.equal(dep('exact-eq').specifier, '=1.2.3');
  });

  it('treats a dist-tag as no range, and an npm: alias as the real package', () => {
    const react = dep('react');
    assert.equal(react.specifier, '');
    assert.equal(react.pinned, undefined);
    assert.equal(react.url, undefined);
    assert.equal(at(text, react.versionRange), 'latest');
    const sw = dep('string-width');
    assert.equal(at(text, sw.nameRange), 'string-width-cjs');
    assert.equal(sw.specifier, '^4.2.0');
    assert.equal(at(text, sw.versionRange), '^4.2.0', 'only the range after npm:name@ is edited');
    assert.ok(!r.dependencies.some((d) => d.name === 'string-width-cjs'));
  });

  it('marks git, GitHub shorthand, file and tarball sources as URLs without a version', () => {
    for (const [name, url] of [
      ['my-lib', 'git+https://github.com/acme/my-lib.git#v1.0.0'],
      ['shorthand', 'acme/shorthand#main'],
      ['local', 'file:../local'],
      ['tarball', 'https://example.com/pkg-1.0.0.tgz'],
    ] as const) {
      assert.equal(dep(name).url, url, name);
      assert.equal(dep(name).specifier, '', name);
      assert.equal(dep(name).pinned, undefined, name);
    }
    assert.equal(dep('express').url, undefined);
  });

  it('reads overrides (nested, $references skipped) and resolutions as constraints', () => {
    assert.equal(dep('minimist').constraintOnly, true);
    assert.equal(dep('minimist').group, 'overrides');
    assert.equal(dep('foo', 'overrides').pinned, '1.0.0');
    assert.equal(dep('bar', 'overrides').pinned, '2.0.0');
    assert.equal(at(text, dep('bar', 'overrides').nameRange), 'bar');
    assert.ok(!r.dependencies.some((d) => d.group === 'overrides' && d.name === 'express'), '$express is a reference');
    assert.equal(dep('express').constraintOnly, undefined);
    const gp = dep('glob-parent');
    assert.equal(gp.group, 'resolutions');
    assert.equal(gp.specifier, '^5.1.2');
    assert.equal(at(text, gp.nameRange), 'glob-parent');
    assert.equal(at(text, dep('@scope/b').nameRange), '@scope/b');
  });

  it('reports malformed JSON as one error without throwing', () => {
    const bad = parsePackageJson('{ "dependencies": { "a": "1.0.0", ');
    assert.equal(bad.problems.filter((p) => p.severity === 'error').length, 1);
    assert.match(bad.problems[0]!.message, /Invalid JSON/);
    assert.equal(parsePackageJson('').problems.length, 1);
    const arr = parsePackageJson('[1, 2]');
    assert.equal(arr.dependencies.length, 0);
    assert.match(arr.problems[0]!.message, /JSON object/);
  });

  it('warns on wrong shapes and invalid ranges but keeps going', () => {
    const t = '{"dependencies": ["a"], "devDependencies": {"x": 3, "y": "^^1", "z": "1.0.0"}}';
    const res = parsePackageJson(t);
    assert.deepEqual(res.dependencies.map((d) => d.name), ['y', 'z']);
    assert.equal(res.problems.length, 3);
    assert.ok(res.problems.every((p) => p.severity === 'warning'));
    assert.match(res.problems[2]!.message, /not a valid npm version range/);
  });

  it('falls back to the whole key when it contains escapes', () => {
    const t = '{"dependencies": {"\\u006codash": "1.0.0"}}';
    const d = parsePackageJson(t).dependencies[0]!;
    assert.equal(d.name, 'lodash');
    assert.equal(at(t, d.nameRange), '"\\u006codash"');
  });
});

describe('parseNpmSpec', () => {
  it('classifies specs', () => {
    assert.deepEqual(parseNpmSpec('a', 'next'), { name: 'a', range: '', rangeOffset: 0, tag: 'next' });
    assert.equal(parseNpmSpec('a', 'github:u/r').url, 'github:u/r');
    assert.equal(parseNpmSpec('a', 'workspace:*').url, 'workspace:*');
    assert.equal(parseNpmSpec('a', 'link:../a').url, 'link:../a');
    assert.equal(parseNpmSpec('a', '1.x').tag, undefined);
    assert.equal(parseNpmSpec('a', 'v1.2.3').pinned, '1.2.3');
    assert.equal(parseNpmSpec('a', '1.2').pinned, undefined);
    const scoped = parseNpmSpec('x', 'npm:@s/real@~2.0.1');
    assert.equal(scoped.name, '@s/real');
    assert.equal(scoped.range, '~2.0.1');
    assert.equal('npm:@s/real@~2.0.1'.slice(scoped.rangeOffset), '~2.0.1');
    assert.equal(parseNpmSpec('x', 'npm:real').name, 'real');
    assert.equal(parseNpmSpec('x', 'npm:real').range, '');
  });

  it('finds the package an override key targets', () => {
    assert.equal(overrideTarget('**/a'), 'a');
    assert.equal(overrideTarget('a/b'), 'b');
    assert.equal(overrideTarget('@s/a/**/@t/b'), '@t/b');
    assert.equal(overrideTarget('@s/a'), '@s/a');
    assert.equal(overrideTarget('a@^1'), 'a');
    assert.equal(overrideTarget('@s/a@1.x'), '@s/a');
  });
});

describe('npm edit style', () => {
  const make = (specifier: string, text: string): { dep: Dependency; text: string } => {
    const t = `{"dependencies": {"a": "${text}"}}`;
    const dep = parsePackageJson(t).dependencies[0]!;
    assert.equal(dep.specifier, specifier);
    return { dep, text: t };
  };
  const applyFix = (t: string, edit: { range: { start: number; end: number }; newText: string }) => t.slice(0, edit.range.start) + edit.newText + t.slice(edit.range.end);

  it('pins with a bare version', () => {
    const { dep, text } = make('^1.0.0', '^1.0.0');
    assert.equal(pinText(dep, '1.2.3'), '1.2.3');
    const fix = pinFix(dep, '1.2.3', 'Pin a')!;
    assert.equal(applyFix(text, fix.edits[0]!), '{"dependencies": {"a": "1.2.3"}}');
  });

  it('raises a caret as a caret and anything else as >=, keeping upper bounds', () => {
    assert.equal(raiseLowerBoundText(make('^1.0.0', '^1.0.0').dep, '1.2.5'), '^1.2.5');
    assert.equal(raiseLowerBoundText(make('~1.0.0', '~1.0.0').dep, '1.0.5'), '>=1.0.5');
    assert.equal(raiseLowerBoundText(make('>=1.0.0 <2.0.0', '>=1.0.0 <2.0.0').dep, '1.2.5'), '>=1.2.5 <2.0.0');
    assert.equal(raiseLowerBoundText(make('>= 1.0.0 <= 1.9.0', '>= 1.0.0 <= 1.9.0').dep, '1.2.5'), '>=1.2.5 <=1.9.0');
    assert.equal(raiseLowerBoundText(make('^1.0.0 || ^2.0.0', '^1.0.0 || ^2.0.0').dep, '2.1.0'), '>=2.1.0');
    assert.equal(raiseLowerBoundText(make('1.x', '1.x').dep, '1.4.0'), '>=1.4.0');
    const { dep, text } = make('^4.17.0', 'npm:lodash@^4.17.0');
    const fix = raiseLowerBoundFix(dep, '4.17.21')!;
    assert.equal(applyFix(text, fix.edits[0]!), '{"dependencies": {"a": "npm:lodash@^4.17.21"}}');
  });

  it('leaves the PEP 440 styles alone', () => {
    const pep: Dependency = { ecosystem: 'PyPI', name: 'a', rawName: 'a', specifier: '>=1,<2', extras: [], format: 'requirements.txt', range: { start: 0, end: 0 }, nameRange: { start: 0, end: 0 }, editStyle: 'pep508' };
    assert.equal(pinText(pep, '1.5'), '==1.5');
    assert.equal(raiseLowerBoundText(pep, '1.5'), '>=1.5,<2');
  });
});

describe('npm manifest parsers on random input', () => {
  let seed = 424242;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\r\n', '  ', 'a', '@s/', '@', '^1.2.3', '1.0.0', 'npm:', 'git+https://x', '\\', '\\u0041', '(', ')', '_', '/', 'node_modules/', '"dependencies"', '"packages"', '"version"', 'packages:\n', '  /a@1.0.0:\n', 'version "1.0.0"', '__metadata:\n', '#', "'", '\u00e9', '\ud83d', '||', '$', '**/', '.'];
  const randomText = (): string => {
    let s = '';
    const len = rand(60);
    for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
    return s;
  };

  it('never throw and return ranges inside the text', () => {
    const files = ['package.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];
    for (let i = 0; i < 800; i++) {
      const text = randomText();
      for (const f of files) {
        const r = parseManifest(`/p/${f}`, text);
        assert.ok(!r.problems.some((p) => p.message.startsWith('Internal error')), `${f}: ${JSON.stringify(text)}`);
        for (const d of r.dependencies) {
          for (const range of [d.range, d.nameRange, d.versionRange]) {
            if (!range) continue;
            assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, `${f}: ${JSON.stringify(text)} -> ${JSON.stringify(range)}`);
          }
          assert.notEqual(d.name, '');
        }
        for (const p of r.problems) assert.ok(p.range.start >= 0 && p.range.end <= text.length && p.range.start <= p.range.end, `${f}: ${JSON.stringify(text)}`);
        parseLockGraph(f, text);
      }
    }
  });

  it('dispatches by file name', () => {
    assert.equal(parseManifest('/p/package.json', '{"dependencies":{"a":"1.0.0"}}').dependencies[0]!.format, 'package.json');
    assert.equal(parseManifest('/p/npm-shrinkwrap.json', '{"packages":{"node_modules/a":{"version":"1.0.0"}}}').dependencies[0]!.format, 'package-lock.json');
    assert.equal(parseManifest('/p/pnpm-lock.yaml', 'packages:\n  /a@1.0.0: {}\n').dependencies[0]!.format, 'pnpm-lock.yaml');
    assert.equal(parseManifest('/p/yarn.lock', 'a@^1:\n  version "1.0.0"\n').dependencies[0]!.format, 'yarn.lock');
  });
});

describe('packageJson on hostile text', () => {
  it('does not read an alias of an alias (npm refuses it) and does not recurse on one', function () {
    this.timeout(20_000);
    const spec = parseNpmSpec('a', `${'npm:a@'.repeat(200_000)}1`);
    assert.equal(spec.name, 'a');
    assert.equal(spec.invalid, true);
  });

  it('walks overrides nested hundreds of levels deep in document order', () => {
    const depth = 400;
    const text = `{"overrides": {"first": "1.0.0", ${'"a": {'.repeat(depth)}"b": "2.0.0"${'}'.repeat(depth)}, "last": "3.0.0"}}`;
    const r = parsePackageJson(text);
    assert.deepEqual(r.dependencies.map((d) => d.name), ['first', 'b', 'last']);
  });

  it('refuses JSON nested deeper than any manifest instead of overflowing the parser', () => {
    const r = parsePackageJson(`{"dependencies": ${'['.repeat(100_000)}`);
    assert.match(r.problems[0]!.message, /nested more than 1000 levels/);
  });

  it('an unterminated string or a blank value never gives an inverted range', () => {
    for (const text of ['{"dependencies": {"a": "\n}}', '{"dependencies": {"a": "   "}}', '{"dependencies": {"a": "npm:b@  "}}']) {
      for (const d of parsePackageJson(text).dependencies) {
        const v = d.versionRange;
        assert.ok(!v || (v.start <= v.end && v.end <= text.length), `${text}: ${JSON.stringify(v)}`);
      }
    }
  });
});
