// What an answer of the test kit's mock breaks of openapi.yaml, read as an independent client would: the
// status must be one the operation lists, its required headers there and of their schema, the body valid.
import { findOperation } from '../src/testing/api-operations.ts';
import { loadSpec } from '../src/testing/spec-files.ts';
import { type ErrorsAt, specValidator } from '../src/testing/spec-validator.ts';

let errorsAt: ErrorsAt | undefined;

export function answerProblems(operationId: string, response: Response, text: string): string[] {
  errorsAt ??= specValidator(loadSpec('openapi'));
  const spec = findOperation(operationId)?.responses[String(response.status)];
  if (spec === undefined) return [`no response ${response.status} for ${operationId}`];
  const problems = errorsAt(spec.schemaPath, JSON.parse(text));
  for (const [name, header] of Object.entries(spec.headers)) {
    const value = response.headers.get(name);
    if (value === null) problems.push(`header ${name} missing`);
    else {
      const typed = /^\d+$/.test(value) ? Number(value) : value;
      problems.push(...errorsAt(header.schemaPath, typed).map((e) => `header ${name} ${e}`));
    }
  }
  return problems;
}
