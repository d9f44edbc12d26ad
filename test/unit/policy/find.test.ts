import assert from 'node:assert/strict';
import { emptyPolicy } from '../../../server/src/domain/policy';
import { PolicyIndex } from '../../../server/src/policy/find';

const aidr = (dir: string) => emptyPolicy(`${dir}/aidr.toml`, dir, 'aidr.toml');
const pyproject = (dir: string) => emptyPolicy(`${dir}/pyproject.toml`, dir, 'pyproject.toml');

describe('PolicyIndex (nearest policy)', () => {
  const root = aidr('/ws');
  const ml = aidr('/ws/ml');
  const tool = pyproject('/ws/web');
  const index = new PolicyIndex([root, ml, tool], ['/ws']);

  it('the nearest folder up the tree wins', () => {
    assert.equal(index.policyFor('/ws/ml/train.py'), ml);
    assert.equal(index.policyFor('/ws/ml/deep/er/nb.ipynb'), ml);
    assert.equal(index.policyFor('/ws/api/app.py'), root);
    assert.equal(index.policyFor('/ws/requirements.txt'), root);
    assert.equal(index.policyFor('/ws/web/src/x.py'), tool, '[tool.aidr] is a policy too');
  });

  it('a policy applies to its own file', () => {
    assert.equal(index.policyFor('/ws/ml/aidr.toml'), ml);
  });

  it('aidr.toml wins over [tool.aidr] in the same folder, whatever the order', () => {
    const a = aidr('/p');
    const b = pyproject('/p');
    assert.equal(new PolicyIndex([a, b]).policyFor('/p/x.py'), a);
    assert.equal(new PolicyIndex([b, a]).policyFor('/p/x.py'), a);
  });

  it('never looks above the root that holds the file, and a file outside every root has none', () => {
    const outer = aidr('/home/me');
    const idx = new PolicyIndex([outer, ml], ['/home/me/ws']);
    assert.equal(idx.policyFor('/home/me/ws/app.py'), undefined, 'the policy above the workspace does not apply');
    assert.equal(idx.policyFor('/elsewhere/app.py'), undefined);
    // Nested roots: the innermost bounds the search.
    const nested = new PolicyIndex([root], ['/ws', '/ws/sub']);
    assert.equal(nested.policyFor('/ws/sub/x.py'), undefined);
    assert.equal(nested.policyFor('/ws/other/x.py'), root);
  });

  it('without roots, any known policy up the tree applies; none known, none found', () => {
    assert.equal(new PolicyIndex([root]).policyFor('/ws/a/b/c.py'), root);
    assert.equal(new PolicyIndex([]).policyFor('/ws/a.py'), undefined);
    assert.equal(new PolicyIndex([ml]).policyFor('/ws/a.py'), undefined, 'a sibling folder policy does not apply');
  });
});
