import { describe, expect, it } from 'vitest';
import type { RateLimitState } from '../base/rate-limit.ts';
import { QuotaBook } from './quota-book.ts';

const NOW = 1_000_000;

function state(remaining: number | undefined, resetAt: number | undefined, businessId = 1): RateLimitState {
  return {
    businessId,
    limit: 40,
    remaining,
    resetAt: resetAt === undefined ? undefined : new Date(resetAt),
  };
}

/** A book that saw one response of `op` for business 1; its reset is the same in both clocks. */
function bookWith(remaining: number | undefined, resetAt: number | undefined): QuotaBook {
  const book = new QuotaBook();
  book.observe(state(remaining, resetAt), 'op', resetAt);
  return book;
}

/** The decision as a number (hold until), 'answer' (wait for one in flight), or undefined (send). */
function held(
  book: QuotaBook,
  businessId: number,
  operation: string,
  now: number,
): number | 'answer' | undefined {
  const decision = book.decide(businessId, operation, now);
  return decision === undefined ? undefined : decision.hold === 'answer' ? 'answer' : decision.until;
}

describe('QuotaBook', () => {
  it('holds nothing it has not heard of', () => {
    const book = new QuotaBook();
    expect(held(book, 1, 'op', NOW)).toBeUndefined();
    expect(book.state(1, 'op')).toBeUndefined();
  });

  it('holds an operation whose quota is used up until its reset, and only that business and operation', () => {
    const book = bookWith(0, NOW + 5_000);
    expect(held(book, 1, 'op', NOW)).toBe(NOW + 5_000);
    expect(held(book, 1, 'op', NOW + 4_999)).toBe(NOW + 5_000);
    expect(held(book, 1, 'op', NOW + 5_000)).toBeUndefined();
    expect(held(book, 1, 'other', NOW)).toBeUndefined();
    expect(held(book, 2, 'op', NOW)).toBeUndefined();
    expect(book.state(1, 'op')).toEqual(state(0, NOW + 5_000));
  });

  it('uses the reset in our clock, not the one the server sent', () => {
    const book = new QuotaBook();
    book.observe(state(0, NOW + 60_000), 'op', NOW + 5_000);
    expect(held(book, 1, 'op', NOW)).toBe(NOW + 5_000);
    expect(held(book, 1, 'op', NOW + 5_000)).toBeUndefined();
  });

  it('does not hold without a reset time or a Remaining', () => {
    expect(held(bookWith(0, undefined), 1, 'op', NOW)).toBeUndefined();
    expect(held(bookWith(undefined, NOW + 5_000), 1, 'op', NOW)).toBeUndefined();
  });

  it('counts the requests in flight against Remaining until they are answered', () => {
    const book = bookWith(2, NOW + 5_000);
    book.sending(1, 'op');
    expect(held(book, 1, 'op', NOW)).toBeUndefined();
    book.sending(1, 'op');
    // Both in flight may or may not be counted in the 2: wait for an answer, not for the reset.
    expect(held(book, 1, 'op', NOW)).toBe('answer');
    book.sending(1, 'other');
    book.sending(2, 'op');
    book.settled(1, 'op');
    expect(held(book, 1, 'op', NOW)).toBeUndefined();
    book.settled(1, 'op');
    book.settled(1, 'op'); // more answers than requests: the count stays at 0
    book.sending(1, 'op');
    expect(held(book, 1, 'op', NOW)).toBeUndefined();
    book.sending(1, 'op');
    expect(held(book, 1, 'op', NOW)).toBe('answer');
    book.observe(state(0, NOW + 5_000), 'op', NOW + 5_000);
    expect(held(book, 1, 'op', NOW)).toBe(NOW + 5_000); // none left: the reset
  });

  it('counts requests sent before the first response', () => {
    const book = new QuotaBook();
    book.sending(1, 'op');
    book.sending(1, 'op');
    book.sending(1, 'op');
    book.settled(1, 'op');
    book.observe(state(2, NOW + 5_000), 'op', NOW + 5_000);
    expect(held(book, 1, 'op', NOW)).toBe('answer');
    expect(book.state(1, 'op')).toEqual(state(2, NOW + 5_000));
  });

  it.each([
    ['a lower Remaining in the same window', state(3, NOW + 5_000), 3],
    ['an equal Remaining in the same window', state(5, NOW + 5_000), 5],
    ['a later window, even with more left', state(40, NOW + 9_000), 40],
    ['a response without a reset time and fewer left', state(3, undefined), 3],
  ])('takes %s', (_, next, remaining) => {
    const book = bookWith(5, NOW + 5_000);
    book.observe(next, 'op', next.resetAt?.getTime());
    expect(book.state(1, 'op')?.remaining).toBe(remaining);
  });

  it.each([
    ['a higher Remaining in the same window', state(6, NOW + 5_000)],
    ['an earlier window', state(1, NOW + 1_000)],
    ['a response without a reset time and more left', state(7, undefined)],
    ['a response without Remaining (a missing header erases nothing)', state(undefined, NOW + 5_000)],
  ])('ignores %s (a response that arrived late)', (_, next) => {
    const book = bookWith(5, NOW + 5_000);
    book.observe(next, 'op', next.resetAt?.getTime());
    expect(book.state(1, 'op')).toEqual(state(5, NOW + 5_000));
  });

  it('takes a Remaining after one that had none', () => {
    const book = bookWith(undefined, NOW + 5_000);
    book.observe(state(9, NOW + 5_000), 'op', NOW + 5_000);
    expect(book.state(1, 'op')?.remaining).toBe(9);
  });

  describe('a block (a Retry-After on a rate-limit answer)', () => {
    it('holds the operation until then, even with quota left, the latest block winning', () => {
      const book = bookWith(30, NOW + 60_000);
      book.block(1, 'op', NOW + 3_000);
      book.block(1, 'op', NOW + 2_000);
      expect(held(book, 1, 'op', NOW)).toBe(NOW + 3_000);
      expect(held(book, 1, 'op', NOW + 3_000)).toBeUndefined();
      expect(held(book, 1, 'other', NOW)).toBeUndefined();
    });

    it('survives a later response', () => {
      const book = bookWith(30, NOW + 60_000);
      book.block(1, 'op', NOW + 3_000);
      book.observe(state(29, NOW + 60_000), 'op', NOW + 60_000);
      expect(held(book, 1, 'op', NOW)).toBe(NOW + 3_000);
    });

    it('works for an operation never heard of, whose state is then all unknown', () => {
      const book = new QuotaBook();
      book.block(1, 'op', NOW + 3_000);
      expect(held(book, 1, 'op', NOW + 2_999)).toBe(NOW + 3_000);
      expect(held(book, 1, 'op', NOW + 3_000)).toBeUndefined();
      expect(book.state(1, 'op')).toBeUndefined();
      book.observe(state(0, NOW + 5_000), 'op', NOW + 5_000);
      expect(held(book, 1, 'op', NOW + 3_000)).toBe(NOW + 5_000);
    });

    it('a used-up quota past the block still holds', () => {
      const book = bookWith(0, NOW + 5_000);
      book.block(1, 'op', NOW + 1_000);
      expect(held(book, 1, 'op', NOW + 1_000)).toBe(NOW + 5_000);
    });
  });

  it('decides exactly: send, hold until a time, or wait for an answer', () => {
    const book = bookWith(1, NOW + 5_000);
    expect(book.decide(1, 'op', NOW)).toBeUndefined();
    book.sending(1, 'op');
    expect(book.decide(1, 'op', NOW)).toEqual({ hold: 'answer' });
    book.block(1, 'op', NOW + 1_000);
    expect(book.decide(1, 'op', NOW)).toEqual({ hold: 'until', until: NOW + 1_000 });
    expect(bookWith(0, NOW + 5_000).decide(1, 'op', NOW)).toEqual({ hold: 'until', until: NOW + 5_000 });
    expect(bookWith(0, undefined).decide(1, 'op', NOW)).toBeUndefined();
    expect(bookWith(undefined, NOW + 5_000).decide(1, 'op', NOW)).toBeUndefined();
    expect(bookWith(0, NOW).decide(1, 'op', NOW)).toBeUndefined();
  });

  it('nextAnswer resolves at once with nothing in flight, else at the next answer of that lane', async () => {
    const book = new QuotaBook();
    await expect(book.nextAnswer(1, 'op')).resolves.toBeUndefined();
    book.sending(1, 'op');
    book.sending(1, 'op');
    let answered = 0;
    void book.nextAnswer(1, 'op').then(() => answered++);
    void book.nextAnswer(1, 'op').then(() => answered++);
    book.settled(1, 'other');
    book.settled(2, 'op');
    await Promise.resolve();
    expect(answered).toBe(0);
    book.settled(1, 'op');
    await Promise.resolve();
    expect(answered).toBe(2);
  });

  it('takes a new Limit with an equal Remaining in the same window', () => {
    const book = bookWith(5, NOW + 5_000);
    book.observe({ ...state(5, NOW + 5_000), limit: 50 }, 'op', NOW + 5_000);
    expect(book.state(1, 'op')?.limit).toBe(50);
  });

  it.each([
    ['a Limit', { limit: 40, remaining: undefined, resetAt: undefined }],
    ['a Remaining', { limit: undefined, remaining: 3, resetAt: undefined }],
    ['an Until', { limit: undefined, remaining: undefined, resetAt: new Date(NOW) }],
  ])('shows a state that knows only %s', (_, known) => {
    const book = new QuotaBook();
    const only = { businessId: 1, ...known };
    book.observe(only, 'op', known.resetAt?.getTime());
    expect(book.state(1, 'op')).toEqual(only);
  });
});

