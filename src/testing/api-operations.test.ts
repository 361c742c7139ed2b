// The operations the mock reads from openapi.yaml: how it matches requests, their parameters, bodies, answer
// codes with headers and examples (each valid against its own schema), and hourly quotas; and what it
// reads of the shapes OpenAPI allows that openapi.yaml does not use (yet): refs, path-level parameters, ...
import { describe, expect, it } from 'vitest';
import { apiOperations, findOperation, readOperations } from './api-operations.ts';
import { loadSpec } from './spec-files.ts';
import { specValidator } from './spec-validator.ts';

const CODES = ['200', '400', '401', '403', '404', '420', '500'];
const json = { required: true, media: ['application/json'] };
const chat = ['path businessId', 'query chatId'];
const paging = ['query pageToken?: string', 'query limit?'];

describe('apiOperations', () => {
  // One test: apiOperations reads the spec once per module, so only the first test that calls it covers the reading.
  it('reads every operation of the spec: requests, parameters, bodies, answers, quotas', () => {
    const read = apiOperations().map((operation) => ({
      operation: `${operation.method} ${operation.template} ${operation.operationId}`,
      parameters: operation.parameters.map(
        (p) => `${p.in} ${p.name}${p.required ? '' : '?'}${p.type === 'integer' ? '' : `: ${p.type}`}`,
      ),
      body: operation.body && { required: operation.body.required, media: Object.keys(operation.body.media) },
      codes: Object.keys(operation.responses),
      quota: operation.quota,
    }));
    expect(read).toEqual([
      {
        operation: 'POST /v2/businesses/{businessId}/chats/new createChat',
        parameters: ['path businessId'],
        body: json,
        codes: CODES,
        quota: 1000,
      },
      {
        operation: 'POST /v2/businesses/{businessId}/chats getChats',
        parameters: ['path businessId', ...paging],
        body: json,
        codes: CODES,
        quota: 5000,
      },
      {
        operation: 'GET /v2/businesses/{businessId}/chat getChat',
        parameters: chat,
        body: undefined,
        codes: CODES,
        quota: 1000,
      },
      {
        operation: 'POST /v2/businesses/{businessId}/chats/file/send sendFileToChat',
        parameters: chat,
        body: { required: true, media: ['multipart/form-data'] },
        codes: CODES,
        quota: 1000,
      },
      {
        operation: 'GET /v2/businesses/{businessId}/chats/message getChatMessage',
        parameters: [...chat, 'query messageId'],
        body: undefined,
        codes: CODES,
        quota: 1000,
      },
      {
        operation: 'POST /v2/businesses/{businessId}/chats/message sendMessageToChat',
        parameters: chat,
        body: json,
        codes: CODES,
        quota: 1000,
      },
      {
        operation: 'POST /v2/businesses/{businessId}/chats/history getChatHistory',
        parameters: [...chat, ...paging],
        body: json,
        codes: CODES,
        quota: 10000,
      },
    ]);

    // What a request is matched by
    const pattern = findOperation('getChats')?.pattern;
    expect(pattern?.exec('/v2/businesses/12/chats')?.groups).toEqual({ businessId: '12' });
    expect(pattern?.test('/v2/businesses/12/chats/new')).toBe(false);
    expect(pattern?.test('/v2/businesses//chats')).toBe(false);
    expect(findOperation('nope')).toBeUndefined();

    // Each answer's schema, required rate-limit headers and examples, all valid against the spec
    const errorsAt = specValidator(loadSpec('openapi'));
    const problems: string[] = [];
    let examples = 0;
    for (const operation of apiOperations()) {
      for (const [code, response] of Object.entries(operation.responses)) {
        const at = `${operation.operationId} ${code}`;
        expect(Object.keys(response.headers), at).toEqual([
          'X-RateLimit-Resource-Limit',
          'X-RateLimit-Resource-Remaining',
          'X-RateLimit-Resource-Until',
        ]);
        for (const [name, header] of Object.entries(response.headers)) {
          expect(header.required, `${at} ${name}`).toBe(true);
          const sample = name.endsWith('Until') ? 'Thu, 10 Jul 2018 00:42:42 GMT' : 7;
          problems.push(...errorsAt(header.schemaPath, sample).map((e) => `${at} ${name}: ${e}`));
          expect(errorsAt(header.schemaPath, name.endsWith('Until') ? 7 : 'x'), `${at} ${name}`).not.toEqual(
            [],
          );
        }
        expect(response.examples.length, at).toBeGreaterThan(0);
        for (const example of response.examples) {
          examples += 1;
          problems.push(...errorsAt(response.schemaPath, example).map((e) => `${at}: ${e}`));
        }
        expect(errorsAt(response.schemaPath, { status: 'NOPE' }), at).not.toEqual([]);
      }
    }
    expect(problems).toEqual([]);
    expect(examples).toBeGreaterThan(100);
  });
});

