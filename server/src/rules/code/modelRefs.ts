// The models a loading call refers to, for the inventory and hovers: a Hub repository (with its
// revision) or a local file/folder named by a literal path (joins and `__file__`-relative paths
// folded). Pure: the analysis adds which rules flagged the call.
import type { CallFact, HubModelReference, LocalModelReference } from '../../domain';
import { SOURCES } from './catalog/index';
import { argument, isCommitSha } from './helpers';
import { isLocalLiteral } from './hubIds';
import { hubEntry, hubRef, revisionArg } from './unpinnedModelRevision';

/** A model reference before the analysis adds the rules that flagged the call. */
export type CallModelReference = Omit<HubModelReference, 'rules'> | Omit<LocalModelReference, 'rules'>;

export function modelReferences(call: CallFact, text: string): CallModelReference[] {
  const q = call.qualifiedName;
  if (!q) return [];
  const hub = hubEntry(call);
  if (hub) {
    const found = hubRef(call, hub, text);
    if (found) {
      const rev = revisionArg(call, hub);
      const revision = rev?.value.kind === 'string' ? rev.value.value : found.ref.revision;
      return [
        {
          kind: 'hub',
          id: found.ref.id,
          ...(revision !== undefined ? { revision } : {}),
          isCommitSha: revision !== undefined && isCommitSha(revision),
          call: q,
          range: found.ref.range,
          callRange: call.range,
        },
      ];
    }
  }
  const entry = SOURCES.best(q);
  const spec = entry?.source;
  const arg = spec && argument(call, spec.keyword, spec.index);
  if (!arg) return [];
  const v = arg.value;
  const hubCapable = hub !== undefined && (hub.forms ?? ['plain']).includes('plain');
  if (v.kind === 'string' && isLocalLiteral(v.value, hubCapable)) {
    const path = v.value.replace(/\\/g, '/');
    return [{ kind: 'local', path, base: 'cwd', call: q, range: v.contentRange, callRange: call.range }];
  }
  if (v.kind === 'path' && v.path !== undefined && (v.base === 'file' || v.base === 'cwd' || v.base === 'absolute')) {
    return [{ kind: 'local', path: v.path, base: v.base === 'file' ? 'file' : 'cwd', call: q, range: arg.range, callRange: call.range }];
  }
  return [];
}
