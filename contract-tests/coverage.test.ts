// The logic that ties the suite to the spec: operations and codes are read from the spec, and a pair
// without an expected outcome (or an outcome without a pair) fails, naming the operation and the code.
// Checked on edited copies of the spec, in memory, so that a change to the real spec is caught the same way.
import { describe, expect, it } from 'vitest';
import { EXPECTED, planCases, splitCases } from './expectations.ts';
import { spec } from './harness.ts';
import { DRIVERS } from './operations.ts';
import { errorExample, isObject, requestExamples, type Spec, specOperations } from './spec.ts';

/** A copy of the spec where `operationId` also declares response `code`. */
function withResponse(base: Spec, operationId: string, code: string): Spec {
  const document = structuredClone(base.document);
  for (const item of Object.values(isObject(document.paths) ? document.paths : {})) {
    for (const node of Object.values(isObject(item) ? item : {})) {
      if (isObject(node) && node.operationId === operationId && isObject(node.responses)) {
        node.responses[code] = { $ref: '#/components/responses/InternalServerError' };
      }
    }
  }
  return { path: `${base.path} (+${operationId} ${code})`, document };
}

/** A copy of the spec with one more operation, `operationId`, at a new path. */
function withOperation(base: Spec, operationId: string): Spec {
  const document = structuredClone(base.document);
  if (!isObject(document.paths)) throw new Error('no paths');
  document.paths['/v2/businesses/{businessId}/chats/archive'] = {
    post: { operationId, responses: { '200': { description: 'ok' }, '404': { description: 'no' } } },
  };
  return { path: `${base.path} (+${operationId})`, document };
}

describe('spec ↔ expectations', () => {
  const operations = specOperations(spec);

  it('reads the seven chat operations and their codes from the spec', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(
      [
        'createChat',
        'getChat',
        'getChatHistory',
        'getChatMessage',
        'getChats',
        'sendFileToChat',
        'sendMessageToChat',
      ].sort(),
    );
    for (const operation of operations) expect(operation.codes, operation.operationId).toContain('200');
  });

  it('every operation and code of the spec has an expected outcome, and nothing more', () => {
    const { cases, stale } = planCases(operations);
    const { planned, problems } = splitCases(cases);
    expect(problems.map((p) => p.problem).join('\n')).toBe('');
    expect(stale).toEqual([]);
    expect(planned.length).toBe(operations.reduce((n, o) => n + o.codes.length, 0));
    expect(Object.keys(DRIVERS).sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  it('a code added to an operation without an expected outcome becomes a failing case naming both', () => {
    const { cases } = planCases(specOperations(withResponse(spec, 'getChatMessage', '503')), EXPECTED);
    const { problems } = splitCases(cases);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      operationId: 'getChatMessage',
      code: '503',
      problem: expect.stringMatching(
        /response 503 for getChatMessage.*no expected outcome for getChatMessage 503/,
      ),
    });
  });

  it('an operation added to the spec without entries becomes failing cases naming it and each code', () => {
    const { cases } = planCases(specOperations(withOperation(spec, 'archiveChat')), EXPECTED, {
      ...DRIVERS,
      archiveChat: DRIVERS.getChat,
    });
    const { problems } = splitCases(cases);
    expect(problems.map((p) => `${p.operationId} ${p.code}`)).toEqual(['archiveChat 200', 'archiveChat 404']);
    expect(problems[0]?.problem).toMatch(/no expected outcome for archiveChat 200/);
  });

  it('an operation the tests cannot call is named too', () => {
    const { cases } = planCases(specOperations(withOperation(spec, 'archiveChat')), EXPECTED);
    const { problems } = splitCases(cases);
    expect(problems[0]?.problem).toMatch(/operations\.ts cannot call archiveChat/);
  });

  it('a range or default response is refused, named', () => {
    const { cases } = planCases(
      [{ operationId: 'getChat', method: 'get', path: '/x', codes: ['200', '5XX', 'default'] }],
      EXPECTED,
    );
    expect(splitCases(cases).problems.map((c) => `${c.operationId} ${c.code}`)).toEqual([
      'getChat 5XX',
      'getChat default',
    ]);
  });

  it('an expected outcome for a code or an operation the spec does not declare is reported as stale', () => {
    const { stale } = planCases(
      [{ operationId: 'getChat', method: 'get', path: '/x', codes: ['200', '400'] }],
      { getChat: EXPECTED.getChat ?? {}, removedOperation: { '200': { outcome: 'result' } } },
    );
    expect(stale).toEqual([
      ...Object.keys(EXPECTED.getChat ?? {})
        .filter((code) => code !== '200' && code !== '400')
        .map((code) => `getChat ${code}`),
      'removedOperation 200',
    ]);
  });

  it('a missing example name fails naming the operation, the code and the example', () => {
    expect(() => errorExample(spec, 'getChat', '404', 'noSuchExample')).toThrow(
      /getChat response 404 has no example named "noSuchExample"/,
    );
  });

  it('every example the table names exists and is an error body', () => {
    for (const { operationId, code, expectation } of splitCases(planCases(operations).cases).planned) {
      if (expectation.outcome === 'result') continue;
      expect(errorExample(spec, operationId, code, expectation.example).errors.length).toBeGreaterThan(0);
    }
  });

  it('reads the request examples', () => {
    expect(requestExamples(spec, 'createChat').length).toBeGreaterThan(0);
    expect(requestExamples(spec, 'getChats').length).toBeGreaterThan(0);
  });
});
