// check:breaking fails on a breaking edit of the spec, saying what to do, and passes non-breaking ones.
import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffSpecFiles, SPEC_PATH } from './lib/check-breaking.ts';
import { allowsBreaking, releasedVersion, releaseSpec } from './lib/release-spec.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';

const OP = 'paths./v2/businesses/{businessId}/chats/new.post';
// getChats filters by ChatContextDTO too, so an edit of it changes both operations.
const GET_CHATS = 'paths./v2/businesses/{businessId}/chats.post';
// Edits aim at createChat's own lines: the other chat operations share the response components.
const CREATE_CHAT_OK = "          $ref: '#/components/responses/CreateChatOk'\n";
const BAD_REQUEST = "        '400':\n          $ref: '#/components/responses/BadRequest'\n";
const BEFORE_404 = `${CREATE_CHAT_OK}${BAD_REQUEST}        '401':\n          $ref: '#/components/responses/Unauthorized'\n        '403':\n          $ref: '#/components/responses/Forbidden'\n`;
const NOT_FOUND_REF = "          $ref: '#/components/responses/NotFound'\n";
const NOT_FOUND = `        '404':\n${NOT_FOUND_REF}`;
const WITH_409 = `${BEFORE_404}        '409':\n${NOT_FOUND_REF}${NOT_FOUND}`;
// ChatContextIdentifiableType's values (ChatContextType's start the same way).
const CREATABLE_TYPES = '        - ORDER\n        - RETURN\n    CreateChatResponse:\n';
const ORDER_ONLY = '        - ORDER\n    CreateChatResponse:\n';
let copy: SpecCopy;
let baseline: string;
let spec: string;
const editSpec = (from: string, to: string) => copy.edit(from, to);

beforeEach(async () => {
  copy = await copySpec();
  spec = copy.spec;
  baseline = join(copy.dir, 'released.yaml');
  await copyFile(SPEC_PATH, baseline);
});

afterEach(() => copy.remove());

const codes = async () => {
  const report = await diffSpecFiles(baseline, spec);
  const list = (changes: typeof report.breaking) =>
    changes.map(({ code, location }) => `${code} ${location}`);
  return { breaking: list(report.breaking), nonBreaking: list(report.nonBreaking) };
};

describe('breaking edits fail', () => {
  it('removing a response code', async () => {
    await editSpec(`${BEFORE_404}${NOT_FOUND}`, BEFORE_404);
    expect((await codes()).breaking).toEqual([`response.status-code.remove ${OP}.responses.404`]);
  });

  it('making an optional request field required', async () => {
    await editSpec(
      '    CreateChatRequest:\n      type: object\n',
      '    CreateChatRequest:\n      type: object\n      required:\n        - orderId\n',
    );
    expect((await codes()).breaking).toEqual([
      `request.body.scope.remove ${OP}.requestBody.content.application/json.schema`,
    ]);
  });

  it('making a response field optional', async () => {
    await editSpec(
      '      description: The chat that was created or found.\n      required:\n        - chatId\n',
      '      description: The chat that was created or found.\n',
    );
    expect((await codes()).breaking).toEqual([
      `response.body.scope.add ${OP}.responses.200.content.application/json.schema`,
    ]);
  });

  it('removing a request enum value (openapi-diff does not read enums; the enum check does)', async () => {
    await editSpec(CREATABLE_TYPES, ORDER_ONLY);
    expect((await codes()).breaking).toEqual([
      `enum.value.remove ${OP}.requestBody.content.application/json.schema.context.type`,
      `enum.value.remove ${GET_CHATS}.requestBody.content.application/json.schema.contexts[].type`,
    ]);
  });

  it('adding a response enum value, in every response that uses it', async () => {
    await editSpec('        - OK\n        - ERROR\n', '        - OK\n        - ERROR\n        - PARTIAL\n');
    const { breaking } = await codes();
    expect(breaking).toHaveLength(7 * 7); // seven operations, seven responses each
    expect(breaking).toContain(`enum.value.add ${OP}.responses.200.content.application/json.schema.status`);
  });

  it('removing a required response header', async () => {
    await editSpec(
      "    CreateChatOk:\n      description: The new chat, or the one created earlier for the same context.\n      headers:\n        X-RateLimit-Resource-Limit:\n          $ref: '#/components/headers/X-RateLimit-Resource-Limit'\n",
      '    CreateChatOk:\n      description: The new chat, or the one created earlier for the same context.\n      headers:\n',
    );
    expect((await codes()).breaking).toEqual([
      `response.required.header.remove ${OP}.responses.200.headers.X-RateLimit-Resource-Limit`,
    ]);
  });
});

