import { ApiError } from './api-error.ts';

/** HTTP 5xx: the server failed. Thrown after the retries (500, 502, 503, 504 are retried). */
export class ServerError extends ApiError {
  override name = 'ServerError';
}
