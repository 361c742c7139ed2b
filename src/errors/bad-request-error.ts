import { ApiError } from './api-error.ts';

/** HTTP 400 Bad Request: the request did not pass the API's checks. Never retried. */
export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
