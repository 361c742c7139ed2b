// readBodyText: the body as UTF-8 text, or why not, read no further than the size limit.
import { describe, expect, it } from 'vitest';
import { readBodyText } from './read-body.ts';

const request = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://localhost/', { method: 'POST', body, headers });

describe('readBodyText', () => {
  it('reads UTF-8 text; no body is empty text', async () => {
    expect(await readBodyText(request('{"a":"é"}'), 100, 5_000)).toEqual({ ok: true, text: '{"a":"é"}' });
    expect(await readBodyText(request(null), 100, 5_000)).toEqual({ ok: true, text: '' });
  });

  it('says which problem: bytes that are not UTF-8, or too many', async () => {
    expect(await readBodyText(request(new Uint8Array([0xff])), 100, 5_000)).toEqual({
      ok: false,
      problem: 'not-utf8',
    });
    expect(await readBodyText(request('12345'), 4, 5_000)).toEqual({ ok: false, problem: 'too-large' });
    expect(await readBodyText(request('1', { 'content-length': '5' }), 4, 5_000)).toEqual({
      ok: false,
      problem: 'too-large',
    });
  });
});
