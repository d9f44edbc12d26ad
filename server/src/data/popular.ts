// The most downloaded packages per ecosystem (shipped list). Popular names need no existence check
// and are the targets a typosquat imitates. Filled by the typosquat work; empty lists are safe.
import type { Ecosystem } from '../engine/types';

const lists: Partial<Record<Ecosystem, ReadonlySet<string>>> = {};

export function registerPopular(eco: Ecosystem, names: Iterable<string>): void {
  lists[eco] = new Set(names);
}

export function isPopular(eco: Ecosystem, name: string): boolean {
  return lists[eco]?.has(name) ?? false;
}
