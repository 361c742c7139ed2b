import { describe, expect, it } from 'vitest';
import { describeCause, isDecodingFailure, isNotConnected, isRefusedUrl } from './fetch-failure.ts';

/** What undici's fetch rejects with: a TypeError whose cause says what went wrong. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

const coded = (code: unknown, message = 'x') => Object.assign(new Error(message), { code });

describe('isRefusedUrl', () => {
  it('is a fetch that refused the URL itself (a blocked port)', () => {
    expect(isRefusedUrl(fetchFailed(new Error('bad port')))).toBe(true);
    expect(isRefusedUrl(new Error('bad port'))).toBe(true);
  });

  it('is not any other failure', () => {
    expect(isRefusedUrl(fetchFailed(new Error('bad port number')))).toBe(false);
    expect(isRefusedUrl(fetchFailed(coded('ECONNREFUSED')))).toBe(false);
    expect(isRefusedUrl('bad port')).toBe(false);
    expect(isRefusedUrl(undefined)).toBe(false);
  });
});

describe('isNotConnected', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'is %s: nothing was sent',
    (code) => {
      expect(isNotConnected(fetchFailed(coded(code)))).toBe(true);
    },
  );

  it.each(['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EPIPE'])(
    'is not %s: the request may have gone',
    (code) => {
      expect(isNotConnected(fetchFailed(coded(code)))).toBe(false);
    },
  );

  it('finds the code deep in the causes (undici wraps an AggregateError), but not past five links', () => {
    const deep = (depth: number) => {
      let error: unknown = coded('ECONNREFUSED');
      for (let i = 1; i < depth; i++) error = new Error(`level ${i}`, { cause: error });
      return error;
    };
    expect(isNotConnected(deep(5))).toBe(true);
    expect(isNotConnected(deep(6))).toBe(false);
  });

  it('ends on a cycle of causes', () => {
    const a: { cause?: unknown; code?: string } = {};
    const b = { cause: a };
    a.cause = b;
    expect(isNotConnected(a)).toBe(false);
  });

  it('needs a string code', () => {
    expect(isNotConnected(fetchFailed({ code: 111 }))).toBe(false);
    expect(isNotConnected(fetchFailed(null))).toBe(false);
  });
});

describe('isDecodingFailure', () => {
  it('is a zlib error (a corrupt gzip body)', () => {
    expect(isDecodingFailure(fetchFailed(coded('Z_DATA_ERROR')))).toBe(true);
    expect(isDecodingFailure(coded('Z_BUF_ERROR'))).toBe(true);
  });

  it('is not a transport error or a code merely containing Z_', () => {
    expect(isDecodingFailure(fetchFailed(coded('ECONNRESET')))).toBe(false);
    expect(isDecodingFailure(fetchFailed(coded('ERR_Z_DATA')))).toBe(false);
    expect(isDecodingFailure(fetchFailed({ code: 1 }))).toBe(false);
  });
});

describe('describeCause', () => {
  it('names the innermost code, else its message', () => {
    expect(describeCause(fetchFailed(coded('ECONNREFUSED', 'connect ECONNREFUSED')))).toBe(
      'fetch failed (ECONNREFUSED)',
    );
    expect(describeCause(fetchFailed(new Error('bad port')))).toBe('fetch failed (bad port)');
    expect(describeCause(fetchFailed({ code: 5, message: 'odd' }))).toBe('fetch failed (odd)');
  });

  it('is the message alone without a cause, and the string of what is not an Error', () => {
    expect(describeCause(new Error('socket hang up'))).toBe('socket hang up');
    expect(describeCause(fetchFailed({}))).toBe('fetch failed');
    expect(describeCause(fetchFailed({ message: 5 }))).toBe('fetch failed');
    expect(describeCause('boom')).toBe('boom');
    expect(describeCause(undefined)).toBe('undefined');
  });
});
