// The nodes the lockfile YAML scanner builds (scalars with exact offsets, mappings, sequences) and
// the accessors the lockfile readers use on them.

import type { OffsetRange } from '../domain';

export interface YScalar {
  kind: 'scalar';
  value: string;
  start: number;
  end: number;
  /** Offset of the value's first character when the source text equals the value (plain, or
   * quoted without escapes or line breaks), so sub-ranges of the value are exact. */
  contentStart?: number;
}

export interface YPair {
  key: YScalar;
  /** Undefined for an empty (null) value. */
  value?: YNode;
  start: number;
  end: number;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  start: number;
  end: number;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  start: number;
  end: number;
}

export type YNode = YScalar | YMap | YSeq;

export interface YDocument {
  root?: YNode;
  start: number;
  end: number;
}

/** The value of a key in a mapping (the first one when a key repeats). */
export function yGet(node: YNode | undefined, key: string): YNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (const p of node.pairs) if (p.key.value === key) return p.value;
  return undefined;
}

/** A scalar's text, or undefined for anything else. */
export function yText(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/** The pairs of a mapping ([] for anything else). */
export function yPairs(node: YNode | undefined): YPair[] {
  return node?.kind === 'map' ? node.pairs : [];
}

/** The exact range of `value.slice(from, to)` inside the text, when the scalar's text is exact. */
export function ySubRange(s: YScalar, from = 0, to = s.value.length): OffsetRange | undefined {
  return s.contentStart === undefined ? undefined : { start: s.contentStart + from, end: s.contentStart + to };
}
