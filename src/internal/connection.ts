// What createMarketClient and createRawClient (the `./raw` subpath) both check and set up: exactly one
// credential, the integration name and the baseUrl, made into the headers and the URL every request uses.
import { ValidationError } from '../errors/validation-error.ts';
import { checkBaseUrl, checkBoolean, checkHeaderText, checkToken } from './options.ts';

/** The production host of the Yandex Market Partner API. */
export const PRODUCTION_BASE_URL = 'https://api.partner.market.yandex.ru';

/**
 * Exactly one credential. Its value may be typed `string | undefined` (straight from `process.env`); a
 * missing or empty one is a ValidationError when the client is created.
 */
export type MarketCredential =
  | {
      /** An Api-Key token (scope `communication` or `all-methods`), sent as `Api-Key: <token>`. */
      apiKey: string | undefined;
      oauthToken?: undefined;
    }
  | {
      /** An OAuth token, sent as `Authorization: Bearer <token>`. Deprecated by Yandex in favour of `apiKey`. */
      oauthToken: string | undefined;
      apiKey?: undefined;
    };

export interface ConnectionOptions {
  apiKey?: string | undefined;
  oauthToken?: string | undefined;
  integration?: string | undefined;
  baseUrl?: string | undefined;
  allowInsecureHttp?: boolean | undefined;
}

/** The checked baseUrl and the headers sent with every request: the credential and `X-Market-Integration`. */
export function connection(options: ConnectionOptions): { baseUrl: string; headers: Record<string, string> } {
  const headers = credentialHeaders(options);
  if (options.integration !== undefined) {
    headers['X-Market-Integration'] = checkHeaderText('integration', options.integration);
  }
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? PRODUCTION_BASE_URL,
    checkBoolean('allowInsecureHttp', options.allowInsecureHttp ?? false),
  );
  return { baseUrl, headers };
}

function credentialHeaders(options: ConnectionOptions): Record<string, string> {
  const { apiKey, oauthToken } = options;
  if (apiKey !== undefined && oauthToken !== undefined) {
    throw new ValidationError('apiKey', 'and oauthToken are exclusive: give one of them');
  }
  if (apiKey !== undefined) return { 'Api-Key': checkToken('apiKey', apiKey) };
  if (oauthToken !== undefined) return { Authorization: `Bearer ${checkToken('oauthToken', oauthToken)}` };
  throw new ValidationError('apiKey', 'is required (or oauthToken): got neither; is MARKET_API_KEY set?');
}
