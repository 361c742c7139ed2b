// The consumer test: builds and packs the library the way `npm pack` ships it, installs the tarball into a
// fresh project in a temporary directory, and checks that the project typechecks against it (and that a
// `type: 'DIRECT'` call does not), runs against it, and can resolve the bundled spec.
//
// The tarball comes from scripts/lib/pack.ts (a staging copy, never the working tree's dist/). The install
// is --offline, with openapi-fetch linked from this repository: no network at all.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkTarball } from './check-package.ts';
import { npm, type RunResult, run, SLOW_MS as SLOW } from './lib/child.ts';
import { packPackage, ROOT } from './lib/pack.ts';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function tsc(project: string, cwd: string): Promise<RunResult> {
  return run(process.execPath, [TSC, '-p', project], cwd);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    // The library's own .d.ts files are checked too; no @types/node, which the package must not need.
    skipLibCheck: false,
    types: [],
    noEmit: true,
  },
  // bad.ts must fail with exactly one error; checked in the same program as the good files (one tsc run).
  files: ['good.ts', 'notifications.ts', 'testing.ts', 'bad.ts'],
};

// Everything a consumer would write: the client, the options, every error class, the exported types.
const GOOD_TS = `import {
  ApiError,
  BadRequestError,
  type ChatContextDTO,
  type ChatContextIdentifiableType,
  type components,
  ConnectionError,
  type CreateChatInput,
  type CreateChatResult,
  createMarketClient,
  ForbiddenError,
  type MarketClient,
  type MarketClientOptions,
  MarketError,
  NotFoundError,
  type paths,
  RateLimitError,
  type RateLimitState,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
} from 'yandex-market-chats-client';
import { createRawClient, type RawClient } from 'yandex-market-chats-client/raw';

const options: MarketClientOptions = {
  apiKey: 'key',
  baseUrl: 'http://127.0.0.1:4010',
  maxRetries: 1,
  timeoutMs: 1_000,
  maxRetryDelayMs: 2_000,
  integration: 'consumer-test/1.0',
  fetch: async (request: Request) => new Response(request.url),
  hooks: { onRetry: ({ attempt, delayMs }) => void [attempt, delayMs] },
};
const market: MarketClient = createMarketClient(options);
const context: ChatContextDTO = { type: 'RETURN', id: 7 };
const type: ChatContextIdentifiableType = 'ORDER';
const input: CreateChatInput = { businessId: 1, context: { type, id: 2 } };
const pending: Promise<CreateChatResult> = market.createChat(input, { signal: AbortSignal.timeout(5_000) });
const chatId: Promise<number> = pending.then((result) => result.chatId);
const rateLimit: RateLimitState | undefined = market.rateLimit;
type Body = components['schemas']['CreateChatRequest'];
const body: Body = { context };
type Path = keyof paths;
const path: Path = '/v2/businesses/{businessId}/chats/new';
const rawClient: RawClient = createRawClient({ apiKey: 'key', baseUrl: 'http://127.0.0.1:4010' });
const raw = rawClient.POST(path, { params: { path: { businessId: 1 } }, body });

function describeError(error: unknown): string {
  if (error instanceof RateLimitError) return \`rate limited until \${error.resetAt?.toISOString()}\`;
  if (error instanceof BadRequestError || error instanceof UnauthorizedError) return String(error.code);
  if (error instanceof ForbiddenError || error instanceof NotFoundError) return error.errors.join();
  if (error instanceof ServerError) return String(error.status);
  if (error instanceof ApiError) return \`\${error.status} \${error.headers.get('content-type')}\`;
  if (error instanceof TimeoutError || error instanceof ConnectionError) return error.message;
  if (error instanceof UnexpectedResponseError) return error.message;
  if (error instanceof ValidationError) return error.field;
  if (error instanceof MarketError) return error.name;
  return 'unknown';
}

export { chatId, describeError, rateLimit, raw };
`;

// The notifications subpath: a typed handler, mounted in a node-style server without @types/node.
const NOTIFICATIONS_TS = `import {
  type ChatMessageSentNotificationDTO,
  createMemoryDuplicateStore,
  createNotificationHandler,
  messageIdToNumber,
  type NotificationHandler,
  type NotificationOf,
  toNodeListener,
  YANDEX_NOTIFICATION_NETWORKS,
} from 'yandex-market-chats-client/notifications';

const handled: number[] = [];
const handler: NotificationHandler = createNotificationHandler({
  name: 'consumer',
  version: '1.0.0',
  on: {
    CHAT_MESSAGE_SENT: async (event: ChatMessageSentNotificationDTO, { signal }) => {
      if (!signal.aborted) handled.push(messageIdToNumber(event.messageId), event.chatId);
    },
    CHAT_CREATED: (event: NotificationOf<'CHAT_CREATED'>) => void handled.push(event.businessId),
  },
  onOther: (event) => void handled.push(event.notificationType.length),
  senderCheck: { networks: [...YANDEX_NOTIFICATION_NETWORKS], trustedProxy: { header: 'x-forwarded-for', hops: 1 } },
  duplicates: createMemoryDuplicateStore(100),
});
const listener = toNodeListener(handler);

export { handled, listener };
`;

