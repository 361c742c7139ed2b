import type { ReadResult, ReportDrift } from '../internal/operation.ts';
import { expectedOf, findProblem, findProblems, type Rule } from '../internal/validate-input.ts';

// A 200 body is read as a tolerant reader: strict only where the client depends on a value (the envelope
// `{ status, result }`, a page's list and token, each item's id); anything else that breaks the spec is
// passed through as it came and reported as drift. Enum values newer than the spec pass (Yandex adds them).
const OPEN = { acceptUnknownEnumValues: true } as const;

type Body = { result?: Record<string, unknown> };

function broken(problem: { field: string; problem: string }): { ok: false; problem: string } {
  return { ok: false, problem: `breaks the contract: ${problem.field} ${problem.problem}` };
}

/** The envelope: an object with a known `status` and an object `result`. */
function readEnvelope(rule: Rule, body: unknown): ReadResult<Record<string, unknown>> {
  const envelope: Rule = {
    type: 'object',
    required: rule.required ?? [],
    properties: { status: rule.properties?.status ?? {} },
  };
  const problem = findProblem(envelope, body, 'body', OPEN);
  if (problem !== undefined) return broken(problem);
  const { result } = body as Body;
  if (result === undefined) return { ok: false, problem: 'has no result' };
  const resultProblem = findProblem({ type: 'object' }, result, 'body.result');
  return resultProblem === undefined ? { ok: true, value: result } : broken(resultProblem);
}

/** An item must be an object with a valid id: the id's rule from the item's. */
function idRuleOf(itemRule: Rule | undefined, idKey: string): Rule {
  return { type: 'object', required: [idKey], properties: { [idKey]: itemRule?.properties?.[idKey] ?? {} } };
}

/** Reports every part of `body` that breaks `rule`, except inside `skipped` paths (items left out). */
function reportDrift(rule: Rule, body: unknown, drift: ReportDrift, skipped: readonly string[] = []): void {
  for (const problem of findProblems(rule, body, '', OPEN)) {
    const inSkipped = skipped.some((path) => problem.field === path || problem.field.startsWith(`${path}.`));
    if (!inSkipped) drift(problem.field, expectedOf(problem), problem.got);
  }
}

/** One item (`getChat`, `getChatMessage`): its id is strict, the rest is passed through. */
export function readItem<Result>(
  rule: Rule,
  idKey: string,
  body: unknown,
  drift: ReportDrift,
): ReadResult<Result> {
  const envelope = readEnvelope(rule, body);
  if (!envelope.ok) return envelope;
  const problem = findProblem(idRuleOf(rule.properties?.result, idKey), envelope.value, 'body.result');
  if (problem !== undefined) return broken(problem);
  reportDrift(rule, body, drift);
  return { ok: true, value: envelope.value as Result };
}

export interface PageRead<Result> {
  result: Result;
  /** The page's items with a usable id, in order. */
  items: unknown[];
  /** The next page's token; undefined on the last page (no token, null or ""). */
  nextPageToken: string | undefined;
}

/**
 * A page (`getChats`, `getChatHistory`): the list and its token are strict; an item without a usable id
 * is reported and left out (the page's token still leads on); the rest is passed through.
 */
export function readPage<Result>(
  rule: Rule,
  listKey: string,
  idKey: string,
  body: unknown,
  drift: ReportDrift,
): ReadResult<PageRead<Result>> {
  const envelope = readEnvelope(rule, body);
  if (!envelope.ok) return envelope;
  const result = envelope.value;
  const resultRule = rule.properties?.result;
  const listProblem = findProblem(
    { type: 'object', required: [listKey], properties: { [listKey]: { type: 'array' } } },
    result,
    'body.result',
  );
  if (listProblem !== undefined) return broken(listProblem);
  const paging = resultRule?.properties?.paging;
  const pagingProblem =
    paging && result.paging !== undefined
      ? findProblem(paging, result.paging, 'body.result.paging')
      : undefined;
  if (pagingProblem !== undefined) return broken(pagingProblem);
  const idRule = idRuleOf(resultRule?.properties?.[listKey]?.items, idKey);
  const items: unknown[] = [];
  const skipped: string[] = [];
  for (const [i, item] of (result[listKey] as unknown[]).entries()) {
    const path = `result.${listKey}[${i}]`;
    const problem = findProblems(idRule, item, path)[0];
    if (problem === undefined) {
      items.push(item);
      continue;
    }
    skipped.push(path);
    drift(problem.field, `${expectedOf(problem)}; the item is left out`, problem.got);
  }
  reportDrift(rule, body, drift, skipped);
  const token = (result.paging as { nextPageToken?: string | null } | null | undefined)?.nextPageToken;
  return {
    ok: true,
    value: {
      result: result as Result,
      items,
      nextPageToken: token === '' || token === null ? undefined : token,
    },
  };
}

/** A write's 200: `status: OK` is done; anything else is a failure that carries Yandex's errors. */
export function readDone(body: unknown): ReadResult<void> {
  const status = (body as { status?: unknown } | null)?.status;
  if (status === 'OK') return { ok: true, value: undefined };
  return { ok: false, problem: `says status ${JSON.stringify(status)}, not OK: not done` };
}
