// generated/rules.ts: every operation of the spec, keyed by operationId; a keyword the runtime validator
// lacks stops generation, naming where it is; and the rules accept every 200 example the spec gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { operationRules as generated } from '../generated/rules.ts';
import { findProblem, type Rule } from '../src/internal/validate-input.ts';
import { operationRules } from './lib/operation-rules.ts';
import { isObject, type Json, resolveRef } from './lib/spec-json.ts';

const load = (): Json => parse(readFileSync('openapi/openapi.yaml', 'utf8')) as Json;
const at = (node: unknown, ...keys: string[]): Json =>
  keys.reduce<Json>((acc, key) => {
    const next = acc[key];
    if (!isObject(next)) throw new Error(`no ${key}`);
    return next;
  }, node as Json);

describe('operationRules', () => {
  it('has every operation of the spec, keyed by operationId, with its method and path', () => {
    const rules = operationRules(load());
    expect(Object.entries(rules).map(([id, { method, path }]) => `${id} ${method} ${path}`)).toEqual([
      'createChat post /v2/businesses/{businessId}/chats/new',
      'getChats post /v2/businesses/{businessId}/chats',
      'getChat get /v2/businesses/{businessId}/chat',
      'sendFileToChat post /v2/businesses/{businessId}/chats/file/send',
      'getChatMessage get /v2/businesses/{businessId}/chats/message',
      'sendMessageToChat post /v2/businesses/{businessId}/chats/message',
      'getChatHistory post /v2/businesses/{businessId}/chats/history',
    ]);
  });

  it('gives each parameter its place, whether it is required and its rule; a body only where there is one', () => {
    const rules = operationRules(load());
    const id = { type: 'integer', format: 'int64', minimum: 1 };
    expect(rules.getChatMessage).toEqual({
      method: 'get',
      path: '/v2/businesses/{businessId}/chats/message',
      parameters: {
        businessId: { in: 'path', required: true, schema: id },
        chatId: { in: 'query', required: true, schema: id },
        messageId: { in: 'query', required: true, schema: id },
      },
      okResponseBody: expect.objectContaining({ type: 'object', required: ['status'] }),
    });
    expect(rules.getChatHistory?.parameters.limit).toEqual({
      in: 'query',
      required: false,
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100 }, // `default` documents only
    });
    expect(rules.sendMessageToChat?.requestBody).toEqual({
      required: true,
      contentType: 'application/json',
      schema: {
        type: 'object',
        required: ['message'],
        properties: { message: { type: 'string', minLength: 1, maxLength: 4096 } },
      },
    });
    expect(rules.sendFileToChat?.requestBody).toMatchObject({
      contentType: 'multipart/form-data',
      schema: { required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
    });
  });

  it('is what generated/rules.ts holds (npm run generate is up to date)', () => {
    expect(JSON.parse(JSON.stringify(generated))).toEqual(operationRules(load()));
  });

  it('stops on a keyword the runtime validator does not know, naming the operation and field', () => {
    const spec = load();
    at(spec, 'components', 'schemas', 'SendMessageToChatRequest', 'properties', 'message').pattern = '\\S';
    expect(() => operationRules(spec)).toThrow(
      'sendMessageToChat.requestBody.message: keyword "pattern" is not supported by src/internal/validate-input.ts',
    );
  });

  it('stops on Yandex-style allOf composition, inside array items too', () => {
    const spec = load();
    const payload = at(spec, 'components', 'schemas', 'ChatMessagePayloadDTO');
    payload.allOf = [{ required: ['name'] }];
    expect(() => operationRules(spec)).toThrow(
      'getChatMessage.okResponseBody.result.payload[]: keyword "allOf" is not supported',
    );
  });

  it('stops on an operation without a JSON 200, or with two request media types', () => {
    const noOk = load();
    delete at(noOk, 'paths', '/v2/businesses/{businessId}/chat', 'get', 'responses')['200'];
    expect(() => operationRules(noOk)).toThrow('getChat: no 200 response');

    const twoTypes = load();
    const content = at(
      twoTypes,
      'paths',
      '/v2/businesses/{businessId}/chats/history',
      'post',
      'requestBody',
      'content',
    );
    content['application/x-www-form-urlencoded'] = content['application/json'];
    expect(() => operationRules(twoTypes)).toThrow(
      'getChatHistory.requestBody: expected exactly one media type, found application/json, application/x-www-form-urlencoded',
    );
  });

  it('stops on a path or query parameter that is not a primitive, or a path template that is not plain', () => {
    // The engine's sender (src/internal/send-request.ts) serializes primitives and `{name}` only.
    const array = load();
    at(array, 'components', 'parameters', 'AliasedPageToken').schema = {
      type: 'array',
      items: { type: 'string' },
    };
    expect(() => operationRules(array)).toThrow(
      'getChats: query parameter pageToken is of type array; src/internal/send-request.ts sends only integer, number, string or boolean',
    );
    const object = load();
    at(object, 'components', 'parameters', 'BusinessId').schema = { type: 'object' };
    expect(() => operationRules(object)).toThrow('createChat: path parameter businessId is of type object');
    const untyped = load();
    at(untyped, 'components', 'parameters', 'ChatId').schema = { minimum: 1 };
    expect(() => operationRules(untyped)).toThrow('getChat: query parameter chatId is of type undefined');

    const styled = load();
    const paths = at(styled, 'paths');
    paths['/v2/businesses/{businessId*}/chat'] = paths['/v2/businesses/{businessId}/chat'];
    delete paths['/v2/businesses/{businessId}/chat'];
    expect(() => operationRules(styled)).toThrow(
      'getChat: path template {businessId*} is not a plain {name}; src/internal/send-request.ts fills in only those',
    );
  });

  it('stops on an operation without an operationId, or one used twice', () => {
    const missing = load();
    delete at(missing, 'paths', '/v2/businesses/{businessId}/chat', 'get').operationId;
    expect(() => operationRules(missing)).toThrow('GET /v2/businesses/{businessId}/chat: no operationId');

    const twice = load();
    at(twice, 'paths', '/v2/businesses/{businessId}/chat', 'get').operationId = 'getChats';
    expect(() => operationRules(twice)).toThrow('operationId "getChats" is used twice');
  });
});

describe('the generated 200 rules', () => {
  const spec = load();
  const examples = Object.entries(generated).flatMap(([id, rule]) => {
    const method = at(spec, 'paths', rule.path, rule.method);
    const ok = resolveRef(at(method, 'responses')['200'], spec);
    const named = at(ok, 'content', 'application/json', 'examples');
    return Object.entries(named).map(([name, example]) => ({ id, name, rule, value: at(example).value }));
  });

  it.each(examples)('accept $id example $name', ({ rule, value }) => {
    expect(findProblem(rule.okResponseBody as Rule, value, 'body')).toBeUndefined();
  });

  it('cover every operation', () => {
    expect(new Set(examples.map(({ id }) => id))).toEqual(new Set(Object.keys(generated)));
  });
});
