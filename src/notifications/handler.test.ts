// createNotificationHandler answers as openapi/notifications.yaml says and calls each callback once per event.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ValidationError } from '../errors/validation-error.ts';
import { createNotificationHandler, type NotificationHandlerOptions } from './handler.ts';
import type { NotificationOf } from './types.ts';

const MESSAGE: NotificationOf<'CHAT_MESSAGE_SENT'> = {
  notificationType: 'CHAT_MESSAGE_SENT',
  chatId: 987654321,
  messageId: '5123456001',
  businessId: 123456,
  sentAt: '2026-11-25T19:42:17.512Z',
};

function post(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return new Request('http://localhost/notification', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function handlerWith(options: Partial<NotificationHandlerOptions> = {}) {
  return createNotificationHandler({ name: 'mug-shop-chats', version: '1.4.2', on: {}, ...options });
}

const read = async (response: Response) => ({ status: response.status, body: await response.json() });

afterEach(() => {
  vi.useRealTimers();
});

describe('a valid notification', () => {
  it('reaches its typed callback, then is answered 200 with name, version and the time it arrived', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T19:42:18.000Z'), toFake: ['Date'] });
    const seen: unknown[] = [];
    const handler = handlerWith({
      on: {
        CHAT_MESSAGE_SENT: async (notification, { key, remoteAddress }) => {
          seen.push([notification.messageId, key, remoteAddress]);
        },
      },
    });
    expect(await read(await handler(post(MESSAGE), { remoteAddress: '5.45.207.10' }))).toEqual({
      status: 200,
      body: { version: '1.4.2', name: 'mug-shop-chats', time: '2026-11-25T19:42:18.000Z' },
    });
    expect(seen).toEqual([['5123456001', 'CHAT_MESSAGE_SENT 123456/987654321/5123456001', '5.45.207.10']]);
  });

  it('is answered only after its callback resolved', async () => {
    let finish = () => {};
    const handler = handlerWith({
      on: { CHAT_CREATED: () => new Promise<void>((resolve) => (finish = resolve)) },
    });
    let answered = false;
    const answer = handler(
      post({ notificationType: 'CHAT_CREATED', chatId: 1, businessId: 2, createdAt: '2026-11-25T10:00:00Z' }),
    ).then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    finish();
    expect((await answer).status).toBe(200);
  });

  it('PING is answered 200 without user code, or through on.PING when given', async () => {
    expect((await handlerWith()(post({ notificationType: 'PING' }))).status).toBe(200);
    const ping = vi.fn();
    const handler = handlerWith({ on: { PING: ping } });
    expect((await handler(post({ notificationType: 'PING', time: '2026-11-25T19:40:00Z' }))).status).toBe(
      200,
    );
    expect((await handler(post({ notificationType: 'PING', time: '2026-11-25T19:40:00Z' }))).status).toBe(
      200,
    );
    expect(ping).toHaveBeenCalledTimes(2); // a PING is never a duplicate
  });

  it('of a type the library does not model goes to onOther and is answered 200; without onOther too', async () => {
    const order = { notificationType: 'ORDER_CREATED', orderId: 5, campaignId: 7, items: [], createdAt: 'x' };
    const onOther = vi.fn();
    expect((await handlerWith({ onOther })(post(order))).status).toBe(200);
    expect(onOther).toHaveBeenCalledWith(
      order,
      expect.objectContaining({ key: expect.stringMatching(/^ORDER_CREATED /) }),
    );
    expect((await handlerWith()(post({ notificationType: 'SOMETHING_NEW_IN_2027' }))).status).toBe(200);
    // Names of Object.prototype's members are just other types, not rules.
    for (const notificationType of ['constructor', '__proto__', 'toString']) {
      onOther.mockClear();
      expect((await handlerWith({ onOther })(post({ notificationType }))).status).toBe(200);
      expect(onOther).toHaveBeenCalledTimes(1);
    }
  });

  it('without a callback for its type is answered 200 at once', async () => {
    expect((await handlerWith()(post(MESSAGE))).status).toBe(200);
  });
});

describe('an invalid body', () => {
  const cases: [string, unknown, string][] = [
    ['a missing field', { ...MESSAGE, chatId: undefined }, 'chatId is required'],
    [
      'a number messageId',
      { ...MESSAGE, messageId: 5123456001 },
      'messageId must be a string, got 5123456001',
    ],
    ['a date that is not a date-time', { ...MESSAGE, sentAt: '2026-11-25' }, 'sentAt'],
    ['a chatId below 1', { ...MESSAGE, chatId: 0 }, 'chatId must be >= 1, got 0'],
    ['no notificationType', { chatId: 1 }, 'notificationType is required'],
    ['an empty notificationType', { notificationType: '' }, 'notificationType'],
    ['an array', [MESSAGE], 'body must be an object'],
    ['JSON null', null, 'body must be an object, got null'],
    ['a JSON string', '"text"', 'body must be an object'],
    ['not JSON', '{"notificationType":', 'body is not valid JSON'],
  ];
  it.each(cases)(
    '(%s) is answered 400 WRONG_EVENT_FORMAT naming the field; no callback runs',
    async (_, body, message) => {
      const callback = vi.fn();
      const onRefused = vi.fn();
      const handler = handlerWith({
        on: { CHAT_MESSAGE_SENT: callback },
        onOther: callback,
        hooks: { onRefused },
      });
      const answer = await read(await handler(post(body)));
      expect(answer.status).toBe(400);
      expect(answer.body.error.type).toBe('WRONG_EVENT_FORMAT');
      expect(answer.body.error.message).toContain(message);
      expect(callback).not.toHaveBeenCalled();
      expect(onRefused).toHaveBeenCalledWith(
        expect.objectContaining({ status: 400, message: answer.body.error.message }),
      );
    },
  );
});

describe('requests that are not notifications', () => {
  it('another method: 405 with Allow: POST', async () => {
    const response = await handlerWith()(new Request('http://localhost/notification'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('another content type: 415', async () => {
    expect((await handlerWith()(post(MESSAGE, { 'content-type': 'text/plain' }))).status).toBe(415);
    expect(
      (await handlerWith()(post(MESSAGE, { 'content-type': 'application/json; charset=utf-8' }))).status,
    ).toBe(200);
  });

  it('a body over maxBodyBytes: 413 without reading it all', async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const request = new Request('http://localhost/notification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const answer = await read(await handlerWith({ maxBodyBytes: 4096 })(request));
    expect(answer).toEqual({
      status: 413,
      body: { error: { type: 'WRONG_EVENT_FORMAT', message: 'body is larger than 4096 bytes' } },
    });
    expect(pulls).toBeLessThan(10);
  });

  it('a declared Content-Length over the limit: 413 before reading a byte', async () => {
    const request = post(MESSAGE, { 'content-type': 'application/json', 'content-length': '100000' });
    expect((await handlerWith()(request)).status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });
});

describe('a callback that fails', () => {
  it('is answered 500 UNKNOWN without its message or stack, and reported to onError', async () => {
    const onError = vi.fn();
    const failure = new Error('database password is hunter2');
    const handler = handlerWith({
      on: { CHAT_MESSAGE_SENT: () => Promise.reject(failure) },
      hooks: { onError },
    });
    const response = await handler(post(MESSAGE));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text).error.type).toBe('UNKNOWN');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(onError).toHaveBeenCalledWith({
      error: failure,
      notification: MESSAGE,
      key: 'CHAT_MESSAGE_SENT 123456/987654321/5123456001',
      timedOut: false,
    });
  });

  it('a throwing hook changes nothing', async () => {
    const handler = handlerWith({
      on: {
        CHAT_MESSAGE_SENT: () => {
          throw new Error('boom');
        },
      },
      hooks: {
        onError: () => {
          throw new Error('hook');
        },
      },
    });
    expect((await handler(post(MESSAGE))).status).toBe(500);
  });

  it('that runs past timeoutMs is answered 500 at the timeout, its signal aborted; a later success still counts', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    let finish = () => {};
    const onError = vi.fn();
    const callback = vi.fn((_: unknown, context: { signal: AbortSignal }) => {
      signal = context.signal;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, hooks: { onError } });
    const answer = handler(post(MESSAGE));
    await vi.advanceTimersByTimeAsync(8_999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const response = await answer;
    expect(response.status).toBe(500);
    expect((await response.json()).error.message).toBe('handling took longer than 9000 ms; send it again');
    expect(signal?.aborted).toBe(true);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ timedOut: true }));
    finish();
    await vi.advanceTimersByTimeAsync(0);
    // Yandex resends it: the late success made it a duplicate.
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('on.PING gets pingTimeoutMs (900 ms by default)', async () => {
    vi.useFakeTimers();
    const handler = handlerWith({ on: { PING: () => new Promise(() => {}) } });
    const answer = handler(post({ notificationType: 'PING' }));
    await vi.advanceTimersByTimeAsync(900);
    expect((await answer).status).toBe(500);
  });
});

describe('duplicates', () => {
  it('a handled event is not handled again: 200 by default, 400 DUPLICATED_EVENT on request', async () => {
    const callback = vi.fn();
    const onDuplicate = vi.fn();
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, hooks: { onDuplicate } });
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(onDuplicate).toHaveBeenCalledTimes(1);

    const strict = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, duplicateAnswer: 'DUPLICATED_EVENT' });
    await strict(post(MESSAGE));
    expect(await read(await strict(post(MESSAGE)))).toEqual({
      status: 400,
      body: {
        error: {
          type: 'DUPLICATED_EVENT',
          message: 'CHAT_MESSAGE_SENT 123456/987654321/5123456001 was already handled',
        },
      },
    });
  });

  it('a failed event is handled again when resent: a key counts only after its callback succeeded', async () => {
    const callback = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(undefined);
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback } });
    expect((await handler(post(MESSAGE))).status).toBe(500);
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('a redelivery while the first still runs waits for it instead of running twice', async () => {
    let finish = () => {};
    const callback = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, duplicateAnswer: 'DUPLICATED_EVENT' });
    const first = handler(post(MESSAGE));
    const second = handler(post(MESSAGE));
    await new Promise((resolve) => setTimeout(resolve, 10));
    finish();
    expect([(await first).status, (await second).status]).toEqual([200, 400]);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('duplicates: false runs the callback for every delivery; a custom store is consulted and filled', async () => {
    const callback = vi.fn();
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: false });
    await handler(post(MESSAGE));
    await handler(post(MESSAGE));
    expect(callback).toHaveBeenCalledTimes(2);

    const added: string[] = [];
    const store = {
      has: async (key: string) => added.includes(key),
      add: async (key: string) => void added.push(key),
    };
    const shared = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: store });
    await shared(post(MESSAGE));
    await shared(post(MESSAGE));
    expect(added).toEqual(['CHAT_MESSAGE_SENT 123456/987654321/5123456001']);
    expect(callback).toHaveBeenCalledTimes(3);
  });
});

