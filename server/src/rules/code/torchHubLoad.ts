// torch-hub-load: `torch.hub.load/list/help` import and run `hubconf.py` from a GitHub repository;
// worse with `trust_repo=True` or a ref that is not a commit sha. APIs in catalog/torch.ts.
import type { CallFact, Finding } from '../../domain';
import { entriesOf } from './catalog/index';
import { argument, isCommitSha, keyword, truthy } from './helpers';
import type { CodeRule } from './types';

const TABLE = entriesOf('torch-hub-load');

function check(call: CallFact): Finding[] {
  const entry = TABLE.best(call.qualifiedName);
  if (!entry) return [];
  const source = keyword(call, 'source');
  if (source?.value.kind === 'string' && source.value.value === 'local') return [];
  const repo = argument(call, entry.repoArg.keyword, entry.repoArg.index);
  const repoText = repo?.value.kind === 'string' ? repo.value.value : undefined;
  const ref = repoText?.includes(':') ? repoText.slice(repoText.indexOf(':') + 1) : undefined;
  const pinned = ref !== undefined && isCommitSha(ref);
  const trust = keyword(call, 'trust_repo');
  const trusted = trust !== undefined && trust.value.kind === 'bool' && truthy(trust.value) === true;
  const fn = entry.api.slice('torch.hub.'.length);
  const repoName = repoText ? `'${repoText}'` : 'the repository';
  const why = [!pinned && 'its ref is not a commit sha', trusted && 'trust_repo=True skips the prompt'].filter(Boolean).join(' and ');
  return [
    {
      rule: 'torch-hub-load',
      severity: pinned && !trusted ? 'info' : 'warning',
      range: call.calleeRange,
      message: `torch.hub.${fn} downloads and runs hubconf.py from ${repoName}${why ? ` (${why})` : ''}; review the code and pin 'owner/repo:<commit sha>', or load weights with safetensors.`,
    },
  ];
}

export const torchHubLoad: CodeRule = { id: 'torch-hub-load', callees: TABLE.apis, check };
