// Adapter between the engine and the Python analysis: runs the code rules on a .py file or on a
// notebook's cells (one namespace), joined with the versions the workspace installs.
import type { EngineDocument } from './documents';
import type { Finding, OffsetRange, ParseProblem, RelatedLocation } from './types';

export interface InstalledVersion {
  version: string;
  location?: RelatedLocation;
}

export interface CodeModelRef {
  id: string;
  range: OffsetRange;
  revision?: string;
  cell?: number;
}

export interface CodeAnalysis {
  findings: Finding[];
  modelRefs: CodeModelRef[];
  problems: ParseProblem[];
}

export async function analyzeCode(
  doc: EngineDocument,
  cells: { text: string; kind: 'code' | 'markdown' | 'raw' }[] | undefined,
  installed: Map<string, InstalledVersion>,
  signal?: AbortSignal,
): Promise<CodeAnalysis> {
  void doc;
  void cells;
  void installed;
  void signal;
  return { findings: [], modelRefs: [], problems: [] };
}
