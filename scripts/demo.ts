// `npm start`: a short tour of the client.
//
// Without MARKET_* variables it starts the embedded Prism mock of openapi/openapi.yaml (scripts/lib/prism.ts)
// and, through the public client (src/index.ts):
//   1. creates a chat about an order and prints the chat id and the rate-limit state,
//   2. forces a 420 of the in-flight limit on the first attempt (Prism's `Prefer: code=420`) and shows it
//      sent again after a short wait, without using a retry,
//   3. sends a message and a small file to the customer,
//   4. forces a 500 on a message and shows the DeliveryUnknownError (a write is never sent twice),
//   5. reads the chat's history back through iterateChatHistory, page after page,
// then stops the mock. With MARKET_API_KEY (or MARKET_OAUTH_TOKEN), MARKET_BUSINESS_ID and MARKET_ORDER_ID
// (MARKET_BASE_URL optional) it runs step 1 against the real API: no mock, nothing forced.
//
// Any broken step exits 1 with a message naming the step. To see that: `npm start -- --spec <file>` (another
// spec for the mock) or `npm start -- --base-url <url>` (send the client somewhere other than the mock).
import { parseArgs } from 'node:util';
import {
  createMarketClient,
  DeliveryUnknownError,
  type MarketClient,
  type MarketClientOptions,
} from '../src/index.ts';
import { type LiveConfig, readLiveConfig } from './lib/demo-live-config.ts';
import { log, runDemo, StepError, step } from './lib/demo-steps.ts';
import { startPrism } from './lib/prism.ts';

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

    // The fetch the client uses. The mock answers every request with the spec's first example; this asks
    // it (Prism's `Prefer` header) for a forced status on the next request, and for the history's first
    // and last page by their page token, so that the tour can show retries and paging.
    let sent = 0;
    let forceNext: string | undefined;
    const mockFetch = (request: Request): Promise<Response> => {
      sent++;
      const url = new URL(request.url);
      if (forceNext !== undefined) request.headers.set('Prefer', forceNext);
      else if (url.pathname.endsWith('/chats/history')) {
        const page = url.searchParams.has('pageToken') ? 'lastPage' : 'firstPage';
        request.headers.set('Prefer', `example=${page}`);
      }
      forceNext = undefined;
      return fetch(request);
    };
    const market = await step('create the client', () =>
      createMarketClient({
        apiKey: 'demo-api-key',
        baseUrl: baseUrlOverride ?? prism.baseUrl,
        fetch: mockFetch,
        integration: INTEGRATION,
        timeoutMs: 10_000,
        hooks: {
          onRetry,
          onHeld: ({ reason, delayMs }) => log(`      held ${delayMs} ms (${reason}); not a retry`),
        },
      }),
    );
    const { businessId, orderId } = DEMO;

    log(`[1/5] createChat about order ${orderId} in business ${businessId}`);
    const { chatId } = await step('createChat (ORDER)', () => createOrderChat(market, businessId, orderId));
    log(`      chatId ${chatId}`);
    log(`      rate limit: ${rateLimitText(market)} (the spec's example headers)`);

    log('[2/5] the same call with a 420 forced on its first attempt, with maxRetries: 0');
    sent = 0;
    forceNext = 'code=420';
    const again = await step('createChat after a forced 420', async () => {
      const result = await createOrderChat(market, businessId, orderId, 0);
      if (sent !== 2) throw new Error(`expected the 420 to be sent again once, got ${sent} requests`);
      return result;
    });
    log(
      `      the 420 said quota is left (the in-flight limit): sent again, chatId ${again.chatId} on request ${sent}`,
    );

    log(`[3/5] sendMessageToChat and sendFileToChat in chat ${chatId}`);
    const message = 'Hello! Your order is packed and leaves today. 📦';
    await step('sendMessageToChat', () => market.sendMessageToChat({ businessId, chatId, message }));
    log(`      sent: ${JSON.stringify(message)}`);
    const file = new TextEncoder().encode('Order 5123456789: packed, 2 boxes.\n');
    await step('sendFileToChat', () =>
      market.sendFileToChat({
        businessId,
        chatId,
        file,
        fileName: 'packing-list.txt',
        contentType: 'text/plain',
      }),
    );
    log(`      sent: packing-list.txt (${file.byteLength} bytes, multipart/form-data)`);

    log('[4/5] a message whose answer is a 500: may or may not be delivered, so never sent twice');
    sent = 0;
    forceNext = 'code=500';
    const unknown = await step('sendMessageToChat after a forced 500', async () => {
      const outcome = await market.sendMessageToChat({ businessId, chatId, message }).then(
        () => new Error('expected a DeliveryUnknownError, but the call succeeded'),
        (caught: unknown) => caught,
      );
      if (!(outcome instanceof DeliveryUnknownError)) throw outcome;
      if (sent !== 1) throw new Error(`expected exactly one request, got ${sent}`);
      return outcome;
    });
    log(`      ${unknown.name} after ${sent} request: ${unknown.message}`);

    log(`[5/5] iterateChatHistory of chat ${chatId}, page by page`);
    const history = market.iterateChatHistory({ businessId, chatId, pageSize: 3 });
    const read = await step('iterateChatHistory', async () => {
      const lines: string[] = [];
      for await (const entry of history) {
        lines.push(`      #${entry.messageId} ${entry.sender}: ${entry.message ?? '(attachment)'}`);
      }
      return lines;
    });
    log(
      `      about ${history.context?.type ?? '?'} ${history.context?.orderId ?? ''}, ${read.length} messages:`,
    );
    for (const line of read) log(line);
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
