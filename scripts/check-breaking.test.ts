// check:breaking fails on each kind of breaking edit of either spec with one readable line naming it, and
// passes compatible edits. Most cases call the library; the command's function (`checkBreaking`) runs too.
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureOutput } from '../test-support/captured-output.ts';
import { checkBreaking } from './check-breaking.ts';
import { diffSpecFiles, formatChanges, NOTIFICATIONS_SPEC_PATH, SPEC_PATH } from './lib/check-breaking.ts';
import { repositoryVersionProblems, versionProblems } from './lib/check-versions.ts';
import { allowsBreaking, releasedVersion, releaseSpec } from './lib/release-spec.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';

// Edits aim at createChat's own lines: the other chat operations share the response components.
const CREATE_CHAT_OK = "          $ref: '#/components/responses/CreateChatOk'\n";
const BAD_REQUEST = "        '400':\n          $ref: '#/components/responses/BadRequest'\n";
const BEFORE_404 = `${CREATE_CHAT_OK}${BAD_REQUEST}        '401':\n          $ref: '#/components/responses/Unauthorized'\n        '403':\n          $ref: '#/components/responses/Forbidden'\n`;
const NOT_FOUND = "        '404':\n          $ref: '#/components/responses/NotFound'\n";
const WITH_409 = `${BEFORE_404}        '409':\n          $ref: '#/components/responses/NotFound'\n${NOT_FOUND}`;
// ChatContextIdentifiableType's values (ChatContextType's start the same way).
const CREATABLE_TYPES = '        - ORDER\n        - RETURN\n    CreateChatResponse:\n';
const ORDER_ONLY = '        - ORDER\n    CreateChatResponse:\n';
const LIMIT = '      required: false\n      description: How many chats';
const LIMIT_SCHEMA = '        minimum: 1\n        maximum: 20\n        default: 10\n';
const MESSAGE = '          minLength: 1\n          maxLength: 4096\n';

let copy: SpecCopy | undefined;
afterEach(() => copy?.remove());

/** A copy of `source` with the edits applied, and a copy of `source` as its baseline. */
async function edited(edits: Array<[string, string]>, source = SPEC_PATH) {
  copy = await copySpec(source);
  const baseline = join(copy.dir, 'released.yaml');
  await copyFile(source, baseline);
  for (const [from, to] of edits) await copy.edit(from, to);
  return { spec: copy.spec, baseline };
}

async function lines(edits: Array<[string, string]>, source = SPEC_PATH) {
  const { spec, baseline } = await edited(edits, source);
  const report = await diffSpecFiles(baseline, spec);
  return { breaking: formatChanges(report.breaking), nonBreaking: formatChanges(report.nonBreaking) };
}

const breaks = async (edits: Array<[string, string]>, source = SPEC_PATH) =>
  (await lines(edits, source)).breaking;

