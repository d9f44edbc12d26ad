// The names of one namespace that a look-alike may imitate, by rank, and the tables the checks look
// them up in. The tables are built on first use (most documents name only listed packages and never
// need them) and hold hashes and positions in typed arrays (lookalikeIndex.ts), not key strings.
import { osaWithin } from './lookalikeEdits';
import { anagramKey, DeletionIndex, glyphKey, KeyedNames, orderKey, pythonKey, squeezeKey, wordsOf } from './lookalikeIndex';

/** How many of the most popular names the two-slip, anagram and glued-word checks compare with. */
const WIDE_TARGETS = 5000;
/** Version-less bases (`beautifulsoup` for `beautifulsoup4`) are made for names this popular. */
const BASE_TARGETS = 200;
/** So many listed `word-*` names make `word` a framework whose plugins are named after other projects. */
const PLUGIN_HOST = 30;

export class Targets {
  readonly rank: ReadonlyMap<string, number>;
  /** Aliases (known confusions, version-less bases) -> the listed name they stand for. */
  readonly alias = new Map<string, string>();
  /** The names slips are looked for among: every listed name, then the aliases. */
  private readonly slipNames: string[];
  private slipIndex: DeletionIndex | undefined;
  private byGlyphLength: { keys: string[]; names: string[]; start: number[] } | undefined;
  private anagrams: KeyedNames | undefined;
  private disguiseKeys: { g: KeyedNames; o: KeyedNames; p: KeyedNames } | undefined;
  private wordKeys: KeyedNames | undefined;
  private squeezed: KeyedNames | undefined;
  private glyphSlips: DeletionIndex | undefined;
  private scopeTails: KeyedNames | undefined;
  private scopeNames: Map<string, string> | undefined;
  private pluginHosts: Set<string> | undefined;

  /** `ranks`, when given, must rank exactly `names` (1-based, first occurrence): the known list's
   * own map, shared rather than copied. */
  constructor(
    readonly names: readonly string[],
    confusions: readonly (readonly [string, string])[] = [],
    ranks?: ReadonlyMap<string, number>,
  ) {
    if (ranks) this.rank = ranks;
    else {
      const rank = new Map<string, number>();
      names.forEach((n, i) => rank.has(n) || rank.set(n, i + 1));
      this.rank = rank;
    }
    // A known confusion stands for its target even where the wrong name is itself a listed package
    // (`beautifulsoup`, `pytorch`): its look-alikes imitate the target.
    for (const [k, t] of confusions) if (this.rank.has(t)) this.alias.set(k, t);
    for (const n of names.slice(0, BASE_TARGETS)) {
      // `beautifulsoup4` is typed as `beautifulsoup...`: its version-less base is a target too.
      const base = n.replace(/(?<=[a-z]{6})\d$/, '');
      if (base !== n && !this.rank.has(base) && !this.alias.has(base)) this.alias.set(base, n);
    }
    this.slipNames = [...names, ...this.alias.keys()];
  }

  rankOf(name: string): number {
    return this.rank.get(name) ?? Infinity;
  }

  /** The listed name an alias stands for, or the name itself. */
  resolve(name: string): string {
    return this.alias.get(name) ?? name;
  }

  /** Targets (or aliases) one deletion from `name` or equal to it, in the order the checks meet them. */
  slipNeighbours(name: string): string[] {
    return (this.slipIndex ??= new DeletionIndex(this.slipNames)).neighbours(name);
  }

  /** The popular names (and aliases of them) whose glyph keys are at most `max` optimal-alignment
   * edits from `key`, with that distance. Only names within `max` characters of its length are
   * compared, and each comparison gives up as soon as the distance exceeds `max`. */
  nearGlyphs(key: string, max: number): { name: string; d: number }[] {
    const t = (this.byGlyphLength ??= this.buildGlyphLengths());
    const out: { name: string; d: number }[] = [];
    for (let len = Math.max(0, key.length - max); len <= key.length + max && len + 1 < t.start.length; len++) {
      for (let i = t.start[len]!; i < t.start[len + 1]!; i++) {
        const d = osaWithin(key, t.keys[i]!, max);
        if (d <= max) out.push({ name: t.names[i]!, d });
      }
    }
    return out;
  }

