// unpinned-model-revision: a Hugging Face download without `revision=<commit sha>` fetches whatever
// the repository holds today. Also the source of the model references the engine looks up on the Hub.
import type { Finding, OffsetRange } from '../../domain';
import type { ArgFact, CallFact } from '../../domain';
import { argument, confidenceFor, isCommitSha, isHubId, keyword, keywordFix, lower, truthy } from './helpers';
import type { CodeRule, CodeRuleContext } from './types';

/** A Hub repository named in a loading call. */
export interface ModelRef {
  id: string;
  /** The id's text inside the quotes. */
  range: OffsetRange;
  /** The literal revision, when one is given. */
  revision?: string;
  /** The canonical callee (`transformers.AutoModel.from_pretrained`). */
  call: string;
}

/** Keyword name and position of the repo id per API; `from_pretrained` is matched by suffix. */
const ID_ARG: Record<string, [string, number | undefined]> = {
  'huggingface_hub.hf_hub_download': ['repo_id', 0],
  'huggingface_hub.snapshot_download': ['repo_id', 0],
  'huggingface_hub.from_pretrained_keras': ['repo_id', 0],
  'datasets.load_dataset': ['path', 0],
  'sentence_transformers.SentenceTransformer': ['model_name_or_path', 0],
  'sentence_transformers.CrossEncoder': ['model_name_or_path', 0],
  'transformers.pipeline': ['model', 1],
  // LangChain wrappers download through sentence-transformers; revision goes in model_kwargs.
  'langchain_community.embeddings.HuggingFaceEmbeddings': ['model_name', undefined],
  'langchain_huggingface.HuggingFaceEmbeddings': ['model_name', undefined],
  'langchain_huggingface.embeddings.HuggingFaceEmbeddings': ['model_name', undefined],
  'langchain.embeddings.HuggingFaceEmbeddings': ['model_name', undefined],
};

/** `datasets` builders that read local files rather than a Hub dataset. */
const LOCAL_BUILDERS = new Set(['csv', 'json', 'parquet', 'text', 'arrow', 'pandas', 'sql', 'generator', 'imagefolder', 'audiofolder', 'videofolder', 'webdataset', 'xml']);

/** The argument that names the repo, or undefined when the call is not a Hub download. */
export function modelIdArgument(call: CallFact): ArgFact | undefined {
  const q = call.qualifiedName;
  if (!q) return undefined;
  if (q.endsWith('.from_pretrained')) {
    if (q.startsWith('peft.')) return argument(call, 'model_id', 1);
    return argument(call, 'pretrained_model_name_or_path', 0);
  }
  const spec = ID_ARG[q];
  return spec ? argument(call, spec[0], spec[1]) : undefined;
}

export function modelReference(call: CallFact): ModelRef | undefined {
  const idArg = modelIdArgument(call);
  if (!idArg || idArg.value.kind !== 'string' || !isHubId(idArg.value.value)) return undefined;
  if (call.qualifiedName === 'datasets.load_dataset' && LOCAL_BUILDERS.has(idArg.value.value)) return undefined;
  const ref: ModelRef = { id: idArg.value.value, range: idArg.value.contentRange, call: call.qualifiedName! };
  const rev = keyword(call, 'revision');
  if (rev?.value.kind === 'string') ref.revision = rev.value.value;
  return ref;
}

function check(call: CallFact, ctx: CodeRuleContext): Finding[] {
  const idArg = modelIdArgument(call);
  if (!idArg) return [];
  const literal = idArg.value.kind === 'string';
  if (idArg.value.kind === 'string') {
    if (!isHubId(idArg.value.value)) return [];
    if (call.qualifiedName === 'datasets.load_dataset' && LOCAL_BUILDERS.has(idArg.value.value)) return [];
  } else if (idArg.value.kind !== 'expr' && idArg.value.kind !== 'name') {
    return [];
  }
  const local = keyword(call, 'local_files_only');
  if (local && truthy(local.value) === true) return [];
  const rev = keyword(call, 'revision') ?? keyword(call, 'commit_id') ?? call.dictEntries.find((k) => k.name === 'revision');
  if (rev) {
    // A computed revision gets the benefit of the doubt.
    if (rev.value.kind !== 'string' && rev.value.kind !== 'none') return [];
    if (rev.value.kind === 'string' && isCommitSha(rev.value.value)) return [];
  }
  let { severity, confidence } = confidenceFor(call, 'info');
  // The id may be a local directory when it is computed: say so with lower confidence.
  if (!literal) {
    severity = lower('info');
    confidence = 'low';
  }
  const fn = call.calleeText.split('.').pop();
  const what = rev ? `revision=${ctx.text.slice(rev.range.start, rev.range.end)} is a movable ref, so ${fn}()` : `${fn}() without revision=`;
  const sha = idArg.value.kind === 'string' ? ctx.modelShas?.get(idArg.value.value) : undefined;
  const f: Finding = {
    rule: 'unpinned-model-revision',
    severity,
    range: literal ? idArg.range : call.calleeRange,
    message: `${what} downloads whatever the Hub repository holds today (weights and code can change under you); pin revision= to a commit sha.`,
    fixes: sha ? keywordFix(ctx.text, call, 'revision', `"${sha}"`, `Pin revision to ${sha.slice(0, 12)} (current Hub commit)`) : [],
  };
  if (confidence) f.confidence = confidence;
  return [f];
}

export const unpinnedModelRevision: CodeRule = {
  id: 'unpinned-model-revision',
  callees: ['*.from_pretrained', ...Object.keys(ID_ARG)],
  check,
};
