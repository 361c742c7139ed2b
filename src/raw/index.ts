// The `./raw` subpath: openapi-fetch's typed client for the Chats API, with the credential, baseUrl and
// integration header checked and set as createMarketClient does. Apart from the main entry because
// openapi-fetch's createClient is needed here only (the engine sends through its own smaller sender).
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { connection, type MarketCredential } from '../internal/connection.ts';
import { checkFunction, checkKnownKeys } from '../internal/options.ts';

/** openapi-fetch's client, typed by the Chats API's paths. */
export type RawClient = Client<paths>;

/** As createMarketClient's options of the same names. */
export type RawClientOptions = MarketCredential & {
  /** Default `PRODUCTION_BASE_URL`. Must be https, except on loopback or with allowInsecureHttp. */
  baseUrl?: string | undefined;
  /** Allow a plain `http://` baseUrl to a host that is not loopback (a mock in another container). */
  allowInsecureHttp?: boolean | undefined;
  /** The fetch to use, called with one `Request`. Default `globalThis.fetch`, looked up at call time. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Sent as `X-Market-Integration`. */
  integration?: string | undefined;
};

const RAW_OPTIONS = ['apiKey', 'oauthToken', 'baseUrl', 'allowInsecureHttp', 'fetch', 'integration'] as const;

/**
 * The typed openapi-fetch client, with baseUrl, credential and integration header set. It bypasses the
 * engine: no validation, slots, quota holds, retries, timeouts, typed errors or hooks. Throws a
 * ValidationError naming the option when an option is wrong.
 */
export function createRawClient(options: RawClientOptions): RawClient {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object with apiKey or oauthToken');
  }
  checkKnownKeys(options, RAW_OPTIONS, 'createRawClient');
  const { baseUrl, headers } = connection(options);
  const fetch = options.fetch === undefined ? undefined : checkFunction('fetch', options.fetch);
  // Redirects are not followed: fetch would resend the Api-Key header to wherever the server points.
  return createClient<paths>({
    baseUrl,
    headers,
    redirect: 'manual',
    // Without one, the global fetch is looked up at call time (so a stub set later is used).
    fetch: fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
}