describe('options', () => {
  it.each([
    [{ name: '' }, 'name'],
    [{ version: 'v'.repeat(101) }, 'version'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ maxBodyBytes: 1.5 }, 'maxBodyBytes'],
    [{ pingTimeoutMs: 0 }, 'pingTimeoutMs'],
    [{ on: null }, 'on'],
    [{ on: 'PING' }, 'on'],
    [{ on: undefined }, 'on'],
    [{ senderCheck: { networks: ['10.0.0.0/33'] } }, 'senderCheck.networks[0]'],
  ] as const)('%o is refused at creation, naming %s', (options, field) => {
    expect(() => handlerWith(options as Partial<NotificationHandlerOptions>)).toThrow(
      expect.objectContaining({ field }) as ValidationError,
    );
  });
});

describe('the sender check', () => {
  it('is off by default, and refuses other senders with 403 when on', async () => {
    expect((await handlerWith()(post(MESSAGE), { remoteAddress: '203.0.113.7' })).status).toBe(200);
    const checked = handlerWith({ senderCheck: {} });
    expect(await read(await checked(post(MESSAGE), { remoteAddress: '203.0.113.7' }))).toEqual({
      status: 403,
      body: { error: { type: 'UNKNOWN', message: 'sender 203.0.113.7 is not in the allowed networks' } },
    });
    expect((await checked(post(MESSAGE), { remoteAddress: '::ffff:141.8.142.77' })).status).toBe(200);
  });
});