describe('breaking edits fail, one line each', () => {
  it.each([
    [
      'a query parameter made required',
      [[LIMIT, `      required: true\n      description: How many chats`]],
      ['BREAKING getChats: query parameter "limit": made required'],
    ],
    [
      'a maximum lowered',
      [[LIMIT_SCHEMA, LIMIT_SCHEMA.replace('20', '10')]],
      ['BREAKING getChats: query parameter "limit": maximum 20 -> 10 (narrowed)'],
    ],
    [
      'a minimum raised',
      [[LIMIT_SCHEMA, LIMIT_SCHEMA.replace('minimum: 1', 'minimum: 5')]],
      ['BREAKING getChats: query parameter "limit": minimum 1 -> 5 (narrowed)'],
    ],
    [
      'a maxLength lowered',
      [[MESSAGE, MESSAGE.replace('4096', '1000')]],
      ['BREAKING sendMessageToChat: request body field "message": maxLength 4096 -> 1000 (narrowed)'],
    ],
    [
      'a minLength raised and a pattern added',
      [[MESSAGE, "          minLength: 2\n          maxLength: 4096\n          pattern: '^\\S'\n"]],
      [
        'BREAKING sendMessageToChat: request body field "message": pattern "^\\\\S" added (narrowed)',
        'BREAKING sendMessageToChat: request body field "message": minLength 1 -> 2 (narrowed)',
      ],
    ],
    [
      'a request body field made required',
      [
        [
          '    CreateChatRequest:\n      type: object\n',
          '    CreateChatRequest:\n      type: object\n      required:\n        - orderId\n',
        ],
      ],
      ['BREAKING createChat: request body field "orderId": made required (narrowed)'],
    ],
    [
      'a request enum value removed',
      [[CREATABLE_TYPES, ORDER_ONLY]],
      [
        'BREAKING createChat: request body field "context.type": enum value "RETURN" removed (narrowed)',
        'BREAKING getChats: request body field "contexts[].type": enum value "RETURN" removed (narrowed)',
      ],
    ],
    [
      'a response code removed',
      [[`${BEFORE_404}${NOT_FOUND}`, BEFORE_404]],
      ['BREAKING createChat: response 404: removed'],
    ],
  ] as Array<[string, Array<[string, string]>, string[]]>)('%s', async (_name, edits, expected) => {
    expect(await breaks(edits)).toEqual(expected);
  });

  it('a type changed', async () => {
    expect(
      await breaks([
        [
          '        type: integer\n        format: int32\n        minimum: 1\n        maximum: 20\n',
          '        type: string\n        format: int32\n        minimum: 1\n        maximum: 20\n',
        ],
      ]),
    ).toEqual(['BREAKING getChats: query parameter "limit": type integer -> string (changed)']);
  });

  it('a response field removed, and one made optional', async () => {
    const { breaking } = await lines([
      ['        - createdAt\n        - updatedAt\n', '        - createdAt\n'],
      [
        '        updatedAt:\n          type: string\n          format: date-time\n          description: When the last message of the chat was sent (RFC 3339, with an offset from UTC).\n',
        '',
      ],
    ]);
    expect(breaking).toContain('BREAKING getChat: response 200 field "result.updatedAt": removed');
    expect(breaking).toContain('BREAKING getChats: response 200 field "result.chats[].updatedAt": removed');
  });

  it('a response enum value added: one line per operation, naming every response that carries it', async () => {
    const breaking = await breaks([
      ['        - OK\n        - ERROR\n', '        - OK\n        - ERROR\n        - PARTIAL\n'],
    ]);
    expect(breaking).toHaveLength(7);
    expect(breaking).toContain(
      'BREAKING createChat: responses 200, 400, 401, 403, 404, 420, 500 field "status": enum value "PARTIAL" added (widened)',
    );
  });

  it('a parameter and an operation removed', async () => {
    const breaking = await breaks([
      ["        - $ref: '#/components/parameters/MessageId'\n", ''],
      [
        '  /v2/businesses/{businessId}/chat:\n    get:\n',
        '  /v2/businesses/{businessId}/chat-gone:\n    get:\n',
      ],
    ]);
    expect(breaking).toEqual([
      'BREAKING getChat: operation removed (GET /v2/businesses/{businessId}/chat)',
      'BREAKING getChatMessage: query parameter "messageId": removed',
    ]);
  });

  it('notifications: a field newly required, or a notification type no longer accepted', async () => {
    const breaking = await breaks(
      [
        [
          '      required:\n        - notificationType\n      properties:\n        notificationType:\n          type: string\n          enum:\n            - PING\n',
          '      required:\n        - notificationType\n        - time\n      properties:\n        notificationType:\n          type: string\n          enum:\n            - PING\n',
        ],
        ["        - $ref: '#/components/schemas/ChatArbitrageFinishedNotificationDTO'\n", ''],
      ],
      NOTIFICATIONS_SPEC_PATH,
    );
    expect(breaking).toEqual([
      'BREAKING sendNotification: request body field "oneOf[PingNotificationDTO].time": made required (narrowed)',
      'BREAKING sendNotification: request body: oneOf branch ChatArbitrageFinishedNotificationDTO removed (narrowed)',
    ]);
  });
});

describe('compatible edits pass', () => {
  it('an unedited copy has no changes at all', async () => {
    expect(await lines([])).toEqual({ breaking: [], nonBreaking: [] });
    expect(await lines([], NOTIFICATIONS_SPEC_PATH)).toEqual({ breaking: [], nonBreaking: [] });
  });

  it('a response code added, a request enum value added, a request minimum lowered, a description', async () => {
    expect(
      await lines([
        [`${BEFORE_404}${NOT_FOUND}`, WITH_409],
        [CREATABLE_TYPES, CREATABLE_TYPES.replace('    Create', '        - DIRECT\n    Create')],
        [
          '          minimum: 1\n          description: The order id',
          '          minimum: 0\n          description: The order id',
        ],
        ['      description: One error.\n', '      description: One error of the request.\n'],
      ]),
    ).toEqual({
      breaking: [],
      nonBreaking: [
        'compatible createChat: request body field "context.type": enum value "DIRECT" added (widened)',
        'compatible createChat: request body field "context.id": minimum 1 -> 0 (widened)',
        'compatible createChat: response 409: added',
        'compatible getChats: request body field "contexts[].type": enum value "DIRECT" added (widened)',
        'compatible getChats: request body field "contexts[].id": minimum 1 -> 0 (widened)',
      ],
    });
  });
});