// The test kit's types, without @types/node.
const TESTING_TS = `import { type MockMarket, type NotificationAnswer, sendNotification, startMockMarket } from 'yandex-market-chats-client/testing';

export async function kit(): Promise<NotificationAnswer> {
  const mock: MockMarket = await startMockMarket({ seed: { chats: [{ businessId: 1, context: { type: 'DIRECT' } }] } });
  mock.failNext('sendMessageToChat', 500, { afterActing: true });
  const operations = mock.requests.map((request) => request.operation);
  await mock.close();
  return sendNotification(mock.url, { notificationType: 'PING', operations });
}
`;

// A consumer's own test of its service with the kit: a create-send-read flow against the mock, a forced 500
// on a send, a recorded violation, and the installed command checking notification endpoints.
const KIT_MJS = `import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { createMarketClient, DeliveryUnknownError } from 'yandex-market-chats-client';
import { createNotificationHandler, toNodeListener } from 'yandex-market-chats-client/notifications';
import { startMockMarket } from 'yandex-market-chats-client/testing';

const mock = await startMockMarket();
const market = createMarketClient({ apiKey: 'test', baseUrl: mock.url, maxRetries: 0 });
const { chatId } = await market.createChat({ businessId: 1, context: { type: 'ORDER', id: 77 } });
await market.sendMessageToChat({ businessId: 1, chatId, message: 'Hello' });
const history = await market.getChatHistory({ businessId: 1, chatId });
assert.deepEqual(history.messages.map((m) => m.message), ['Hello']);
mock.failNext('sendMessageToChat', 500);
await assert.rejects(market.sendMessageToChat({ businessId: 1, chatId, message: 'again' }), DeliveryUnknownError);
assert.equal(mock.violations.length, 0);
const broken = await fetch(mock.url + '/v2/businesses/1/chats/new', { method: 'POST', headers: { 'api-key': 'k', 'content-type': 'application/json' }, body: '{"context":{"type":"DIRECT","id":1}}' });
assert.equal(broken.status, 400);
assert.deepEqual(mock.violations.map((v) => v.message), ['body: /context/type must be equal to one of the allowed values']);
await mock.close();

const listen = (listener) => new Promise((resolve) => {
  const server = createServer(listener).listen(0, '127.0.0.1', () => resolve(server));
});
const check = (server) => new Promise((resolve) => {
  const url = 'http://127.0.0.1:' + server.address().port + '/notification';
  execFile('node_modules/.bin/yandex-market-chats', ['check-notifications', url], (error, stdout) => resolve({ code: error ? error.code : 0, stdout }));
});
const good = await listen(toNodeListener(createNotificationHandler({ name: 'consumer', version: '1.0.0', on: {} })));
const wrong = await listen((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"ok":true}');
});
const passed = await check(good);
const failed = await check(wrong);
good.close();
wrong.close();
assert.equal(passed.code, 0, passed.stdout);
assert.match(passed.stdout, /all \\d+ cases ok/);
assert.equal(failed.code, 1, failed.stdout);
assert.match(failed.stdout, /FAIL: expected 400, got 200/);
console.log(JSON.stringify({ chatId, checked: passed.stdout.split('\\n').length }));
`;

// Must not typecheck: createChat cannot open a DIRECT chat.
const BAD_TS = `import { createMarketClient } from 'yandex-market-chats-client';

const market = createMarketClient({ apiKey: 'key' });
export const pending = market.createChat({ businessId: 1, context: { type: 'DIRECT', id: 1 } });
`;

