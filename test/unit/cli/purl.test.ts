import assert from 'node:assert/strict';
import { huggingFacePurl, packagePurl } from '../../../server/src/cli/purl';

describe('package URLs', () => {
  it('PyPI: PEP 503 name, encoded version, no version when unknown', () => {
    assert.equal(packagePurl('PyPI', 'Foo_Bar.baz', '1.0'), 'pkg:pypi/foo-bar-baz@1.0');
    assert.equal(packagePurl('PyPI', 'torch', '2.5.1+cu121'), 'pkg:pypi/torch@2.5.1%2Bcu121');
    assert.equal(packagePurl('PyPI', 'requests'), 'pkg:pypi/requests');
  });

  it('npm: the scope is the namespace, percent-encoded', () => {
    assert.equal(packagePurl('npm', '@Types/Node', '20.1.0'), 'pkg:npm/%40types/node@20.1.0');
    assert.equal(packagePurl('npm', 'left-pad', '1.3.0'), 'pkg:npm/left-pad@1.3.0');
    assert.equal(packagePurl('npm', 'a', '1.0.0-beta.1'), 'pkg:npm/a@1.0.0-beta.1');
  });

  it('qualifiers are sorted and percent-encoded; empty ones are left out', () => {
    assert.equal(
      packagePurl('PyPI', 'x', undefined, { vcs_url: 'git+https://github.com/o/x@abc', download_url: '' }),
      'pkg:pypi/x?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fo%2Fx%40abc',
    );
    assert.equal(packagePurl('npm', 'y', '1.0.0', { download_url: 'https://h/y.tgz', vcs_url: 'git+ssh://g/y' }), 'pkg:npm/y@1.0.0?download_url=https%3A%2F%2Fh%2Fy.tgz&vcs_url=git%2Bssh%3A%2F%2Fg%2Fy');
  });

  it('Hugging Face: org as namespace, the commit lowercased as version', () => {
    assert.equal(huggingFacePurl('microsoft/deberta-v3-base', '559062AD13D311B87B2C455E67DCD5F1C8F65111'), 'pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111');
    assert.equal(huggingFacePurl('gpt2'), 'pkg:huggingface/gpt2');
    assert.equal(huggingFacePurl('org/name with space'), 'pkg:huggingface/org/name%20with%20space');
  });
});