  private buildGlyphLengths(): { keys: string[]; names: string[]; start: number[] } {
    const wide = [...this.names.slice(0, WIDE_TARGETS), ...[...this.alias.keys()].filter((a) => this.rankOf(this.resolve(a)) <= WIDE_TARGETS)];
    const rows = wide.map((n) => ({ name: n, key: glyphKey(n) })).sort((a, b) => a.key.length - b.key.length || this.rankOf(this.resolve(a.name)) - this.rankOf(this.resolve(b.name)));
    const maxLen = rows.length ? rows[rows.length - 1]!.key.length : 0;
    const start = new Array<number>(maxLen + 2).fill(rows.length);
    for (let i = rows.length - 1; i >= 0; i--) start[rows[i]!.key.length] = i;
    for (let len = maxLen; len >= 0; len--) start[len] = Math.min(start[len]!, start[len + 1]!);
    return { keys: rows.map((r) => r.key), names: rows.map((r) => r.name), start };
  }

  /** Popular names spelt with the same letters (`matlibplot`, `bo3to`). */
  anagramsOf(name: string): string[] {
    return (this.anagrams ??= new KeyedNames(this.names.slice(0, WIDE_TARGETS), anagramKey)).all(anagramKey(name));
  }

  /** Targets whose disguise key of kind `kind` (g: glyphs, o: word order, p: python affixes) is `key`. */
  disguises(kind: 'g' | 'o' | 'p', key: string): string[] {
    const d = (this.disguiseKeys ??= {
      g: new KeyedNames(this.names, glyphKey),
      o: new KeyedNames(this.names, orderKey),
      p: new KeyedNames(this.names, pythonKey),
    });
    return d[kind].all(key);
  }

  /** Targets beyond the popular names whose glyph key is one deletion from `key` or has one
   * deleted from it (`ethblock-trackr` for `eth-block-tracker`); `nearGlyphs` covers the rest. */
  farGlyphSlips(key: string): string[] {
    const index = (this.glyphSlips ??= new DeletionIndex([...new Set(this.names.slice(WIDE_TARGETS).map(glyphKey))]));
    return index.neighbours(key).flatMap((k) => this.disguises('g', k).filter((n) => this.rankOf(n) > WIDE_TARGETS));
  }

  /** Targets spelt the same once doubled letters are cut to one (`puppeteer` for `pupeter`). */
  squeezedAs(key: string): string[] {
    return (this.squeezed ??= new KeyedNames(this.names, squeezeKey)).all(key);
  }

  /** The first target (or alias, resolved) whose words, joined by '-', are `key`. */
  word(key: string): string | undefined {
    if (this.alias.has(key)) return this.alias.get(key);
    return (this.wordKeys ??= new KeyedNames(this.names, (n) => wordsOf(n).join('-'))).first(key);
  }

  /** Scoped targets (`@scope/tail`) with this tail. */
  scopes(tail: string): string[] {
    return (this.scopeTails ??= new KeyedNames(this.names, (n) => (n.startsWith('@') && n.includes('/') ? n.slice(n.indexOf('/') + 1) : undefined))).all(tail);
  }

  /** A framework with a plugin for everything: this many listed names start with `word-`. */
  isPluginHost(word: string): boolean {
    if (!this.pluginHosts) {
      const counts = new Map<string, number>();
      for (const n of this.names) {
        const m = /^([a-z0-9]+)[-_.]/.exec(n);
        if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
      }
      this.pluginHosts = new Set([...counts].filter(([, c]) => c >= PLUGIN_HOST).map(([w]) => w));
    }
    return this.pluginHosts.has(word);
  }

  /** Each scope of a listed package, with its most popular package. */
  get scopeHeads(): ReadonlyMap<string, string> {
    if (!this.scopeNames) {
      this.scopeNames = new Map();
      for (const n of this.names) {
        const slash = n.indexOf('/');
        if (n.startsWith('@') && slash > 1 && !this.scopeNames.has(n.slice(1, slash))) this.scopeNames.set(n.slice(1, slash), n);
      }
    }
    return this.scopeNames;
  }
}
