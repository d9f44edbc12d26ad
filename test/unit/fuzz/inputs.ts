// Seeds and mutations for the fuzz suites: real fixture texts, and fast-check arbitraries that
// damage them the ways hostile or broken files do (bytes inserted, deleted, duplicated, spliced,
// wrapped in deep nesting, stretched into very long tokens, line endings changed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

const FIXTURES = path.join(__dirname, '../../fixtures');

export function fixtureText(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}

/** Characters that mean something to at least one of the formats. */
const SPECIAL = ['[', ']', '{', '}', '(', ')', '"', "'", '"""', "'''", '\\', '\n', '\r', '\r\n', '\t', ' ', '#', ';', ':', '=', '==', '@', ',', '.', '-', '--', '*', '|', '~', '^', '<', '>', '!', '%', '$', '&', '`', '\u0000', '\u00a0', '😀', '\ud800'];

const piece = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

type Mutation = (s: string) => string;

const clampAt = (s: string, at: number): number => (s.length === 0 ? 0 : at % (s.length + 1));

/** One mutation of a text; `maxRun` bounds the long runs it inserts. */
export function mutation(maxRun = 50_000): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.tuple(fc.nat(), piece).map(([at, p]): Mutation => (s) => s.slice(0, clampAt(s, at)) + p + s.slice(clampAt(s, at))),
    fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]): Mutation => (s) => s.slice(0, clampAt(s, at)) + s.slice(clampAt(s, at) + n)),
    fc.tuple(fc.nat(), fc.nat({ max: 200 })).map(([at, n]): Mutation => (s) => {
      const a = clampAt(s, at);
      return s.slice(0, a + n) + s.slice(a, a + n) + s.slice(a + n);
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 300 })).map(([to, from, n]): Mutation => (s) => {
      const f = clampAt(s, from);
      const t = clampAt(s, to);
      return s.slice(0, t) + s.slice(f, f + n) + s.slice(t);
    }),
    fc.tuple(fc.nat(), fc.constantFrom('[', '{', '(', '[[', '{"a":', '- ', '  '), fc.integer({ min: 50, max: 3000 })).map(
      ([at, open, depth]): Mutation => (s) => s.slice(0, clampAt(s, at)) + open.repeat(depth) + s.slice(clampAt(s, at)),
    ),
    fc.tuple(fc.nat(), fc.constantFrom('a', '1', '.', ' ', '=', '@', '\\', 'a.', '1.', '"', "'", '\t'), fc.integer({ min: Math.min(1000, maxRun), max: maxRun })).map(
      ([at, unit, n]): Mutation => (s) => s.slice(0, clampAt(s, at)) + unit.repeat(n) + s.slice(clampAt(s, at)),
    ),
    fc.constantFrom<Mutation>((s) => s.replace(/\r?\n/g, '\r'), (s) => s.replace(/\r?\n/g, '\r\n'), (s) => s.replace(/\n/g, ''), (s) => s.split('').reverse().join('')),
  );
}

/** A seed text damaged by one to four mutations. */
export function mutated(seed: string, maxRun?: number): fc.Arbitrary<string> {
  return fc.array(mutation(maxRun), { minLength: 1, maxLength: 4 }).map((ms) => ms.reduce((s, m) => m(s), seed));
}

/** Runs are reproducible by default (CI must not flake on a lucky draw); set AIDR_FUZZ_SEED to a
 * number (or "random") and AIDR_FUZZ_RUNS to a multiplier to explore further. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  const seedVar = process.env.AIDR_FUZZ_SEED;
  const scale = Number(process.env.AIDR_FUZZ_RUNS ?? '1');
  const seed = seedVar === 'random' ? Date.now() : Number(seedVar ?? '20260401');
  return { seed, numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) ? scale : 1))) };
}

/**
 * Mocha sets `Error.stackTraceLimit = Infinity`; libraries that create an Error per syntax error
 * (yaml) then capture stacks hundreds of frames deep, which made some parses 10-20 times slower
 * than in the server or the CLI. Restore Node's default for the suite that calls this.
 */
export function withNodeStackTraceLimit(): void {
  let saved = Error.stackTraceLimit;
  before(() => {
    saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 10;
  });
  after(() => {
    Error.stackTraceLimit = saved;
  });
}
