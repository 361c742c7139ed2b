// `npm start`: a short tour of the client.
//
// Without MARKET_* variables it starts the embedded Prism mock of openapi/openapi.yaml (contract-tests/prism.ts)
// and, through the public client (src/index.ts):
//   1. creates a chat about an order and prints the chat id and the rate-limit state,
//   2. forces a 420 on the first attempt (Prism's `Prefer: code=420`) and shows the retry that succeeds,
//   3. forces the same 420 with `maxRetries: 0` and shows the RateLimitError,
// then stops the mock. With MARKET_API_KEY (or MARKET_OAUTH_TOKEN), MARKET_BUSINESS_ID and MARKET_ORDER_ID
// (MARKET_BASE_URL optional) it runs step 1 against the real API: no mock, nothing forced.
//
// Any broken step exits 1 with a message naming the step. To see that: `npm start -- --spec <file>` (another
// spec for the mock) or `npm start -- --base-url <url>` (send the client somewhere other than the mock).
import { parseArgs } from 'node:util';
import { startPrism } from '../contract-tests/prism.ts';
import {
  createMarketClient,
  type MarketClient,
  type MarketClientOptions,
  RateLimitError,
} from '../src/index.ts';
import { log, runDemo, StepError, step } from './lib/demo-steps.ts';

const DEMO = { businessId: 123456, orderId: 5123456789 };
const INTEGRATION = 'yandex-market-chats-client-demo/0.1.0';

function rateLimitText(market: MarketClient): string {
  const rl = market.rateLimit;
  if (rl === undefined) return 'no X-RateLimit-Resource-* headers in the last response';
  return `${rl.remaining ?? '?'} of ${rl.limit ?? '?'} calls left, window resets ${rl.resetAt?.toISOString() ?? '?'}`;
}

function createOrderChat(market: MarketClient, businessId: number, orderId: number, maxRetries?: number) {
  return market.createChat(
    { businessId, context: { type: 'ORDER', id: orderId } },
    maxRetries === undefined ? {} : { maxRetries },
  );
}

const onRetry: NonNullable<NonNullable<MarketClientOptions['hooks']>['onRetry']> = ({
  attempt,
  delayMs,
  reason,
}) =>
  log(
    `      attempt ${attempt} failed (${reason.name}: ${reason.message}); retrying in ${Math.round(delayMs)} ms`,
  );

// ---- live mode -----------------------------------------------------------------------------------

interface LiveConfig {
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
function readLiveConfig(env: NodeJS.ProcessEnv): LiveConfig | undefined {
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

async function runLive(config: LiveConfig): Promise<void> {
  log(`createChat against the REAL API at ${config.baseUrl ?? 'the production host'} (nothing is forced)`);
  const market = await step('create the client', () =>
    createMarketClient({
      ...config.credential,
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
      integration: INTEGRATION,
      timeoutMs: 15_000,
      hooks: { onRetry },
    }),
  );
  const { chatId } = await step('createChat (ORDER)', () =>
    createOrderChat(market, config.businessId, config.orderId),
  );
  log(`  chat about order ${config.orderId} in business ${config.businessId}: chatId ${chatId}`);
  log(`  rate limit: ${rateLimitText(market)}`);
}

// ---- mock mode -----------------------------------------------------------------------------------

async function runMock(spec: string | undefined, baseUrlOverride: string | undefined): Promise<void> {
  log(`createChat against the embedded Prism mock of ${spec ?? 'openapi/openapi.yaml'}`);
  const started = performance.now();
  const prism = await step('start the Prism mock', () => startPrism(spec === undefined ? {} : { spec }));
  try {
    log(
      `      mock listening at ${prism.baseUrl} (started in ${Math.round(performance.now() - started)} ms)`,
    );

    // The fetch the client uses: asks the mock for a 420 on the attempt numbered `force420OnAttempt`.
    let attempts = 0;
    let force420OnAttempt = 0;
    const fetchForcing420 = (request: Request): Promise<Response> => {
      attempts++;
      if (attempts === force420OnAttempt) request.headers.set('Prefer', 'code=420');
      return fetch(request);
    };
    const retries: Error[] = [];
    const market = await step('create the client', () =>
      createMarketClient({
        apiKey: 'demo-api-key',
        baseUrl: baseUrlOverride ?? prism.baseUrl,
        fetch: fetchForcing420,
        integration: INTEGRATION,
        timeoutMs: 10_000,
        hooks: {
          onRetry: (event) => {
            retries.push(event.reason);
            onRetry(event);
          },
        },
      }),
    );
    const { businessId, orderId } = DEMO;

    log(`[1/3] createChat about order ${orderId} in business ${businessId}`);
    const { chatId } = await step('createChat (ORDER)', () => createOrderChat(market, businessId, orderId));
    log(`      chatId ${chatId}`);
    log(`      rate limit: ${rateLimitText(market)} (the spec's example headers)`);

    log('[2/3] the same call with a 420 forced on its first attempt (default maxRetries: 2)');
    attempts = 0;
    force420OnAttempt = 1;
    retries.length = 0;
    const retried = await step('createChat after a forced 420', async () => {
      const result = await createOrderChat(market, businessId, orderId);
      if (!(retries[0] instanceof RateLimitError) || attempts !== 2) {
        throw new Error(
          `expected one retry after a 420, got ${attempts} attempts (retried on: ${retries.map((e) => e.name).join(', ') || 'nothing'})`,
        );
      }
      return result;
    });
    log(`      succeeded on attempt ${attempts}: chatId ${retried.chatId}`);

    log('[3/3] the same forced 420 with maxRetries: 0');
    attempts = 0;
    force420OnAttempt = 1;
    const error = await step('createChat with retries off', async () => {
      const outcome = await createOrderChat(market, businessId, orderId, 0).then(
        () => new Error('expected a RateLimitError, but the call succeeded'),
        (caught: unknown) => caught,
      );
      if (!(outcome instanceof RateLimitError)) throw outcome;
      return outcome;
    });
    log(`      ${error.name}: ${error.message}`);
    log(
      `      status ${error.status}, code ${error.code ?? '?'}, attempts ${error.attempts}, ` +
        (error.resetAt === undefined
          ? `no reset time: ${error.rateLimit?.remaining ?? '?'} calls left, so the in-flight limit was hit`
          : `resetAt ${error.resetAt.toISOString()}`),
    );
  } finally {
    await step('stop the Prism mock', () => prism.stop());
  }
  log('mock stopped; all steps passed');
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = await step('read the command line', () =>
    parseArgs({ options: { spec: { type: 'string' }, 'base-url': { type: 'string' } } }),
  );
  const live = readLiveConfig(process.env);
  if (live === undefined) return runMock(values.spec, values['base-url']);
  if (values.spec !== undefined || values['base-url'] !== undefined) {
    throw new StepError('--spec and --base-url are for the mock; in live mode set MARKET_BASE_URL instead');
  }
  return runLive(live);
}

runDemo(main);
