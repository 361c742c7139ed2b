import { ApiError } from './api-error.ts';

/** HTTP 404 Not Found: no such business, order or return. Never retried. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}
