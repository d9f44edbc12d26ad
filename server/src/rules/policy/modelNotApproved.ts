// model-not-approved: a loading call names a Hub model that the policy denies (`models.deny`) or
// does not approve (`models.allow`), loads it without a commit pin while the policy requires one
// (`models.require-revision`; fix: `revision="<sha>"` when the Hub's sha is known), or the
// repository offers weights only in formats the policy does not allow (`models.formats`).
import type { Finding, ModelWeightFormat } from '../../domain';
import { isCommitSha } from '../code/helpers';
import { policyLocation, policyName, type PolicyRuleContext } from './context';
import type { ModelUse } from './modelUse';
import { cite, idMatch } from './patterns';

/** The related-location message of a missing-revision finding (the engine lets that finding
 * replace the unpinned-model-revision hint on the same call). */
export const REQUIRE_REVISION_NOTE = 'require-revision = true';

const BY_EXTENSION: Record<string, ModelWeightFormat> = {
  safetensors: 'safetensors',
  gguf: 'gguf',
  onnx: 'onnx',
  bin: 'pytorch',
  pt: 'pytorch',
  pth: 'pytorch',
  ckpt: 'pytorch',
  pkl: 'pickle',
  pickle: 'pickle',
  joblib: 'pickle',
  dill: 'pickle',
  keras: 'keras',
  h5: 'h5',
  hdf5: 'h5',
  pb: 'tensorflow',
  tflite: 'tflite',
  msgpack: 'flax',
  mlmodel: 'coreml',
};

/** The weight formats of a repository's files, by extension (`saved_model.pb`, `model.safetensors`). */
export function weightFormats(files: readonly string[]): Set<ModelWeightFormat> {
  const out = new Set<ModelWeightFormat>();
  for (const f of files) {
    // `.mlpackage` is a folder: its files sit below it.
    if (/\.mlpackage\//i.test(f)) out.add('coreml');
    const dot = f.lastIndexOf('.');
    const ext = dot >= 0 ? f.slice(dot + 1).toLowerCase() : '';
    const fmt = BY_EXTENSION[ext];
    if (fmt) out.add(fmt);
  }
  return out;
}

export function modelNotApproved(use: ModelUse, ctx: PolicyRuleContext): Finding[] {
  const { policy } = ctx;
  const m = policy.models;
  const file = policyName(policy);
  const finding = (message: string, extra: Partial<Finding> = {}): Finding => ({
    rule: 'model-not-approved',
    severity: 'error',
    range: use.range,
    ...(use.cell !== undefined ? { cell: use.cell } : {}),
    message,
    fixes: [],
    ...extra,
  });

  const denied = idMatch(m.deny, use.id);
  if (denied) {
    return [finding(`The model ${use.id} is denied by the project policy (${cite(denied, file)}): use an approved model.`, { related: [policyLocation(policy, denied.at, `denied by "${denied.text}"`)] })];
  }
  if (m.allow.length && !idMatch(m.allow, use.id)) {
    return [
      finding(`The model ${use.id} is not on the project's list of approved models (models.allow in ${file}): use an approved model, or ask the owners of the policy to approve it.`, {
        related: [policyLocation(policy, m.allow[0]!.at, 'the approved models')],
      }),
    ];
  }

  const out: Finding[] = [];
  if (m.requireRevision && !(use.revision && isCommitSha(use.revision))) {
    const what = use.revision ? `revision="${use.revision}" is a movable ref` : 'it is loaded without revision=';
    const how = use.pinFix ? 'pin revision= to the current commit (quick fix)' : 'pin revision= to a commit sha (the Hub shows it on the repository’s commit history)';
    out.push(
      finding(`The project policy requires Hub loads to pin a commit (models.require-revision in ${file}), but ${what}: ${how}.`, {
        related: [policyLocation(policy, m.requireRevision.at, REQUIRE_REVISION_NOTE)],
        fixes: use.pinFix ? [use.pinFix] : [],
      }),
    );
  }
  if (m.formats && use.hub) {
    const found = weightFormats(use.hub.files);
    const allowed = m.formats.values;
    if (found.size > 0 && ![...found].some((f) => allowed.includes(f))) {
      out.push(
        finding(
          `The model ${use.id} offers weights only as ${[...found].join(', ')}; the project policy allows ${allowed.length ? allowed.join(', ') : 'no weight format'} (models.formats in ${file}): use a model published in an allowed format.`,
          { related: [policyLocation(policy, m.formats.at, 'the allowed formats')] },
        ),
      );
    }
  }
  return out;
}
