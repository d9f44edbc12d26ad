// PyTorch: loaders that unpickle, TorchScript and torch.package archives, object collectives,
// the weights-only allow-list, Hub code, and URL downloads. Lightning and timm wrap torch.load.
import type { CatalogEntry, EnvSwitch } from './types';

const SERIALIZATION = 'https://pytorch.org/docs/stable/notes/serialization.html#weights-only';
const HUB = 'https://pytorch.org/docs/stable/hub.html';

export const TORCH: readonly CatalogEntry[] = [
  {
    api: 'torch.load',
    rule: 'unsafe-torch-load',
    risk: 'torch.load unpickles the file unless weights_only=True (the default only from torch 2.6)',
    doc: 'https://pytorch.org/docs/stable/generated/torch.load.html',
    weightsOnly: { keyword: 'weights_only', absent: 'warning' },
    source: { keyword: 'f', index: 0 },
  },
  {
    api: 'torch.hub.load_state_dict_from_url',
    rule: 'unsafe-torch-load',
    risk: 'load_state_dict_from_url downloads a checkpoint and unpickles it (weights_only defaults to False)',
    doc: `${HUB}#torch.hub.load_state_dict_from_url`,
    weightsOnly: { keyword: 'weights_only', index: 6, absent: 'warning' },
    source: { keyword: 'url', index: 0 },
  },
  {
    api: 'torch.utils.model_zoo.load_url',
    rule: 'unsafe-torch-load',
    risk: 'model_zoo.load_url downloads a checkpoint and unpickles it (weights_only defaults to False)',
    doc: 'https://pytorch.org/docs/stable/model_zoo.html',
    weightsOnly: { keyword: 'weights_only', index: 6, absent: 'warning' },
    source: { keyword: 'url', index: 0 },
  },
  {
    api: 'torch.jit.load',
    rule: 'unsafe-torch-load',
    risk: 'torch.jit.load loads a TorchScript program (its code runs when the model is called); treat the file as code',
    doc: 'https://github.com/pytorch/pytorch/blob/main/SECURITY.md#untrusted-models',
    severity: 'info',
    source: { keyword: 'f', index: 0 },
  },
  {
    api: 'torch.serialization.add_safe_globals',
    rule: 'unsafe-torch-load',
    risk: 'add_safe_globals lets weights_only loading call the listed globals',
    doc: SERIALIZATION,
    globalsArg: 0,
  },
  {
    api: 'torch.serialization.safe_globals',
    rule: 'unsafe-torch-load',
    risk: 'safe_globals lets weights_only loading call the listed globals',
    doc: SERIALIZATION,
    globalsArg: 0,
  },
  {
    api: '*.load_from_checkpoint',
    rule: 'unsafe-torch-load',
    risk: 'Lightning load_from_checkpoint unpickles the checkpoint with torch.load unless weights_only=True',
    doc: 'https://lightning.ai/docs/pytorch/stable/api/lightning.pytorch.core.LightningModule.html#lightning.pytorch.core.LightningModule.load_from_checkpoint',
    weightsOnly: { keyword: 'weights_only', absent: 'info' },
    source: { keyword: 'checkpoint_path', index: 0 },
  },
  {
    api: 'timm.models.load_checkpoint',
    rule: 'unsafe-torch-load',
    risk: 'timm load_checkpoint reads the checkpoint with torch.load without weights_only=True',
    doc: 'https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/_helpers.py',
    weightsOnly: { keyword: 'weights_only', absent: 'warning' },
    source: { keyword: 'checkpoint_path', index: 1 },
  },
  {
    api: 'timm.models.load_state_dict',
    rule: 'unsafe-torch-load',
    risk: 'timm load_state_dict reads the checkpoint with torch.load without weights_only=True',
    doc: 'https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/_helpers.py',
    weightsOnly: { keyword: 'weights_only', absent: 'warning' },
    source: { keyword: 'checkpoint_path', index: 0 },
  },
  {
    api: 'timm.create_model',
    rule: 'unsafe-torch-load',
    risk: 'timm.create_model(checkpoint_path=...) reads the checkpoint with torch.load without weights_only=True',
    doc: 'https://huggingface.co/docs/timm/reference/models#timm.create_model',
    severity: 'warning',
    onlyWith: { keyword: 'checkpoint_path' },
  },
  {
    api: 'torch.package.PackageImporter',
    rule: 'pickle-deserialization',
    risk: 'torch.package.PackageImporter unpickles the package and imports the code it contains',
    doc: 'https://pytorch.org/docs/stable/package.html',
    source: { keyword: 'file_or_buffer', index: 0 },
  },
  ...['recv_object_list', 'broadcast_object_list', 'all_gather_object', 'gather_object', 'scatter_object_list'].map(
    (f): CatalogEntry => ({
      api: `torch.distributed.${f}`,
      rule: 'pickle-deserialization',
      risk: `torch.distributed.${f} unpickles objects received from other ranks`,
      doc: `https://pytorch.org/docs/stable/distributed.html#torch.distributed.${f}`,
    }),
  ),
  ...['load', 'list', 'help'].map(
    (f): CatalogEntry => ({
      api: `torch.hub.${f}`,
      rule: 'torch-hub-load',
      risk: `torch.hub.${f} downloads a GitHub repository and runs its hubconf.py`,
      doc: `${HUB}#torch.hub.${f}`,
      repoArg: { keyword: f === 'load' ? 'repo_or_dir' : 'github', index: 0 },
    }),
  ),
  {
    api: 'torch.hub.download_url_to_file',
    rule: 'insecure-model-source',
    risk: 'download_url_to_file fetches a file by URL',
    doc: `${HUB}#torch.hub.download_url_to_file`,
    urls: [{ keyword: 'url', index: 0 }],
  },
  {
    api: 'torch.hub.load_state_dict_from_url',
    rule: 'insecure-model-source',
    risk: 'load_state_dict_from_url fetches weights by URL',
    doc: `${HUB}#torch.hub.load_state_dict_from_url`,
    urls: [{ keyword: 'url', index: 0 }],
  },
  {
    api: 'torch.utils.model_zoo.load_url',
    rule: 'insecure-model-source',
    risk: 'model_zoo.load_url fetches weights by URL',
    doc: 'https://pytorch.org/docs/stable/model_zoo.html',
    urls: [{ keyword: 'url', index: 0 }],
  },
];

export const TORCH_SWITCHES: readonly EnvSwitch[] = [
  {
    variable: 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD',
    rule: 'unsafe-torch-load',
    dangerous: 'truthy',
    risk: 'makes every torch.load without an explicit weights_only unpickle arbitrary objects (weights_only=False)',
    doc: 'https://pytorch.org/docs/stable/miscellaneous_environment_variables.html',
  },
];
