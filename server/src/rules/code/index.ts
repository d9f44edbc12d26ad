// The registry of code rules (Python files and notebook cells) and their default severities.
// Which APIs each rule judges is data: catalog/ (one table per library family, each entry linked
// to the library's documentation); the rules below read it.
//
// | rule                            | case                                                        | severity |
// |---------------------------------|-------------------------------------------------------------|----------|
// | unsafe-torch-load               | torch.load without weights_only (or with pickle_module)     | warning  |
// |                                 |   ... and the installed torch >= 2.6 (safe default)         | info     |
// |                                 | weights_only=False (any falsy literal)                      | error    |
// |                                 | installed torch has a torch.load advisory (< 2.6.0),        | error    |
// |                                 |   even with weights_only=True                               |          |
// |                                 | weights_only computed (not a literal)                       | hint     |
// |                                 | load_state_dict_from_url / model_zoo / timm wrappers        | warning  |
// |                                 | Lightning load_from_checkpoint without weights_only=True    | info     |
// |                                 | add_safe_globals/safe_globals with os.system, eval, ...     | error    |
// |                                 | torch.jit.load (TorchScript is a program)                   | info     |
// |                                 | TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD set in the environment     | warning  |
// | pickle-deserialization          | pickle family, joblib, pandas (pickle, HDF5), statsmodels,  | warning  |
// |                                 |   gensim, fastai, MLflow flavours, skops trusted=True, ...  |          |
// | numpy-allow-pickle              | numpy.load / read_array(allow_pickle=<truthy>)              | warning  |
// |                                 | numpy.load without allow_pickle, numpy < 1.16.3 installed   | error    |
// | trust-remote-code               | trust_remote_code=<truthy literal> on any call / in a dict, | warning  |
// |                                 |   diffusers custom_pipeline=, community evaluate modules,   |          |
// |                                 |   HF_DATASETS_TRUST_REMOTE_CODE in the environment          |          |
// | unpinned-model-revision         | Hub download without a commit sha, in each library's id     | info     |
// |                                 |   syntax (hf-hub:, hf://, Hub file URLs)                    |          |
// |                                 |   ... with a computed model id (may be a local path)        | hint     |
// | unsafe-keras-load               | load_model(safe_mode=False), legacy .h5, global switch      | warning  |
// |                                 | tf.saved_model.load / tensorflow_hub (a program)            | info     |
// |                                 | installed keras has a safe_mode advisory                    | error    |
// | unsafe-yaml-load                | yaml.load without safe Loader, unsafe/full loaders,         | warning  |
// |                                 |   ruamel.yaml YAML(typ='unsafe')                            |          |
// |                                 | installed PyYAML has an advisory against that use           | error    |
// | torch-hub-load                  | torch.hub.load/list/help                                    | warning  |
// |                                 |   ... pinned to a commit sha and without trust_repo=True    | info     |
// | dangerous-deserialization-flag  | allow_dangerous_deserialization/allow_dangerous_code=True,  | warning  |
// |                                 |   LangChain loads(allowed_objects="all", ...)               |          |
// | insecure-model-source           | http:// model/weights URL (loaders, HTTP clients fetching   | warning  |
// |                                 |   model files, HF_ENDPOINT), use_safetensors=False, pickle  |          |
// |                                 |   weight files given to diffusers loaders                   |          |
//
// `**kwargs` that cannot be read, in a call that is flagged for a missing safe argument, lowers
// the severity one step and sets `confidence: 'low'`. Settings may override severities. A name
// assigned once to a literal (module constant, or function local) counts as that literal; a
// loader handed to `map`/`partial`/a pool/`loader=` counts as a call (see python/calls.ts).
// Scored against test/fixtures/corpus (test/unit/rules/code/corpus.test.ts).
import { dangerousDeserializationFlag } from './dangerousDeserializationFlag';
import { insecureModelSource } from './insecureModelSource';
import { numpyAllowPickle } from './numpyAllowPickle';
import { pickleDeserialization } from './pickleDeserialization';
import { torchHubLoad } from './torchHubLoad';
import { trustRemoteCode } from './trustRemoteCode';
import type { CodeRule } from './types';
import { unpinnedModelRevision } from './unpinnedModelRevision';
import { unsafeKerasLoad } from './unsafeKerasLoad';
import { unsafeTorchLoad } from './unsafeTorchLoad';
import { unsafeYamlLoad } from './unsafeYamlLoad';

export const CODE_RULES: readonly CodeRule[] = [
  unsafeTorchLoad,
  pickleDeserialization,
  numpyAllowPickle,
  trustRemoteCode,
  unpinnedModelRevision,
  unsafeKerasLoad,
  unsafeYamlLoad,
  torchHubLoad,
  dangerousDeserializationFlag,
  insecureModelSource,
];

export type { CodeRule, CodeRuleContext, InstalledPackage } from './types';

export { API_ADVISORIES, apiExposure } from './apiAdvisories';