describe('readOperations on shapes openapi.yaml does not use', () => {
  const ok = { description: 'ok' };
  const spec = {
    paths: {
      '/items/{itemId}.json': {
        parameters: [{ $ref: '#/components/parameters/ItemId' }],
        put: {
          operationId: 'putItem',
          parameters: [{ name: 'dry', in: 'query' }],
          requestBody: { $ref: '#/components/requestBodies/Item' },
          responses: { '204': ok, '200': { $ref: '#/components/responses/Item' } },
        },
        delete: { operationId: 'deleteItem', responses: { '204': ok } },
        patch: {
          operationId: 'patchItem',
          requestBody: { content: { 'application/merge-patch+json': {} } },
          responses: {},
          'x-resource-limit-config': { amount: 7, period: 'hours' },
        },
        summary: 'not an operation',
      },
      '/empty': {},
    },
    components: {
      parameters: {
        ItemId: { name: 'itemId', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } },
      },
      schemas: { Id: { type: 'integer' } },
      requestBodies: { Item: { required: true, content: { 'application/json': { schema: {} } } } },
      headers: { Remaining: { required: true, schema: { type: 'integer' } } },
      examples: { One: { value: { id: 1 } } },
      responses: {
        Item: {
          description: 'the item',
          headers: { Remaining: { $ref: '#/components/headers/Remaining' }, Trace: { schema: {} } },
          content: {
            'application/json': {
              examples: { one: { $ref: '#/components/examples/One' }, two: { value: 2 } },
            },
          },
        },
      },
    },
  };

  it('reads every method, path-level and $ref parameters, bodies, answers, and a quota of 1000 by default', () => {
    const [put, remove, patch, ...rest] = readOperations(spec);
    expect(rest).toEqual([]);
    expect(put).toEqual({
      operationId: 'putItem',
      method: 'PUT',
      template: '/items/{itemId}.json',
      pattern: expect.any(RegExp),
      parameters: [
        {
          name: 'itemId',
          in: 'path',
          required: true,
          schemaPath: ['components', 'schemas', 'Id'],
          type: 'integer',
        },
        {
          name: 'dry',
          in: 'query',
          required: false,
          schemaPath: ['paths', '/items/{itemId}.json', 'put', 'parameters', '0', 'schema'],
          type: undefined,
        },
      ],
      body: {
        required: true,
        media: {
          'application/json': [
            'components',
            'requestBodies',
            'Item',
            'content',
            'application/json',
            'schema',
          ],
        },
      },
      responses: {
        '204': {
          schemaPath: [
            'paths',
            '/items/{itemId}.json',
            'put',
            'responses',
            '204',
            'content',
            'application/json',
            'schema',
          ],
          headers: {},
          examples: [],
        },
        '200': {
          schemaPath: ['components', 'responses', 'Item', 'content', 'application/json', 'schema'],
          headers: {
            Remaining: { required: true, schemaPath: ['components', 'headers', 'Remaining', 'schema'] },
            Trace: {
              required: false,
              schemaPath: ['components', 'responses', 'Item', 'headers', 'Trace', 'schema'],
            },
          },
          examples: [{ id: 1 }, 2],
        },
      },
      quota: 1000,
    });
    expect(put?.pattern.exec('/items/12.json')?.groups).toEqual({ itemId: '12' });
    expect(put?.pattern.test('/items/12xjson')).toBe(false);
    expect(remove).toMatchObject({
      operationId: 'deleteItem',
      method: 'DELETE',
      body: undefined,
      quota: 1000,
    });
    expect(remove?.parameters.map((p) => p.name)).toEqual(['itemId']);
    expect(patch).toMatchObject({
      method: 'PATCH',
      body: {
        required: false,
        media: {
          'application/merge-patch+json': [
            'paths',
            '/items/{itemId}.json',
            'patch',
            'requestBody',
            'content',
            'application/merge-patch+json',
            'schema',
          ],
        },
      },
      responses: {},
      quota: 7,
    });
  });

  it('names a parameter without a name, or one that is no parameter object', () => {
    for (const parameter of [{ in: 'query' }, 'itemId']) {
      const broken = { paths: { '/x': { get: { parameters: [parameter], responses: {} } } } };
      expect(() => readOperations(broken)).toThrow(
        'bad parameter at #/paths/~1x/get/parameters/0: it needs a name',
      );
    }
    const atPath = { paths: { '/x': { parameters: [{ in: 'query' }], get: { responses: {} } } } };
    expect(() => readOperations(atPath)).toThrow(
      'bad parameter at #/paths/~1x/parameters/0: it needs a name',
    );
  });
});
