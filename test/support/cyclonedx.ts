// Validates a document against the CycloneDX 1.6 JSON schema (strict: no unknown properties) with
// the CycloneDX library's validator, which runs ajv (a dev dependency: never in the CLI bundle).
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';

const validator = new JsonStrictValidator(Version.v1dot6);

/** null when valid, else the validator's error details as text. */
export async function cyclonedxErrors(doc: unknown): Promise<string | null> {
  const err = await validator.validate(typeof doc === 'string' ? doc : JSON.stringify(doc));
  return err === null ? null : JSON.stringify(err, null, 1).slice(0, 4000);
}
