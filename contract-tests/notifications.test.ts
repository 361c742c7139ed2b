// The notification handler against openapi/notifications.yaml. Deliveries go through a Prism proxy in
// front of the handler (notifications-proxy.ts): each request example and fast-check-generated valid
// events, and the handler's 200, 400 and 500 answers; any sl-violations fails the test. Refusals Prism
// would answer itself (invalid body, wrong method or type, oversize, refused sender) call the handler
// directly, and their answers are validated with Ajv against the spec's schema for their status.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryDuplicateStore,
  createNotificationHandler,
  type Notification,
  type NotificationHandlerOptions,
  toNodeListener,
} from '../src/notifications/index.ts';
import { specValidator } from '../src/testing/spec-validator.ts';
import {
  NOTIFICATIONS_SPEC,
  type NotificationsProxy,
  startNotificationsProxy,
} from './notifications-proxy.ts';
import { loadSpec, requestExamples, specOperation } from './spec.ts';

type Json = Record<string, unknown>;
const spec = loadSpec(NOTIFICATIONS_SPEC);
const examples = requestExamples(spec, 'sendNotification');
const errorsAt = specValidator(spec.document);
const answerSchema = (status: number) => [
  'paths',
  '/notification',
  'post',
  'responses',
  String(status),
  'content',
  'application/json',
  'schema',
];

const received: Notification[] = [];
const record = (notification: Notification) => {
  received.push(notification);
};
function handler(options: Partial<NotificationHandlerOptions> = {}) {
  return createNotificationHandler({
    name: 'mug-shop-chats',
    version: '1.4.2',
    on: {
      PING: record,
      CHAT_CREATED: record,
      CHAT_MESSAGE_SENT: record,
      CHAT_ARBITRAGE_STARTED: record,
      CHAT_ARBITRAGE_FINISHED: record,
    },
    onOther: record,
    duplicates: false,
    ...options,
  });
}

let proxy: NotificationsProxy;
/** The codes the Prism proxy part below checks; the others are checked by calling the handler directly. */
const THROUGH_PROXY = [200, 400, 500];

beforeAll(async () => {
  proxy = await startNotificationsProxy();
}, 90_000);

afterAll(async () => {
  await proxy?.stop();
});

