// What the client sends must pass Prism's request validation: both chat types (the spec's own request
// examples), both credentials, the integration header. A missing credential gets Prism's 401 and becomes
// UnauthorizedError; a credential under a wrong header name is caught by the violation check.
import { describe, expect, it } from 'vitest';
import { createMarketClient, UnauthorizedError } from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import {
  clientFor,
  contract,
  isLive,
  MOCK_ONLY,
  spec,
  TEST_API_KEY,
  useRecorder,
  type Violation,
} from './harness.ts';
import { resultOf } from './operations.ts';
import { requestExamples, responseExample, specOperation } from './spec.ts';

const recorder = useRecorder();
const businessId = 123456;
const OPERATION_PATH = specOperation(spec, 'createChat').path;
const okChatId = resultOf(responseExample(spec, 'createChat', '200', 'created').value).chatId;

function asContext(value: unknown): { type: 'ORDER' | 'RETURN'; id: number } {
  const context = (value as { context?: unknown } | null)?.context as
    | { type?: unknown; id?: unknown }
    | undefined;
  if ((context?.type !== 'ORDER' && context?.type !== 'RETURN') || typeof context.id !== 'number') {
    throw new Error(`request example has no usable context: ${JSON.stringify(value)}`);
  }
  return { type: context.type, id: context.id };
}

const isSecurityViolation = (v: Violation) => v.code === 401 || /security/i.test(v.message ?? '');

describe.skipIf(isLive)(`requests the spec accepts${MOCK_ONLY}`, () => {
  const examples = requestExamples(spec, 'createChat');

  it('the spec has request examples for both chat types', () => {
    const types = examples.map((example) => asContext(example.value).type).sort();
    expect(types).toEqual(['ORDER', 'RETURN']);
  });

  for (const example of examples) {
    it(`request example "${example.name}": sent exactly as the spec shows it, accepted with no violations`, async () => {
      const context = asContext(example.value);
      const market = clientFor(recorder);
      await expect(market.createChat({ businessId, context })).resolves.toEqual({ chatId: okChatId });
      expect(recorder.exchanges).toHaveLength(1);
      const [exchange] = recorder.exchanges;
      expect(exchange?.method).toBe('POST');
      expect(exchange?.path).toBe(OPERATION_PATH.replace('{businessId}', String(businessId)));
      expect(JSON.parse(exchange?.requestBody ?? 'null')).toEqual(example.value);
      expect(exchange?.requestHeaders['content-type']).toMatch(/^application\/json/);
      expect(exchange?.status).toBe(200);
    });
  }

  it('Api-Key: the bare key in header Api-Key, no Authorization header', async () => {
    const market = clientFor(recorder);
    await market.createChat({ businessId, context: { type: 'ORDER', id: 1 } });
    const headers = recorder.exchanges[0]?.requestHeaders ?? {};
    expect(headers['api-key']).toBe(TEST_API_KEY);
    expect(headers.authorization).toBeUndefined();
  });

  it('OAuth: Authorization: Bearer <token>, accepted with no violations', async () => {
    const market = createMarketClient({
      oauthToken: 'contract-test-oauth-token',
      baseUrl: contract.baseUrl,
      fetch: recorder.fetch(),
    });
    await expect(market.createChat({ businessId, context: { type: 'RETURN', id: 7 } })).resolves.toEqual({
      chatId: okChatId,
    });
    const headers = recorder.exchanges[0]?.requestHeaders ?? {};
    expect(headers.authorization).toBe('Bearer contract-test-oauth-token');
    expect(headers['api-key']).toBeUndefined();
    expect(recorder.exchanges[0]?.status).toBe(200);
  });

  it('integration: X-Market-Integration is sent', async () => {
    const market = clientFor(recorder, { client: { integration: 'contract-tests/1.0.0' } });
    await market.createChat({ businessId, context: { type: 'ORDER', id: 1 } });
    expect(recorder.exchanges[0]?.requestHeaders['x-market-integration']).toBe('contract-tests/1.0.0');
  });

  it("missing credential: Prism's 401 becomes UnauthorizedError, sent once", async () => {
    recorder.expectViolations(isSecurityViolation);
    const market = clientFor(recorder, {
      editHeaders: (headers) => headers.delete('Api-Key'),
      client: { maxRetries: 2 },
    });
    const error = await rejectionOf(market.createChat({ businessId, context: { type: 'ORDER', id: 1 } }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).status).toBe(401);
    expect((error as UnauthorizedError).code).toBe('UNAUTHORIZED');
    expect(recorder.exchanges).toHaveLength(1);
    expect(recorder.exchanges[0]?.requestHeaders['api-key']).toBeUndefined();
    // Prism refused the request itself, saying why:
    expect(recorder.exchanges[0]?.violations?.some(isSecurityViolation)).toBe(true);
  });

  it('a credential under a wrong header name is caught: 401 and a violation report that names the cause', async () => {
    const market = clientFor(recorder, {
      editHeaders: (headers) => {
        headers.set('Api-Token', headers.get('Api-Key') ?? '');
        headers.delete('Api-Key');
      },
    });
    const error = await rejectionOf(market.createChat({ businessId, context: { type: 'ORDER', id: 1 } }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    // This is what fails any test whose client sends a wrong header (checked here, then acknowledged):
    const report = recorder.violationReport();
    expect(report).toMatch(/HTTP 401/);
    expect(report).toMatch(/Invalid security scheme/);
    recorder.expectViolations(isSecurityViolation);
    expect(recorder.violationReport()).toBeUndefined();
  });
});
