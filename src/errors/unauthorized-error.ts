import { ApiError } from './api-error.ts';

/** HTTP 401 Unauthorized: the token is missing, invalid or expired. Never retried. */
export class UnauthorizedError extends ApiError {
  override name = 'UnauthorizedError';
}
