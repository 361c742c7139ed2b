// `npm start`'s live mode: the MARKET_* variables, all checked before any request (scripts/demo.ts).
import { StepError } from './demo-steps.ts';

export interface LiveConfig {
  credential: { apiKey: string } | { oauthToken: string };
  businessId: number;
  orderId: number;
  baseUrl: string | undefined;
}

const LIVE_VARIABLES = [
  'MARKET_API_KEY',
  'MARKET_OAUTH_TOKEN',
  'MARKET_BUSINESS_ID',
  'MARKET_ORDER_ID',
  'MARKET_BASE_URL',
];

/** undefined when no MARKET_* variable is set (mock mode); otherwise all of them must be right. */
export function readLiveConfig(env: NodeJS.ProcessEnv): LiveConfig | undefined {
  if (!LIVE_VARIABLES.some((name) => (env[name]?.trim() ?? '') !== '')) return undefined;
  const problems: string[] = [];
  const positiveId = (name: string): number => {
    const text = env[name]?.trim() ?? '';
    const id = Number(text);
    if (text === '') problems.push(`${name} is not set`);
    else if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1) {
      problems.push(`${name} must be a positive integer, got "${text}"`);
    }
    return id;
  };
  const apiKey = env.MARKET_API_KEY?.trim() ?? '';
  const oauthToken = env.MARKET_OAUTH_TOKEN?.trim() ?? '';
  if (apiKey === '' && oauthToken === '')
    problems.push('MARKET_API_KEY (or the older MARKET_OAUTH_TOKEN) is not set');
  if (apiKey !== '' && oauthToken !== '')
    problems.push('set only one of MARKET_API_KEY and MARKET_OAUTH_TOKEN');
  const businessId = positiveId('MARKET_BUSINESS_ID');
  const orderId = positiveId('MARKET_ORDER_ID');
  const baseUrl = env.MARKET_BASE_URL?.trim() || undefined;
  if (baseUrl !== undefined && !URL.canParse(baseUrl))
    problems.push(`MARKET_BASE_URL is not a URL: "${baseUrl}"`);
  if (problems.length > 0) {
    throw new StepError(
      `live mode (a MARKET_* variable is set), but:\n  - ${problems.join('\n  - ')}\n` +
        'Set them all, or unset every MARKET_* variable to run against the embedded mock.',
    );
  }
  return { credential: apiKey !== '' ? { apiKey } : { oauthToken }, businessId, orderId, baseUrl };
}
