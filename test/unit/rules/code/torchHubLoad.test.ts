import assert from 'node:assert/strict';
import { findings, summary } from './harness';

describe('torch-hub-load', () => {
  it('flags torch.hub.load/list/help; pinned to a sha without trust_repo=True is info', async () => {
    const src = [
      'import torch',
      'from torch import hub',
      'torch.hub.load("pytorch/vision", "resnet18", pretrained=True)',
      'hub.load("pytorch/vision:v0.10.0", "resnet18", trust_repo=True)',
      'torch.hub.list("pytorch/vision")',
      'torch.hub.load("pytorch/vision:0123456789abcdef", "resnet18")',
      'torch.hub.load("pytorch/vision:0123456789abcdef", "resnet18", trust_repo=True)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'torch-hub-load warning "torch.hub.load"',
      'torch-hub-load warning "hub.load"',
      'torch-hub-load warning "torch.hub.list"',
      'torch-hub-load info "torch.hub.load"',
      'torch-hub-load warning "torch.hub.load"',
    ]);
  });

  it('accepts local sources, other hubs, and torch.hub.load_state_dict_from_url', async () => {
    const src = [
      'import torch',
      'torch.hub.load("./repo", "model", source="local")',
      'torch.hub.load_state_dict_from_url("https://download.pytorch.org/x.pth", weights_only=True)',
      'tensorflow_hub.load("x")',
      '"torch.hub.load(\'a/b\', \'m\')"',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });
});