describe('QuotaBook.forgetIdle', () => {
  it('frees every lane with nothing in flight, no block ahead and its window over; keeps the others', () => {
    const book = new QuotaBook();
    for (let businessId = 1; businessId <= 1_000; businessId++) {
      book.observe(state(5, NOW + 2_000, businessId), 'op', NOW + 2_000);
    }
    book.observe(state(5, NOW + 9_000, 2_000), 'op', NOW + 9_000); // a window still open
    book.sending(3_000, 'op'); // a request still in flight
    book.block(4_000, 'op', NOW + 9_000); // a Retry-After still ahead
    book.observe(state(5, undefined, 5_000), 'op', undefined); // no Until known
    expect(book.size).toBe(1_004);
    book.forgetIdle(NOW + 999);
    expect(book.size).toBe(1_003); // only the lane without an Until: it knows no time to wait for
    book.forgetIdle(NOW + 2_000);
    expect(book.size).toBe(3);
    expect(book.state(1, 'op')).toBeUndefined();
    expect(book.state(2_000, 'op')).toMatchObject({ remaining: 5 });
    book.settled(3_000, 'op');
    book.forgetIdle(NOW + 9_000);
    expect(book.size).toBe(0);
  });

  it('looks again only a second after its last look', () => {
    const book = new QuotaBook();
    book.observe(state(5, NOW + 10, 1), 'op', NOW + 10);
    book.forgetIdle(NOW);
    book.forgetIdle(NOW + 999);
    expect(book.size).toBe(1);
    book.forgetIdle(NOW + 1_000);
    expect(book.size).toBe(0);
  });
});
