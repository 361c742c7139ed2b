// Turns one HTTP response into the chat id or a failure that knows whether it is worth retrying.

import { operationRules } from '../../generated/rules.ts';
import type { ApiErrorDTO } from '../../generated/schema.ts';
import { ApiError, type ApiErrorDetails } from '../errors/api-error.ts';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { ForbiddenError } from '../errors/forbidden-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { NotFoundError } from '../errors/not-found-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';
import type { RateLimitState } from '../rate-limit.ts';
import { isRateLimitStatus, RETRYABLE_STATUSES, serverResetAt } from './retry-delay.ts';
import { findProblem } from './validate-input.ts';

export interface Failure {
  retryable: boolean;
  /** When the server asked to be called again, if it did. */
  resetAt: Date | undefined;
  /** The error to throw (or to report to onRetry) after `attempts` requests. */
  toError(attempts: number, note?: string): MarketError;
}

export type Outcome = { ok: true; chatId: number } | { ok: false; failure: Failure };

const SNIPPET_LENGTH = 120;

/** `body` is what openapi-fetch read with parseAs 'text' (ok) or its JSON-or-text error value. */
export function readResponse(
  response: Response,
  body: unknown,
  rateLimit: RateLimitState | undefined,
  now: number,
): Outcome {
  const { status, headers } = response;
  if (status >= 200 && status < 300) return readOkBody(response, body);
  if (status >= 300 && status < 400) {
    const location = headers.get('Location') ?? 'no Location';
    return unexpected(
      response,
      `HTTP ${status} redirect (${location}) not followed: the client never sends its credential to another address; check baseUrl`,
    );
  }
  const { errors, bodyProblem } = readErrors(body, headers);
  const resetAt = serverResetAt(status, headers, rateLimit, now);
  const ErrorClass = errorClassFor(status);
  return {
    ok: false,
    failure: {
      retryable: RETRYABLE_STATUSES.has(status),
      resetAt,
      toError(attempts, note) {
        const details: ApiErrorDetails = { status, errors, headers, rateLimit, attempts, bodyProblem, note };
        if (ErrorClass !== RateLimitError) return new ErrorClass(details);
        const retryAfterMs = resetAt === undefined ? undefined : Math.max(0, resetAt.getTime() - Date.now());
        return new RateLimitError({ ...details, resetAt, retryAfterMs });
      },
    },
  };
}

function errorClassFor(status: number): typeof ApiError {
  if (isRateLimitStatus(status)) return RateLimitError;
  if (status >= 500) return ServerError;
  return (
    { 400: BadRequestError, 401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError }[status] ??
    ApiError
  );
}

function readOkBody(response: Response, body: unknown): Outcome {
  const { status } = response;
  if (typeof body !== 'string' || body.trim() === '') {
    return unexpected(response, `HTTP ${status} with an empty body; expected JSON with result.chatId`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return unexpected(
      response,
      `HTTP ${status} with a body that is not JSON (${contentType(response.headers)}): ${snippet(body)}`,
    );
  }
  const problem = findProblem(operationRules.createChat.okResponseBody, parsed, 'body');
  if (problem !== undefined) {
    return unexpected(
      response,
      `HTTP ${status} body breaks the contract: ${problem.field} ${problem.problem}`,
    );
  }
  // `status` is not checked beyond the schema: the spec allows ERROR in a 200 body, and a valid chatId
  // means the chat exists. What a 200 cannot lack is the chat id.
  const { result } = parsed as { result?: { chatId: number } };
  if (result === undefined) return unexpected(response, `HTTP ${status} body has no result.chatId`);
  return { ok: true, chatId: result.chatId };
}

function readErrors(
  body: unknown,
  headers: Headers,
): { errors: ApiErrorDTO[]; bodyProblem: string | undefined } {
  if (body === undefined || body === '') return { errors: [], bodyProblem: 'empty body' };
  if (typeof body === 'string') {
    return { errors: [], bodyProblem: `body is not JSON (${contentType(headers)}): ${snippet(body)}` };
  }
  if (typeof body !== 'object' || body === null) {
    return { errors: [], bodyProblem: 'no error details in the body' }; // JSON null, a number, ...
  }
  const list = (body as { errors?: unknown }).errors;
  const errors: ApiErrorDTO[] = [];
  if (Array.isArray(list)) {
    for (const item of list) {
      const { code, message } = (item ?? {}) as { code?: unknown; message?: unknown };
      if (typeof code !== 'string') continue;
      errors.push(typeof message === 'string' ? { code, message } : { code });
    }
  }
  return { errors, bodyProblem: errors.length === 0 ? 'no error details in the body' : undefined };
}

function unexpected(response: Response, message: string): Outcome {
  const error = () => new UnexpectedResponseError(message, response);
  return { ok: false, failure: { retryable: false, resetAt: undefined, toError: error } };
}

function contentType(headers: Headers): string {
  return headers.get('Content-Type') ?? 'no Content-Type';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}...` : flat);
}