describe('more options', () => {
  it('options that are not an object are refused naming options', () => {
    for (const options of [undefined, null, 'name']) {
      expect(() => createNotificationHandler(options as never)).toThrow(
        expect.objectContaining({
          field: 'options',
          message: 'options must be an object with name, version and on',
        }),
      );
    }
  });

  it('a time budget of 1 ms is allowed; 0 is refused saying why', () => {
    expect(() => handlerWith({ timeoutMs: 1, pingTimeoutMs: 1, maxBodyBytes: 1 })).not.toThrow();
    expect(() => handlerWith({ timeoutMs: 0 })).toThrow('timeoutMs must be an integer >= 1, got 0');
    expect(() => handlerWith({ on: 5 as never })).toThrow(
      'on must be an object of callbacks by notification type',
    );
  });
});

describe('hooks and answers in detail', () => {
  it('the answer to a failed callback names no detail; onError hears it once, not timed out', async () => {
    const onError = vi.fn();
    const handler = handlerWith({
      on: { CHAT_MESSAGE_SENT: () => Promise.reject(new Error('x')) },
      hooks: { onError },
    });
    expect(await read(await handler(post(MESSAGE)))).toEqual({
      status: 500,
      body: { error: { type: 'UNKNOWN', message: 'the notification could not be handled; send it again' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('a callback that fails after its timeout is reported again, as timed out', async () => {
    vi.useFakeTimers();
    const onError = vi.fn();
    const late = new Error('failed late');
    let fail = (_: Error) => {};
    const handler = handlerWith({
      on: { CHAT_MESSAGE_SENT: () => new Promise<void>((_, reject) => (fail = reject)) },
      hooks: { onError },
      timeoutMs: 100,
    });
    const answer = handler(post(MESSAGE));
    await vi.advanceTimersByTimeAsync(100);
    expect((await answer).status).toBe(500);
    const [first] = onError.mock.calls[0] ?? [];
    expect(first.error.name).toBe('CallbackTimeoutError');
    expect(first.error.message).toBe('the callback did not finish within 100 ms');
    expect(first.timedOut).toBe(true);
    fail(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenLastCalledWith({
      error: late,
      notification: MESSAGE,
      key: 'CHAT_MESSAGE_SENT 123456/987654321/5123456001',
      timedOut: true,
    });
    // It failed, so a resend runs the callback again.
  });

  it('no timer outlives a delivery', async () => {
    vi.useFakeTimers();
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: () => undefined } });
    expect((await handler(post(MESSAGE))).status).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('onDuplicate hears the notification and its key', async () => {
    const onDuplicate = vi.fn();
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: vi.fn() }, hooks: { onDuplicate } });
    await handler(post(MESSAGE));
    await handler(post(MESSAGE));
    expect(onDuplicate).toHaveBeenCalledWith({
      notification: MESSAGE,
      key: 'CHAT_MESSAGE_SENT 123456/987654321/5123456001',
    });
  });

  it('an async hook that rejects leaves no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const handler = handlerWith({
        hooks: {
          onRefused: async () => {
            throw new Error('metrics down');
          },
        },
      });
      expect((await handler(new Request('http://localhost/notification'))).status).toBe(405);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('an invalid body is answered with exactly the field and the problem', async () => {
    const answer = await read(await handlerWith()(post({ ...MESSAGE, chatId: undefined })));
    expect(answer.body.error.message).toBe('chatId is required');
    const notObject = await read(await handlerWith()(post(5)));
    expect(notObject.body.error.message).toBe('body must be an object, got 5');
  });

  it('a POST without a body is not JSON: 400', async () => {
    const request = new Request('http://localhost/notification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect((await read(await handlerWith()(request))).body.error.message).toBe('body is not valid JSON');
  });
});

describe('a redelivery while the first delivery runs', () => {
  it('fails too when the first one fails', async () => {
    let fail = () => {};
    const callback = vi.fn(() => new Promise<void>((_, reject) => (fail = () => reject(new Error('down')))));
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback } });
    const first = handler(post(MESSAGE));
    const second = handler(post(MESSAGE));
    await new Promise((resolve) => setTimeout(resolve, 10));
    fail();
    expect([(await first).status, (await second).status]).toEqual([500, 500]);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('times out on its own budget, answering 500 like the first', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const handler = handlerWith({
      on: {
        CHAT_MESSAGE_SENT: (_, context) => {
          signal = context.signal;
          return new Promise<void>(() => {});
        },
      },
      timeoutMs: 1_000,
    });
    const first = handler(post(MESSAGE));
    await vi.advanceTimersByTimeAsync(500);
    const second = handler(post(MESSAGE));
    await vi.advanceTimersByTimeAsync(500);
    expect((await first).status).toBe(500);
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    const answer = await read(await second);
    expect(answer).toEqual({
      status: 500,
      body: { error: { type: 'UNKNOWN', message: 'handling took longer than 1000 ms; send it again' } },
    });
  });

  it('with duplicates: false, runs the callback again at once', async () => {
    const finishers: (() => void)[] = [];
    const callback = vi.fn(() => new Promise<void>((resolve) => finishers.push(resolve)));
    const handler = handlerWith({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: false });
    const first = handler(post(MESSAGE));
    const second = handler(post(MESSAGE));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(callback).toHaveBeenCalledTimes(2);
    for (const finish of finishers) finish();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
  });
});
