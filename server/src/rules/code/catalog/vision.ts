// Vision model zoos that read Hub ids in their own syntax: timm (`hf-hub:org/name@rev`) and
// open_clip (`hf-hub:org/name`, no revision), plus local checkpoint files they load.
import type { CatalogEntry } from './types';

export const VISION: readonly CatalogEntry[] = [
  {
    api: 'timm.create_model',
    rule: 'unpinned-model-revision',
    risk: 'create_model("hf-hub:...", pretrained=True) downloads the weights; pin with "hf-hub:org/name@<sha>"',
    doc: 'https://huggingface.co/docs/timm/reference/models#timm.create_model',
    source: { keyword: 'model_name', index: 0 },
    forms: ['hf-hub-prefix'],
    revision: [],
    onlyIf: { keyword: 'pretrained', index: 1 },
  },
  {
    api: 'timm.create_model',
    rule: 'insecure-model-source',
    risk: 'pretrained_cfg_overlay=dict(url=...) fetches the weights from that URL',
    doc: 'https://huggingface.co/docs/timm/reference/models#timm.create_model',
    urls: [{ keyword: 'url' }],
  },
  ...['create_model', 'create_model_and_transforms', 'create_model_from_pretrained', 'get_tokenizer'].map(
    (f): CatalogEntry => ({
      api: `open_clip.${f}`,
      rule: 'unpinned-model-revision',
      risk: `open_clip.${f}("hf-hub:...") downloads the repository at its current revision (open_clip cannot pin one)`,
      doc: 'https://github.com/mlfoundations/open_clip#loading-models',
      source: { keyword: 'model_name', index: 0 },
      forms: ['hf-hub-prefix'],
      revision: [],
    }),
  ),
];