// The command's function in-process; its run on the repository is npm test's breaking-change check.
describe('npm run check:breaking -- --spec <file> (the command)', () => {
  const cli = async (...args: string[]) => {
    const output = captureOutput();
    const code = await checkBreaking(args, output.out);
    return { code, stdout: output.stdout(), stderr: output.stderr() };
  };

  it("passes on the repository itself: both specs against their baselines, and the versions (npm test's check)", async () => {
    const output = captureOutput();
    expect(await checkBreaking([], output.out), output.stderr()).toBe(0);
    // Both specs are checked (compatible, or no changes at all right after a release).
    expect(output.stdout()).toMatch(/^openapi\/openapi\.yaml[: ].*released\/openapi\.yaml/m);
    expect(output.stdout()).toMatch(/^openapi\/notifications\.yaml[: ].*released\/notifications\.yaml/m);
  });

  it('picks the baseline by the spec title, exits 1 on a break naming it, and refuses an unknown spec', async () => {
    // The released baseline has createChat only: break that.
    const { spec } = await edited([[CREATABLE_TYPES, ORDER_ONLY]]);
    const failure = await cli('--spec', spec);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(
      'BREAKING createChat: request body field "context.type": enum value "RETURN" removed (narrowed)',
    );
    expect(failure.stderr).toContain('openapi/released/openapi.yaml');
    expect(failure.stderr).toContain('revert the breaking part');
    expect(failure.stderr).not.toContain('{"'); // no schema dumps

    await copy?.edit('  title: Yandex Market Partner API — Chats\n', '  title: Something else\n');
    const unknown = await cli('--spec', spec);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('pass --baseline');
  });
});

describe('release:spec', () => {
  it('knows which version bumps allow a break', () => {
    expect(allowsBreaking('0.1.0', '0.1.1')).toBe(false);
    expect(allowsBreaking('0.1.0', '0.2.0')).toBe(true);
    expect(allowsBreaking('0.9.3', '1.0.0')).toBe(true);
    expect(allowsBreaking('1.2.0', '1.3.0')).toBe(false);
    expect(allowsBreaking('1.2.0', '2.0.0')).toBe(true);
  });

  it('refuses a breaking spec without a breaking version bump, and makes it the baseline with one', async () => {
    const { spec, baseline } = await edited([]);
    await releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.1.0' });
    expect(releasedVersion(await readFile(baseline, 'utf8'))).toBe('0.1.0');
    await copy?.edit(CREATABLE_TYPES, ORDER_ONLY);

    await expect(releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.1.1' })).rejects.toThrow(
      /2 breaking change\(s\) since 0\.1\.0.*bump the major version/,
    );
    await releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.2.0' });
    expect(releasedVersion(await readFile(baseline, 'utf8'))).toBe('0.2.0');
    expect((await diffSpecFiles(baseline, spec)).breaking).toEqual([]);
  });
});

describe('versions (part of check:breaking)', () => {
  const spec = (version: unknown) => ({ openapi: '3.0.3', info: { title: 'x', version } });
  const changelog = '# Changelog\n\n## Unreleased\n\n## 0.2.0 — 2026-12-05\n\n- x\n';

  it('passes when every spec and the changelog name the package version', () => {
    expect(versionProblems('0.2.0', [{ path: 'a.yaml', spec: spec('0.2.0') }], changelog)).toEqual([]);
  });

  it("names a spec whose info.version is not the package's, and a changelog without its section", () => {
    expect(versionProblems('0.2.1', [{ path: 'a.yaml', spec: spec('1.0.0') }], changelog)).toEqual([
      `a.yaml: info.version is "1.0.0", package.json's version is 0.2.1`,
      'CHANGELOG.md has no "## 0.2.1" section for package.json\'s version',
    ]);
    expect(versionProblems('0.2.0', [{ path: 'a.yaml', spec: {} }], '## 0.2.0x')).toHaveLength(2);
  });

  it('holds for the repository itself', async () => {
    expect(await repositoryVersionProblems([SPEC_PATH, NOTIFICATIONS_SPEC_PATH])).toEqual([]);
  });
});
