// The notification rules come from openapi/notifications.yaml, and generation refuses a spec whose oneOf
// branches could overlap (the handler picks a branch by notificationType alone).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNotificationFiles, NOTIFICATIONS_SPEC } from './lib/generate-notification-files.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';

const generate = (spec: string) => generateNotificationFiles(spec);

describe('generateNotificationFiles', () => {
  it('writes the types and one rule per modelled type plus one for any other type', async () => {
    const files = await generate(NOTIFICATIONS_SPEC);
    expect([...files.keys()]).toEqual(['notifications-schema.ts', 'notification-rules.ts']);
    const rules = files.get('notification-rules.ts') ?? '';
    const json = JSON.parse(rules.slice(rules.indexOf('{'), rules.lastIndexOf('}') + 1));
    expect(Object.keys(json.byType)).toEqual([
      'PING',
      'CHAT_CREATED',
      'CHAT_MESSAGE_SENT',
      'CHAT_ARBITRAGE_STARTED',
      'CHAT_ARBITRAGE_FINISHED',
    ]);
    expect(json.byType.CHAT_MESSAGE_SENT.properties.messageId).toEqual({ type: 'string', minLength: 1 });
    // The catch-all without `not` and `additionalProperties: true`, which the dispatch makes redundant.
    expect(json.other).toEqual({
      type: 'object',
      required: ['notificationType'],
      properties: { notificationType: { type: 'string', minLength: 1 } },
    });
    expect(json.okResponseBody.required).toEqual(['version', 'name', 'time']);
    expect(json.errorResponseBody.required).toEqual(['error']);
  });
});

describe('a spec whose branches could overlap', () => {
  let copy: SpecCopy;
  beforeEach(async () => {
    copy = await copySpec(NOTIFICATIONS_SPEC);
  });
  afterEach(() => copy.remove());

  it('fails when a branch does not pin notificationType to one value', async () => {
    await copy.edit(
      '          enum:\n            - CHAT_CREATED\n',
      '          enum:\n            - CHAT_CREATED\n            - CHAT_UPDATED\n',
    );
    await expect(generate(copy.spec)).rejects.toThrow(/oneOf\[1\]\.notificationType needs a one-value enum/);
  });

  it("fails when the catch-all's `not` list misses a modelled type", async () => {
    await copy.edit('              - CHAT_ARBITRAGE_FINISHED\n', '');
    await expect(generate(copy.spec)).rejects.toThrow(/must list exactly the modelled types/);
  });

  it('fails when a branch does not require notificationType', async () => {
    await copy.edit(
      '      required:\n        - notificationType\n      properties:\n        notificationType:\n          type: string\n          enum:\n            - PING\n',
      '      properties:\n        notificationType:\n          type: string\n          enum:\n            - PING\n',
    );
    await expect(generate(copy.spec)).rejects.toThrow(/oneOf\[0\] must require notificationType/);
  });
});