describe('non-breaking edits pass', () => {
  it('an unedited copy has no changes at all', async () => {
    expect(await codes()).toEqual({ breaking: [], nonBreaking: [] });
  });

  it('adding a response code', async () => {
    await editSpec(`${BEFORE_404}${NOT_FOUND}`, WITH_409);
    expect(await codes()).toEqual({
      breaking: [],
      nonBreaking: [`response.status-code.add ${OP}.responses.409`],
    });
  });

  it('adding a request enum value', async () => {
    await editSpec(CREATABLE_TYPES, CREATABLE_TYPES.replace('    Create', '        - DIRECT\n    Create'));
    expect(await codes()).toEqual({
      breaking: [],
      nonBreaking: [
        `enum.value.add ${OP}.requestBody.content.application/json.schema.context.type`,
        `enum.value.add ${GET_CHATS}.requestBody.content.application/json.schema.contexts[].type`,
      ],
    });
  });

  it('accepting more in a request (a lower minimum)', async () => {
    await editSpec(
      '          minimum: 1\n          description: The order id',
      '          minimum: 0\n          description: The order id',
    );
    expect(await codes()).toEqual({
      breaking: [],
      nonBreaking: [
        `request.body.scope.add ${OP}.requestBody.content.application/json.schema`,
        `request.body.scope.add ${GET_CHATS}.requestBody.content.application/json.schema`,
      ],
    });
  });

  it('rewording a description', async () => {
    await editSpec('      description: One error.\n', '      description: One error of the request.\n');
    expect(await codes()).toEqual({ breaking: [], nonBreaking: [] });
  });
});

describe('npm run check:breaking (the CLI)', () => {
  const run = promisify(execFile);
  const cli = () =>
    run(process.execPath, [
      '--import',
      'tsx',
      'scripts/check-breaking.ts',
      '--spec',
      spec,
      '--baseline',
      baseline,
    ]);

  it('exits 0 printing a non-breaking change, and 1 on a breaking one, saying what to do', async () => {
    await editSpec(`${BEFORE_404}${NOT_FOUND}`, WITH_409);
    const passed = await cli();
    expect(passed.stdout).toContain('response.status-code.add');
    expect(passed.stdout).toContain('is compatible with the released');

    await editSpec(`${CREATE_CHAT_OK}${BAD_REQUEST}`, CREATE_CHAT_OK);
    const failure = await cli().then(
      () => expect.unreachable('check:breaking passed a removed response code'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(`response.status-code.remove  ${OP}.responses.400`);
    expect(failure.stderr).toContain('revert the breaking part');
    expect(failure.stderr).toContain('npm run release:spec');
  }, 30_000);
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
    await releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.1.0' });
    expect(releasedVersion(await readFile(baseline, 'utf8'))).toBe('0.1.0');
    await editSpec(CREATABLE_TYPES, ORDER_ONLY);

    await expect(releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.1.1' })).rejects.toThrow(
      /2 breaking change\(s\) since 0\.1\.0.*bump the major version/,
    );
    await releaseSpec({ specPath: spec, baselinePath: baseline, version: '0.2.0' });
    expect(releasedVersion(await readFile(baseline, 'utf8'))).toBe('0.2.0');
    expect((await diffSpecFiles(baseline, spec)).breaking).toEqual([]);
  }, 30_000); // four diffs of the seven-operation spec: over 5 s on a loaded machine
});