// Runs on plain Node against the installed package, with a fake fetch: nothing leaves the process.
const RUN_MJS = `import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createMarketClient, MarketError, ValidationError } from 'yandex-market-chats-client';

const requests = [];
const market = createMarketClient({
  apiKey: 'consumer-key',
  fetch: async (request) => {
    requests.push({ method: request.method, url: request.url, apiKey: request.headers.get('api-key'), body: await request.text() });
    return new Response(JSON.stringify({ status: 'OK', result: { chatId: 42 } }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  },
});

const result = await market.createChat({ businessId: 123, context: { type: 'ORDER', id: 456 } });
assert.equal(result.chatId, 42);
assert.equal(requests.length, 1);
assert.equal(requests[0].method, 'POST');
assert.equal(requests[0].url, 'https://api.partner.market.yandex.ru/v2/businesses/123/chats/new');
assert.equal(requests[0].apiKey, 'consumer-key');
assert.deepEqual(JSON.parse(requests[0].body), { context: { type: 'ORDER', id: 456 } });

await assert.rejects(
  market.createChat({ businessId: 0, context: { type: 'ORDER', id: 456 } }),
  (error) => error instanceof ValidationError && error instanceof MarketError && /businessId/.test(error.field),
);
assert.equal(requests.length, 1, 'an invalid call sends nothing');

const specUrl = import.meta.resolve('yandex-market-chats-client/openapi.yaml');
const specPath = fileURLToPath(specUrl);
assert.ok(existsSync(specPath), specPath);
const spec = readFileSync(specPath, 'utf8');
assert.match(spec, /^openapi: /m);
assert.match(spec, /createChat/);
assert.doesNotMatch(spec, /\\$ref: ['"]?\\.{0,2}\\//, 'the bundled spec is self-contained');

const require = createRequire(import.meta.url);
assert.equal(require.resolve('yandex-market-chats-client/openapi.yaml'), specPath);
assert.equal(require('yandex-market-chats-client/package.json').name, 'yandex-market-chats-client');
// CommonJS callers on Node >= 20.19 can require() the ESM build (the \`default\` export condition).
assert.equal(require('yandex-market-chats-client').createMarketClient, createMarketClient);

const notificationsSpec = readFileSync(fileURLToPath(import.meta.resolve('yandex-market-chats-client/notifications.yaml')), 'utf8');
assert.match(notificationsSpec, /operationId: sendNotification/);
const { createNotificationHandler, messageIdToNumber } = await import('yandex-market-chats-client/notifications');
const seen = [];
const handler = createNotificationHandler({
  name: 'consumer',
  version: '1.0.0',
  on: { CHAT_MESSAGE_SENT: (event) => void seen.push(messageIdToNumber(event.messageId)) },
});
const notify = (body) =>
  handler(new Request('http://localhost/notification', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const event = { notificationType: 'CHAT_MESSAGE_SENT', chatId: 7, messageId: '42', businessId: 123, sentAt: '2026-11-25T10:00:00Z' };
assert.equal((await notify(event)).status, 200);
assert.deepEqual(seen, [42]);
const refused = await notify({ ...event, chatId: undefined });
assert.equal(refused.status, 400);
assert.deepEqual(await refused.json(), { error: { type: 'WRONG_EVENT_FORMAT', message: 'chatId is required' } });

console.log(JSON.stringify({ chatId: result.chatId, spec: specPath }));
`;