describe('through prism proxy --errors', () => {
  it.each(examples.map((example) => [example.name, example] as const))(
    'example %s reaches its callback and is answered 200 as the spec says',
    async (_, example) => {
      proxy.use(toNodeListener(handler()));
      received.length = 0;
      const answer = await proxy.deliver(example.value);
      expect(answer.violations).toBeNull();
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ name: 'mug-shop-chats', version: '1.4.2' });
      expect(received).toEqual([example.value]);
    },
  );

  it('generated valid events of every type are accepted by Prism and the handler alike', async () => {
    proxy.use(toNodeListener(handler()));
    await fc.assert(
      fc.asyncProperty(validNotification, async (notification) => {
        received.length = 0;
        const answer = await proxy.deliver(notification);
        expect(answer.violations).toBeNull();
        expect(answer.status).toBe(200);
        expect(received).toEqual([notification]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("a failing callback's 500, a timeout's 500 and a DUPLICATED_EVENT 400 match the spec", async () => {
    const message = examples.find(({ name }) => name === 'chatMessageSent');
    const failing = handler({
      on: {
        CHAT_MESSAGE_SENT: () => {
          throw new Error('down');
        },
      },
    });
    proxy.use(toNodeListener(failing));
    const failed = await proxy.deliver(message?.value);
    expect([failed.status, failed.violations]).toEqual([500, null]);

    proxy.use(
      toNodeListener(handler({ on: { CHAT_MESSAGE_SENT: () => new Promise(() => {}) }, timeoutMs: 50 })),
    );
    const slow = await proxy.deliver(message?.value);
    expect([slow.status, slow.violations]).toEqual([500, null]);

    proxy.use(
      toNodeListener(
        handler({ duplicates: createMemoryDuplicateStore(), duplicateAnswer: 'DUPLICATED_EVENT' }),
      ),
    );
    expect((await proxy.deliver(message?.value)).status).toBe(200);
    const duplicate = await proxy.deliver(message?.value);
    expect([duplicate.status, duplicate.violations]).toEqual([400, null]);
    expect(duplicate.body).toMatchObject({ error: { type: 'DUPLICATED_EVENT' } });
  });

  it('an invalid notification is refused by Prism (422) without reaching the handler', async () => {
    proxy.use(toNodeListener(handler()));
    const before = proxy.upstreamRequests();
    const answer = await proxy.deliver({
      notificationType: 'CHAT_CREATED',
      businessId: 1,
      createdAt: 'yesterday',
    });
    expect(answer.status).toBe(422);
    expect(proxy.upstreamRequests()).toBe(before);
  });

  it('an answer that breaks the spec is caught (the check above can fail)', async () => {
    proxy.use((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ version: '', name: 'x', time: 'now' }));
    });
    const answer = await proxy.deliver({ notificationType: 'PING' });
    expect(answer.violations).not.toBeNull();
  });
});

describe('refusals, calling the handler directly', () => {
  const message = examples.find(({ name }) => name === 'chatMessageSent')?.value as Json | undefined;
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    new Request('http://localhost/notification', { method: 'POST', headers, body });
  // A body whose first byte comes and the rest never does.
  const dripping = () =>
    new Request('http://localhost/notification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{')) }),
      duplex: 'half',
    } as RequestInit);
  const cases: [string, () => Promise<Response>, number][] = [
    ['a field missing', () => handler()(post(JSON.stringify({ ...message, chatId: undefined }))), 400],
    ['not JSON', () => handler()(post('{')), 400],
    ['a GET', () => handler()(new Request('http://localhost/notification')), 405],
    [
      'a form body',
      () => handler()(post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })),
      415,
    ],
    ['an oversized body', () => handler({ maxBodyBytes: 16 })(post(JSON.stringify(message))), 413],
    ['a body that drips', () => handler({ bodyTimeoutMs: 20 })(dripping()), 408],
    [
      'a sender outside Yandex',
      () => handler({ senderCheck: {} })(post(JSON.stringify(message)), { remoteAddress: '203.0.113.7' }),
      403,
    ],
  ];

  it('every response code of notifications.yaml is checked in this file', () => {
    const checked = new Set([...THROUGH_PROXY, ...cases.map(([, , status]) => status)]);
    expect([...checked].map(String).sort()).toEqual(
      [...specOperation(spec, 'sendNotification').codes].sort(),
    );
  });

  it.each(cases)('%s: answered as the spec declares for its status', async (_, send, status) => {
    received.length = 0;
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(errorsAt(answerSchema(status), await response.json())).toEqual([]);
    expect(received).toEqual([]);
  });
});

// ---- valid notifications, as Yandex may send them -------------------------------------------------

const MODELLED = [
  'PING',
  'CHAT_CREATED',
  'CHAT_MESSAGE_SENT',
  'CHAT_ARBITRAGE_STARTED',
  'CHAT_ARBITRAGE_FINISHED',
];
const id = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000_000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);
const dateTime = fc
  .tuple(
    fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('Z', '+03:00', '-05:30'),
  )
  .map(([date, zone]) => date.toISOString().replace('Z', zone));
const chat = { chatId: id, businessId: id };
const validNotification: fc.Arbitrary<Json> = fc.oneof(
  fc.record(
    { notificationType: fc.constant('PING'), time: dateTime },
    { requiredKeys: ['notificationType'] },
  ),
  fc.record({ notificationType: fc.constant('CHAT_CREATED'), ...chat, createdAt: dateTime }),
  fc.record({
    notificationType: fc.constant('CHAT_MESSAGE_SENT'),
    ...chat,
    messageId: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
    sentAt: dateTime,
  }),
  fc.record({ notificationType: fc.constant('CHAT_ARBITRAGE_STARTED'), ...chat, startedAt: dateTime }),
  fc.record({ notificationType: fc.constant('CHAT_ARBITRAGE_FINISHED'), ...chat, finishedAt: dateTime }),
  fc.record(
    {
      notificationType: fc.oneof(
        fc.constantFrom(
          'ORDER_CREATED',
          'ORDER_STATUS_UPDATED',
          'GOODS_FEEDBACK_CREATED',
          'QUESTION_CREATED',
        ),
        fc.stringMatching(/^[A-Z][A-Z_]{0,30}$/).filter((type) => !MODELLED.includes(type)),
      ),
      orderId: id,
      // As JSON carries it: fc.jsonValue can give -0, which JSON turns into 0.
      extra: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as Json),
    },
    { requiredKeys: ['notificationType'] },
  ),
);
