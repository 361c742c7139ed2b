import { ApiError } from './api-error.ts';

/** HTTP 403 Forbidden: the token lacks the scope (communication or all-methods) or access to this business. Never retried. */
export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError';
}
