// The input of the model policy rules: one Hub model a loading call names, with what the Hub says
// about it. The engine builds it from the code analysis's model references ({ id, revision?,
// range, cell? }) and the Hugging Face source's answers; nothing here does I/O.
import type { Fix, ModelInfo, OffsetRange } from '../../domain';

export interface ModelUse {
  /** The Hub id as written (`meta-llama/Llama-3.1-8B`). */
  id: string;
  /** The literal `revision=`, when given. */
  revision?: string;
  /** The id's text inside its quotes: findings are reported here. */
  range: OffsetRange;
  /** Notebook cell, when the analysed document is a notebook. */
  cell?: number;
  /** Hub facts (licence, files). Undefined when not looked up (offline, unreachable): the
   * licence and format checks then say nothing rather than guess. */
  hub?: ModelInfo;
  /** The edit that pins `revision=` to the Hub's current commit, when one is known. */
  pinFix?: Fix;
}
