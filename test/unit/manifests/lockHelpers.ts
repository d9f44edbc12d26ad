// Assertions shared by the lockfile tests: every package reported exactly once per (name, version,
// source), with well-formed ranges and a name range that covers the name as written.
import assert from 'node:assert/strict';
import type { Dependency, ManifestParseResult } from '../../../server/src/domain';

/** `name@version kind[ url|registry][ alias=x]`, as the expectations below write a package. */
export function describeDep(d: Dependency): string {
  const s = d.source;
  const where = s?.url ?? s?.registry;
  return `${d.name}@${d.pinned ?? ''} ${s?.kind ?? '?'}${where ? ` ${where}` : ''}${s?.alias ? ` alias=${s.alias}` : ''}`;
}

/** Ranges inside the text, start <= end, and the name range inside the entry's range. */
export function assertRangesWellFormed(text: string, deps: readonly Dependency[]): void {
  for (const d of deps) {
    for (const r of [d.range, d.nameRange]) {
      assert.ok(Number.isInteger(r.start) && Number.isInteger(r.end), `${d.name}: integer offsets`);
      assert.ok(r.start >= 0 && r.start <= r.end && r.end <= text.length, `${d.name}: range ${r.start}..${r.end} in 0..${text.length}`);
    }
  }
}

/**
 * The parse reports exactly `expected` (order-insensitive, each once), every non-registry package
 * carries `url` (so the engine never looks it up), and each name range covers `nameText(d)`
 * (by default the name as written).
 */
export function assertInventory(text: string, r: ManifestParseResult, expected: string[], nameText: (d: Dependency) => string = (d) => d.rawName): void {
  const got = r.dependencies.map(describeDep);
  assert.deepEqual([...got].sort(), [...expected].sort());
  assert.equal(new Set(got).size, got.length, 'each (name, version, source) once');
  assertRangesWellFormed(text, r.dependencies);
  for (const d of r.dependencies) {
    assert.equal(d.editStyle, 'none');
    assert.equal(text.slice(d.nameRange.start, d.nameRange.end), nameText(d), `name range of ${describeDep(d)}`);
    if (d.source?.kind === 'registry') assert.equal(d.url, undefined, `${d.name}: a registry package has no url`);
    else assert.ok(d.url, `${describeDep(d)}: a non-registry package carries url`);
  }
}
