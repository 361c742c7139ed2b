// `npm run demo:notifications`: the receive-and-reply loop in one command, all on loopback.
//
// Starts the Prism mock of openapi/openapi.yaml (the Partner API the reply goes to) and the notification
// handler (src/notifications, through its public entry) on 127.0.0.1 with toNodeListener, then delivers,
// as Yandex would: a PING, a CHAT_MESSAGE_SENT from the customer, one from the seller itself (PARTNER),
// the customer's again (a duplicate) and a broken one. For each new message the callback reads it and
// answers only the customer's, never the seller's own: see replyToCustomer below.
//
// Any broken step exits 1 with a message naming the step.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMarketClient, type MarketClient } from '../src/index.ts';
import {
  createNotificationHandler,
  messageIdToNumber,
  type NotificationOf,
  toNodeListener,
} from '../src/notifications/index.ts';
import { log, runDemo, step } from './lib/demo-steps.ts';
import { startPrism } from './lib/prism.ts';

type ChatMessageSent = NotificationOf<'CHAT_MESSAGE_SENT'>;

const BUSINESS_ID = 123456;
const CHAT_ID = 987654321;
const CUSTOMER_MESSAGE_ID = '5123456001';
const SELLER_MESSAGE_ID = '5123456002';
const REPLY = 'Thank you for your message! We will check the order and answer within the hour.';

// ---- the reply step ---------------------------------------------------------------------------------

/**
 * THE REPLY STEP. Reads the new message with getChatMessage and, only when the customer sent it, answers
 * through sendMessageToChat; the seller's own messages (PARTNER), Market's and support's get no reply.
 * Returns what it did, for the log.
 */
async function replyToCustomer(market: MarketClient, event: ChatMessageSent): Promise<string> {
  const { businessId, chatId } = event;
  const messageId = messageIdToNumber(event.messageId); // the notification's string, as getChatMessage takes it
  const message = await market.getChatMessage({ businessId, chatId, messageId });
  log(`      read message ${messageId}: from ${message.sender}: ${JSON.stringify(message.message ?? '')}`);
  if (message.sender !== 'CUSTOMER') return `message ${messageId} is from ${message.sender}: no reply`;
  await market.sendMessageToChat({ businessId, chatId, message: REPLY });
  log(`      answered through sendMessageToChat: ${JSON.stringify(REPLY)}`);
  return `message ${messageId} is from CUSTOMER: replied`;
}

/**
 * The mock answers every getChatMessage with the spec's first example (a customer's message). So that it
 * plays Yandex for the seller's own message too, the demo asks it for the spec's `partnerMessage` example
 * when that message is read (Prism's `Prefer` header). Only the demo's mock needs this.
 */
function mockThatKnowsTheSeller(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.searchParams.get('messageId') !== SELLER_MESSAGE_ID) return fetch(request);
  const headers = new Headers(request.headers);
  headers.set('Prefer', 'example=partnerMessage');
  return fetch(new Request(request, { headers }));
}

// ---- delivering notifications as Yandex does ---------------------------------------------------------

function chatMessageSent(messageId: string): ChatMessageSent {
  return {
    notificationType: 'CHAT_MESSAGE_SENT',
    chatId: CHAT_ID,
    messageId,
    businessId: BUSINESS_ID,
    sentAt: new Date().toISOString(),
  };
}

async function deliver(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000), // what Yandex waits
  });
  return { status: response.status, text: await response.text() };
}

function expectStatus(answer: { status: number; text: string }, status: number): string {
  if (answer.status !== status)
    throw new Error(`expected HTTP ${status}, got ${answer.status}: ${answer.text}`);
  return `HTTP ${answer.status} ${answer.text}`;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notification`;
}

async function main(): Promise<void> {
  log('1. start the Prism mock of the Partner API (where the reply goes)');
  const prism = await step('start the Prism mock', () => startPrism());
  log(`      mock listening at ${prism.baseUrl}`);
  const server = createServer();
  try {
    const market = createMarketClient({
      apiKey: 'demo-api-key',
      baseUrl: prism.baseUrl,
      fetch: mockThatKnowsTheSeller,
    });
    const replies: string[] = [];
    const handler = createNotificationHandler({
      name: 'yandex-market-chats-client-demo',
      version: '0.1.0',
      on: {
        CHAT_MESSAGE_SENT: async (event, { key }) => {
          log(`      callback: ${key}`);
          replies.push(await replyToCustomer(market, event));
          log(`      ${replies.at(-1)}`);
        },
      },
      // Loopback stands in for Yandex's networks here; in production leave `networks` at its default.
      senderCheck: { networks: ['127.0.0.0/8'] },
      hooks: { onDuplicate: ({ key }) => log(`      duplicate dropped: ${key}`) },
    });
    server.on('request', toNodeListener(handler));

    log('2. start the notification handler on loopback (node:http + toNodeListener)');
    const url = await step('start the handler', () => listen(server));
    log(`      POST ${url}`);

    log('3. Yandex checks the endpoint: PING');
    log(
      `      ${await step('PING', async () => expectStatus(await deliver(url, { notificationType: 'PING' }), 200))}`,
    );

    log(`4. the customer writes: CHAT_MESSAGE_SENT messageId ${CUSTOMER_MESSAGE_ID}`);
    const customer = chatMessageSent(CUSTOMER_MESSAGE_ID);
    log(
      `      ${await step("the customer's message", async () => expectStatus(await deliver(url, customer), 200))}`,
    );

    log(`5. the seller's own reply comes back as CHAT_MESSAGE_SENT messageId ${SELLER_MESSAGE_ID}`);
    const seller = chatMessageSent(SELLER_MESSAGE_ID);
    log(
      `      ${await step("the seller's message", async () => expectStatus(await deliver(url, seller), 200))}`,
    );

    log("6. Yandex delivers the customer's message again");
    log(`      ${await step('the duplicate', async () => expectStatus(await deliver(url, customer), 200))}`);

    log('7. a notification missing a field');
    const broken = { ...customer, chatId: undefined };
    log(
      `      ${await step('the broken notification', async () => expectStatus(await deliver(url, broken), 400))}`,
    );

    await step('check the replies', () => {
      const expected = [
        `message ${CUSTOMER_MESSAGE_ID} is from CUSTOMER: replied`,
        `message ${SELLER_MESSAGE_ID} is from PARTNER: no reply`,
      ];
      if (JSON.stringify(replies) !== JSON.stringify(expected)) {
        throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(replies)}`);
      }
    });
  } finally {
    await step('stop the handler', () => new Promise((resolve) => server.close(resolve)));
    await step('stop the Prism mock', () => prism.stop());
  }
  log('handler and mock stopped; all steps passed');
}

runDemo(main);