// After the build and pack (beforeAll), the checks run side by side: the linters of the tarball, the dry run
// on the repository and the installed project's checks (which share one install) are independent.
describe.concurrent('the packed package, installed into a fresh project', () => {
  let work = '';
  let app = '';
  let packedFiles: string[] = [];
  let packedManifest: Record<string, unknown> = {};
  let tarball = '';
  let installed: Promise<void> | undefined;

  /** The fresh project with the tarball installed: set up once, by the first test that needs it. */
  function install(): Promise<void> {
    installed ??= (async () => {
      await mkdir(app);
      await writeFile(
        join(app, 'package.json'),
        json({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
      );
      await writeFile(join(app, 'tsconfig.json'), json(CONSUMER_TSCONFIG));
      await writeFile(join(app, 'good.ts'), GOOD_TS);
      await writeFile(join(app, 'notifications.ts'), NOTIFICATIONS_TS);
      await writeFile(join(app, 'testing.ts'), TESTING_TS);
      await writeFile(join(app, 'kit.mjs'), KIT_MJS);
      await writeFile(join(app, 'bad.ts'), BAD_TS);
      await writeFile(join(app, 'run.mjs'), RUN_MJS);
      await npm(
        [
          'install',
          tarball,
          // The runtime dependencies come from this repository's node_modules, and --offline forbids the
          // registry: tests may reach loopback only, and this works with an empty npm cache too.
          join(ROOT, 'node_modules', 'openapi-fetch'),
          // The test kit's: Ajv, its formats and the YAML reader.
          join(ROOT, 'node_modules', 'ajv'),
          join(ROOT, 'node_modules', 'ajv-formats'),
          join(ROOT, 'node_modules', 'yaml'),
          '--offline',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--loglevel=error',
        ],
        app,
      );
    })();
    return installed;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ymcc-consumer-'));
    app = join(work, 'app');
    const pack = await packPackage(work);
    packedFiles = pack.files;
    packedManifest = pack.manifest;
    tarball = pack.tarball;
  }, SLOW);

  afterAll(async () => {
    await installed?.catch(() => undefined);
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it(
    'passes publint (strict) and attw (ESM-only profile), as npm run check:package checks',
    async ({ expect }) => {
      const results = await checkTarball(tarball);
      expect(results.filter(({ ok }) => !ok)).toEqual([]);
      expect(results.map(({ tool }) => tool)).toEqual(['publint', 'attw']);
    },
    SLOW,
  );

  it('ships dist/, the README and package.json only: no sources, tests or node_modules', ({ expect }) => {
    expect(packedFiles).toContain('package.json');
    expect(packedFiles).toContain('README.md');
    expect(packedFiles).toContain('dist/src/index.js');
    expect(packedFiles).toContain('dist/src/index.d.ts');
    expect(packedFiles).toContain('dist/generated/schema.d.ts');
    expect(packedFiles).toContain('dist/openapi.yaml');
    expect(packedFiles).toContain('dist/notifications.yaml');
    expect(packedFiles).toContain('dist/src/notifications/index.js');
    expect(packedFiles).toContain('dist/src/notifications/index.d.ts');
    expect(packedFiles).toContain('dist/generated/notification-rules.js');
    expect(packedFiles).toContain('dist/src/raw/index.js');
    expect(packedFiles).toContain('dist/src/raw/index.d.ts');
    expect(packedFiles).toContain('dist/src/testing/index.js');
    expect(packedFiles).toContain('dist/src/testing/cli.js');
    const unexpected = packedFiles.filter(
      (file) =>
        !/^(package\.json|README\.md|LICENSE(\.md)?)$/.test(file) &&
        !/^dist\/(src|generated)\/.+\.(js|d\.ts)$/.test(file) &&
        file !== 'dist/openapi.yaml' &&
        file !== 'dist/notifications.yaml',
    );
    expect(unexpected).toEqual([]);
    expect(
      packedFiles.filter((file) => /node_modules|\.test\.|test-support|\.tsbuildinfo$/.test(file)),
    ).toEqual([]);
  });

  it(
    "picks only dist/, README and package.json out of the repository's own tree",
    async ({ expect }) => {
      // The staging copy above holds nothing else, so check `files` against the real tree too (read-only).
      const output = await npm(['pack', '--dry-run', '--ignore-scripts', '--json', '--loglevel=error'], ROOT);
      const [pack] = JSON.parse(output) as { files: { path: string }[] }[];
      const outside = (pack?.files ?? [])
        .map((file) => file.path)
        .filter((file) => !/^(package\.json|README\.md|LICENSE(\.md)?|dist\/.+)$/.test(file));
      expect(outside).toEqual([]);
    },
    SLOW,
  );

  it('depends on openapi-fetch, and for the test kit on ajv, ajv-formats and yaml', ({ expect }) => {
    expect(Object.keys((packedManifest.dependencies as Record<string, string> | undefined) ?? {})).toEqual([
      'ajv',
      'ajv-formats',
      'openapi-fetch',
      'yaml',
    ]);
  });

  it(
    "typechecks a consumer that uses the client, its options, errors and generated types, and the notifications and testing subpaths; rejects a `type: 'DIRECT'` context at compile time",
    async ({ expect }) => {
      await install();
      const result = await tsc('tsconfig.json', app);
      const output = `${result.stdout}${result.stderr}`;
      // The one error: bad.ts's DIRECT context. None in good.ts, notifications.ts, testing.ts or the library.
      const errors = output.split('\n').filter((line) => line.includes('error TS'));
      expect(errors, output).toHaveLength(1);
      expect(errors[0]).toMatch(/^bad\.ts\(4,\d+\): error TS2322: .*'"DIRECT"'/);
      expect(result.code).not.toBe(0);
    },
    SLOW,
  );

  it(
    'runs on Node: a call with a fake fetch, a ValidationError, the spec export resolves, a notification is handled',
    async ({ expect }) => {
      await install();
      // require() of ESM is stable on Node 20.19+, but some 20.x releases still print an ExperimentalWarning.
      const result = await run(process.execPath, ['--disable-warning=ExperimentalWarning', 'run.mjs'], app);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ chatId: 42 });
    },
    SLOW,
  );

  it(
    "runs a consumer's tests with the kit: mock flow, a forced 500, a violation, check-notifications",
    async ({ expect }) => {
      await install();
      const result = await run(process.execPath, ['--disable-warning=ExperimentalWarning', 'kit.mjs'], app);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ chatId: 1001 });
    },
    SLOW,
  );
});
