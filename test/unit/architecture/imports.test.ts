// Imports point down only: handlers/cli -> engine -> {manifests, python, models, policy, rules,
// sources} -> versions -> domain. This reads every server module's imports and fails on an
// upward or sideways edge, so the layering cannot erode one convenient import at a time.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../../server/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Top-level module of a server file ('domain', 'rules', ...), or the file name at the top. */
function moduleOf(abs: string): string {
  return path.relative(SRC, abs).split(path.sep)[0].replace(/\.ts$/, '');
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    out.push(moduleOf(path.resolve(path.dirname(file), m[1])));
  }
  return out;
}

// What each lower module may import (besides itself). `data` holds shipped lists (popular
// names, licences) and `settings` the settings type and its defaults: leaves like domain.
const ALLOWED: Record<string, string[]> = {
  domain: [],
  data: ['domain'],
  settings: ['domain'],
  versions: ['domain'],
  manifests: ['domain', 'versions', 'data'],
  python: ['domain', 'versions', 'data'],
  models: ['domain', 'versions', 'data'],
  policy: ['domain', 'versions', 'data'],
  rules: ['domain', 'versions', 'data'],
  sources: ['domain', 'versions', 'data', 'settings'],
};

describe('import layering', () => {
  const all = files(SRC);
  for (const [mod, allowed] of Object.entries(ALLOWED)) {
    it(`${mod}/ imports only ${allowed.length ? allowed.join(', ') : 'nothing from the project'}`, () => {
      const bad: string[] = [];
      for (const f of all.filter((x) => moduleOf(x) === mod)) {
        for (const target of importsOf(f)) {
          if (target !== mod && !allowed.includes(target)) bad.push(`${path.relative(SRC, f)} -> ${target}`);
        }
      }
      assert.deepEqual(bad, []);
    });
  }

  it('finds the modules it guards (the scan is not vacuous)', () => {
    const mods = new Set(all.map(moduleOf));
    for (const m of ['domain', 'versions', 'manifests', 'python', 'rules', 'sources']) assert.ok(mods.has(m), m);
    assert.ok(importsOf(path.join(SRC, 'rules/dependency/rule.ts')).includes('domain'));
  });
});
