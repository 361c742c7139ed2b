// The `./raw` subpath: openapi-fetch's typed client for the Chats API, with the credential, baseUrl and
// integration header checked and set as createMarketClient does. Apart from the main entry because
// openapi-fetch's createClient is needed here only (the engine sends through its own smaller sender).
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.ts';
import type { MarketClientSettings, MarketCredential } from '../client.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { connection } from '../internal/connection.ts';
import { checkFunction, checkKnownKeys } from '../internal/options.ts';

/** openapi-fetch's client, typed by the Chats API's paths. */
export type RawClient = Client<paths>;

export type RawClientOptions = MarketCredential &
  Pick<MarketClientSettings, 'baseUrl' | 'allowInsecureHttp' | 'fetch' | 'integration'>;

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
