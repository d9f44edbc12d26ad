// torch-hub-load: `torch.hub.load/list/help` import and run `hubconf.py` from a GitHub repository;
// worse with `trust_repo=True` or a ref that is not a commit sha.
import type { Finding } from '../../domain';
import type { CallFact } from '../../domain';
import { argument, isCommitSha, keyword, truthy } from './helpers';
import type { CodeRule } from './types';

const HUB = ['torch.hub.load', 'torch.hub.list', 'torch.hub.help'];

function check(call: CallFact): Finding[] {
  const q = call.qualifiedName;
  if (!q || !HUB.includes(q)) return [];
  const source = keyword(call, 'source');
  if (source?.value.kind === 'string' && source.value.value === 'local') return [];
  const repo = argument(call, q === 'torch.hub.load' ? 'repo_or_dir' : 'github', 0);
  const repoText = repo?.value.kind === 'string' ? repo.value.value : undefined;
  const ref = repoText?.includes(':') ? repoText.slice(repoText.indexOf(':') + 1) : undefined;
  const pinned = ref !== undefined && isCommitSha(ref);
  const trust = keyword(call, 'trust_repo');
  const trusted = trust !== undefined && trust.value.kind === 'bool' && truthy(trust.value) === true;
  const fn = q.slice('torch.hub.'.length);
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

export const torchHubLoad: CodeRule = { id: 'torch-hub-load', callees: HUB, check };
