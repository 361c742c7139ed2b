// The logic that ties the suite to the spec: codes are read from the spec, and a code without an expected
// outcome (or an outcome without a code) fails, naming the code. Checked on edited copies of the spec, in
// memory, so that a change to the real spec is caught the same way.
import { describe, expect, it } from 'vitest';
import { EXPECTED, planCases } from './expectations.ts';
import { spec } from './harness.ts';
import { errorExample, requestExamples, responseCodes, type Spec } from './spec.ts';

function withResponse(base: Spec, code: string): Spec {
  const document = structuredClone(base.document) as {
    paths: Record<string, { post: { responses: Record<string, unknown> } }>;
  };
  const operation = Object.values(document.paths)[0]?.post;
  if (operation === undefined) throw new Error('no operation');
  operation.responses[code] = { $ref: '#/components/responses/InternalServerError' };
  return { path: `${base.path} (+${code})`, document: document as unknown as Spec['document'] };
}

describe('spec ↔ expectations', () => {
  it('reads the response codes from the spec', () => {
    const codes = responseCodes(spec);
    expect(codes).toContain('200');
    expect(codes.length).toBeGreaterThan(1);
    const unplanned = planCases(codes).cases.flatMap((c) => ('problem' in c ? [c.problem] : []));
    expect(unplanned, unplanned.join('\n')).toEqual([]);
  });

  it('a code added to the spec without an expected outcome becomes a failing case naming it', () => {
    const codes = responseCodes(withResponse(spec, '503'));
    expect(codes).toContain('503');
    const { cases } = planCases(codes, EXPECTED);
    const problems = cases.filter((c) => 'problem' in c);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: '503',
      problem: expect.stringMatching(/response 503 .*no expected outcome for 503/),
    });
  });

  it('a range or default response is refused, named', () => {
    const { cases } = planCases(['200', '5XX', 'default'], EXPECTED);
    expect(cases.filter((c) => 'problem' in c).map((c) => c.code)).toEqual(['5XX', 'default']);
  });

  it('an expected outcome for a code the spec does not declare is reported as stale', () => {
    const { stale } = planCases(['200', '400'], EXPECTED);
    expect(stale).toEqual(Object.keys(EXPECTED).filter((code) => code !== '200' && code !== '400'));
  });

  it('a missing example name fails naming the code and the example', () => {
    expect(() => errorExample(spec, '404', 'noSuchExample')).toThrow(
      /response 404 has no example named "noSuchExample"/,
    );
  });

  it('reads the request examples', () => {
    expect(requestExamples(spec).length).toBeGreaterThan(0);
  });
});
