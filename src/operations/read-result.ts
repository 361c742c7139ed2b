import type { ReadResult } from '../internal/operation.ts';
import { findProblem, type Rule } from '../internal/validate-input.ts';

/**
 * Reads a 200 body `{ status, result }` by the operation's generated rule, as a tolerant reader: enum
 * values newer than the spec pass (Yandex adds them over time), everything the caller relies on (ids,
 * page tokens, required fields) is checked. A body without `result` is a broken answer.
 */
export function readResultOf<Result>(rule: Rule, body: unknown): ReadResult<Result> {
  const problem = findProblem(rule, body, 'body', { acceptUnknownEnumValues: true });
  if (problem !== undefined) {
    return { ok: false, problem: `breaks the contract: ${problem.field} ${problem.problem}` };
  }
  const { result } = body as { result?: Result };
  return result === undefined ? { ok: false, problem: 'has no result' } : { ok: true, value: result };
}

/** A write's 200: `status: OK` is done; anything else is a failure that carries Yandex's errors. */
export function readDone(body: unknown): ReadResult<void> {
  const status = (body as { status?: unknown } | null)?.status;
  if (status === 'OK') return { ok: true, value: undefined };
  return { ok: false, problem: `says status ${JSON.stringify(status)}, not OK: not done` };
}
