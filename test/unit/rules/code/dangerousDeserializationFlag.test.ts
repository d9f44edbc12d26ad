import assert from 'node:assert/strict';
import { findings, fixed, summary } from './harness';

describe('dangerous-deserialization-flag', () => {
  it('flags allow_dangerous_deserialization / allow_dangerous_code set to a truthy literal', async () => {
    const src = [
      'from langchain_community.vectorstores import FAISS',
      'db = FAISS.load_local("idx", emb, allow_dangerous_deserialization=True)',
      'agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)',
      '',
    ].join('\n');
    assert.deepEqual(await summary(src), [
      'dangerous-deserialization-flag warning "allow_dangerous_deserialization=True"',
      'dangerous-deserialization-flag warning "allow_dangerous_code=True"',
    ]);
  });

  it('accepts False, computed values, strings and comments', async () => {
    const src = [
      'FAISS.load_local("idx", emb, allow_dangerous_deserialization=False)',
      'FAISS.load_local("idx", emb, allow_dangerous_deserialization=flag)',
      'x = "allow_dangerous_deserialization=True"',
      '# allow_dangerous_code=True',
      '',
    ].join('\n');
    assert.deepEqual(await findings(src), []);
  });

  it('fix sets the flag to False', async () => {
    assert.equal(
      await fixed('db = FAISS.load_local(\n    "idx",\n    emb,\n    allow_dangerous_deserialization=True,\n)\n', 'dangerous-deserialization-flag', /False/),
      'db = FAISS.load_local(\n    "idx",\n    emb,\n    allow_dangerous_deserialization=False,\n)\n',
    );
  });
});
