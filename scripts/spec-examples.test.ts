// Every example in openapi/openapi.yaml validates against its schema (Prism serves them to the contract tests).
import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NOTIFICATIONS_SPEC } from './lib/generate-notification-files.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';
import { validateExamples } from './lib/validate-examples.ts';

const SPEC = 'openapi/openapi.yaml';
const invalid = (results: Awaited<ReturnType<typeof validateExamples>>) =>
  results.filter(({ errors }) => errors.length > 0);

describe(SPEC, () => {
  it('has only valid examples', async () => {
    expect(invalid(await validateExamples(SPEC))).toEqual([]);
  });

  it('has an ORDER and a RETURN request example and an example for every response', async () => {
    const names = (await validateExamples(SPEC)).map(({ name }) => name);
    const body = 'paths./v2/businesses/{businessId}/chats/new.post.requestBody.content.application/json';
    expect(names).toContain(`${body} example "order"`);
    expect(names).toContain(`${body} example "return"`);
    const responses = [
      'CreateChatOk',
      'GetChatsOk',
      'GetChatOk',
      'GetChatHistoryOk',
      'GetChatMessageOk',
      'SendMessageToChatOk',
      'SendFileToChatOk',
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'EnhanceYourCalm',
    ];
    for (const response of [...responses, 'InternalServerError']) {
      expect(
        names.some((name) =>
          name.startsWith(`components.responses.${response}.content.application/json example "`),
        ),
      ).toBe(true);
    }
  });
});

describe('the paging examples (the contract tests page through them)', () => {
  it.each(['GetChatsOk', 'GetChatHistoryOk'])(
    '%s: firstPage has a next page token, lastPage and the default onlyPage have none',
    async (response) => {
      const spec = parse(await readFile(SPEC, 'utf8'));
      const examples = spec.components.responses[response].content['application/json'].examples;
      const token = (name: string) => examples[name].value.result.paging?.nextPageToken;
      expect(Object.keys(examples)[0]).toBe('onlyPage'); // Prism's default: a mock run must end
      expect(token('firstPage')).toEqual(expect.any(String));
      expect(token('lastPage')).toBeUndefined();
      expect(token('onlyPage')).toBeUndefined();
    },
  );
});

describe('a broken example', () => {
  let copy: SpecCopy;
  beforeEach(async () => {
    copy = await copySpec(SPEC);
  });
  afterEach(() => copy.remove());

  it('fails, naming the example and what is wrong with it', async () => {
    const created =
      '              summary: A chat was created (or found)\n              value:\n                status: OK\n                result:\n';
    await copy.edit(
      `${created}                  chatId: 987654321\n`,
      `${created}                  chatId: 0\n`,
    );
    await copy.edit(
      '                    type: RETURN\n                    id: 123456\n',
      '                    type: DIRECT\n                    id: 123456\n',
    );
    expect(invalid(await validateExamples(copy.spec))).toEqual([
      {
        name: 'paths./v2/businesses/{businessId}/chats/new.post.requestBody.content.application/json example "return"',
        errors: ['/context/type must be equal to one of the allowed values'],
      },
      {
        name: 'components.responses.CreateChatOk.content.application/json example "created"',
        errors: ['/result/chatId must be >= 1'],
      },
    ]);
  });

  it('reads OpenAPI 3.0 `nullable`: `errors: null` is valid, an empty `errors` (minItems 1) is not', async () => {
    const errors =
      "                errors:\n                  - code: BAD_REQUEST\n                    message: 'context.id: must be greater than or equal to 1'\n";
    await copy.edit(errors, '                errors: null\n');
    await copy.edit(
      '                errors:\n                  - code: NOT_FOUND\n                    message: Order 5123456789 not found\n',
      '                errors: []\n',
    );
    expect(invalid(await validateExamples(copy.spec))).toEqual([
      {
        name: 'components.responses.NotFound.content.application/json example "notFound"',
        errors: ['/errors must NOT have fewer than 1 items'],
      },
    ]);
  });

  it('fails on a value outside its format (int32 header)', async () => {
    await copy.edit('      example: 1000\n', '      example: 3000000000\n');
    expect(invalid(await validateExamples(copy.spec))).toEqual([
      {
        name: 'components.headers.X-RateLimit-Resource-Limit example',
        errors: ['(root) must match format "int32"'],
      },
    ]);
  });
});

describe(NOTIFICATIONS_SPEC, () => {
  let results: Awaited<ReturnType<typeof validateExamples>>;
  beforeAll(async () => {
    results = await validateExamples(NOTIFICATIONS_SPEC);
  });

  it('has only valid examples, each request example matching exactly one oneOf branch', () => {
    expect(invalid(results)).toEqual([]);
  });

  it('has an example of every chat event, PING and another type, and of every response', () => {
    const names = results.map(({ name }) => name);
    const operation = 'paths./notification.post';
    const requests = [
      'ping',
      'chatCreated',
      'chatMessageSent',
      'chatArbitrageStarted',
      'chatArbitrageFinished',
      'orderCreated',
    ];
    for (const example of requests) {
      expect(names).toContain(`${operation}.requestBody.content.application/json example "${example}"`);
    }
    for (const status of ['200', '400', '403', '405', '413', '415', '500']) {
      expect(
        names.some((name) =>
          name.startsWith(`${operation}.responses.${status}.content.application/json example "`),
        ),
      ).toBe(true);
    }
  });

  it('refuses a modelled type that breaks its own schema instead of passing it as another type', async () => {
    const copy = await copySpec(NOTIFICATIONS_SPEC);
    try {
      await copy.edit(
        "                  messageId: '5123456001'\n",
        '                  messageId: 5123456001\n',
      );
      const [broken] = invalid(await validateExamples(copy.spec));
      expect(broken?.name).toMatch(/example "chatMessageSent"$/);
      expect(broken?.errors).toContain('/messageId must be string');
    } finally {
      await copy.remove();
    }
  });
});
